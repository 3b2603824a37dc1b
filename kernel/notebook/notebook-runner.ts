/**
 * Execute a notebook through a real agentbook kernel process, headless: what `agentbook run`
 * does. Outputs and execution counts land in the notebook as nbformat 4.
 */
import { dirname, resolve } from "node:path";
import { KernelConnection, KernelDiedError, type ExecuteResult } from "../client/kernel-connection.ts";
import { agentbookKernelSpec, KERNEL_NAME } from "../kernelspec.ts";
import { readNotebook, sourceText, type CodeCell, type Notebook } from "./notebook-file.ts";
import { injectParameters } from "./notebook-parameters.ts";
import { OutputRecorder } from "./notebook-outputs.ts";

/** Options of one notebook run. */
export interface RunNotebookOptions {
  /** papermill-style parameters, injected after the cell tagged `parameters`. */
  parameters?: ReadonlyArray<[string, unknown]>;
  /** Per-cell time limit in seconds; the cell is interrupted when it is exceeded. */
  timeoutSeconds?: number;
  /** Keep running after a failing cell (the notebook still records the error). */
  allowErrors?: boolean;
  /** Type errors stop cells (the kernel's strict mode). */
  strict?: boolean;
  /** Answers `input()` in cells; without it, input() fails with a clear error. */
  onInput?: (prompt: string, password: boolean) => Promise<string>;
  /** Progress: called when each code cell starts and ends. */
  onCell?: (event: CellEvent) => void;
}

/** Progress of one code cell. */
export interface CellEvent {
  /** 0-based position among the code cells that run. */
  index: number;
  total: number;
  /** 1-based position among all cells of the notebook. */
  cellNumber: number;
  phase: "start" | "ok" | "error";
  executionCount: number | null;
  seconds?: number;
}

/** Where a run stopped. */
export interface CellFailure {
  cellNumber: number;
  executionCount: number | null;
  ename: string;
  evalue: string;
}

export interface NotebookRun {
  notebook: Notebook;
  /** The first failing cell, when one failed. */
  failure?: CellFailure;
  /** How many cells failed (more than one only with allowErrors). */
  failures: number;
}

function withTimeout(reply: Promise<ExecuteResult>, seconds: number | undefined, onTimeout: () => Promise<void>): Promise<ExecuteResult> {
  if (!seconds) return reply;
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, seconds * 1000)));
  return Promise.race([reply, timeout.then(onTimeout).then(() => reply)]).finally(() => clearTimeout(timer));
}

/** Run the notebook at `path` and return it with outputs (the file is not written). */
export async function runNotebook(path: string, options: RunNotebookOptions = {}): Promise<NotebookRun> {
  const notebook = readNotebook(path);
  if (options.parameters?.length) injectParameters(notebook, options.parameters);
  const spec = agentbookKernelSpec();
  notebook.metadata.kernelspec = { name: KERNEL_NAME, display_name: spec.display_name, language: spec.language };
  notebook.metadata.language_info = { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" };
  const cells = notebook.cells
    .map((cell, index) => ({ cell, cellNumber: index + 1 }))
    .filter((entry): entry is { cell: CodeCell; cellNumber: number } => entry.cell.cell_type === "code");
  for (const { cell } of cells) {
    cell.outputs = [];
    cell.execution_count = null;
  }
  const runnable = cells.filter(({ cell }) => sourceText(cell.source).trim() !== "");
  const env = { ...process.env, AGENTBOOK_STRICT: options.strict ? "1" : (process.env.AGENTBOOK_STRICT ?? "") };
  const kernel = await KernelConnection.start({ cwd: dirname(resolve(path)), env });
  const recorder = new OutputRecorder();
  const run: NotebookRun = { notebook, failures: 0 };
  try {
    for (const [index, { cell, cellNumber }] of runnable.entries()) {
      options.onCell?.({ index, total: runnable.length, cellNumber, phase: "start", executionCount: null });
      const started = performance.now();
      let timedOut = false;
      let reply: ExecuteResult;
      try {
        reply = await withTimeout(
          kernel.execute(sourceText(cell.source), { onOutput: (message) => recorder.apply(cell, message), onInput: options.onInput }),
          options.timeoutSeconds,
          async () => {
            timedOut = true;
            await kernel.interrupt();
          },
        );
      } catch (error) {
        if (!(error instanceof KernelDiedError)) throw error;
        run.failures++;
        run.failure ??= { cellNumber, executionCount: cell.execution_count, ename: error.name, evalue: error.message };
        cell.outputs.push({ output_type: "error", ename: error.name, evalue: error.message, traceback: [`${error.name}: ${error.message}`] });
        options.onCell?.({ index, total: runnable.length, cellNumber, phase: "error", executionCount: cell.execution_count });
        break;
      }
      const content = reply.content;
      cell.execution_count = content.execution_count ?? cell.execution_count;
      const seconds = (performance.now() - started) / 1000;
      if (content.status === "error") {
        const failure: CellFailure = timedOut
          ? { cellNumber, executionCount: cell.execution_count, ename: "CellTimeoutError", evalue: `the cell ran longer than ${options.timeoutSeconds} s and was interrupted` }
          : { cellNumber, executionCount: cell.execution_count, ename: content.ename ?? "Error", evalue: content.evalue ?? "" };
        if (timedOut) cell.outputs.push({ output_type: "error", ename: failure.ename, evalue: failure.evalue, traceback: [`${failure.ename}: ${failure.evalue}`] });
        run.failures++;
        run.failure ??= failure;
        options.onCell?.({ index, total: runnable.length, cellNumber, phase: "error", executionCount: cell.execution_count, seconds });
        if (!options.allowErrors) break;
      } else {
        options.onCell?.({ index, total: runnable.length, cellNumber, phase: "ok", executionCount: cell.execution_count, seconds });
      }
    }
  } finally {
    await kernel.shutdown();
  }
  return run;
}
