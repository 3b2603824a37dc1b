/**
 * `agentbook run <notebooks...>`: execute notebooks headless through the kernel, write the
 * outputs, fail (exit 1) naming the notebook, cell and error.
 */
import { SingleBar } from "cli-progress";
import { mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { UserError } from "../../library/errors.ts";
import { readNotebook, writeNotebook } from "../notebook/notebook-file.ts";
import { parseParameter } from "../notebook/notebook-parameters.ts";
import { runNotebook, type CellEvent } from "../notebook/notebook-runner.ts";

/** Options of `agentbook run`. */
export interface RunCommandOptions {
  output?: string;
  inplace?: boolean;
  parameter?: string[];
  timeout?: string;
  allowErrors?: boolean;
  strict?: boolean;
}

/** Progress: a bar on a terminal, one line per cell otherwise (CI logs). */
function progress(name: string): { onCell: (event: CellEvent) => void; pause: () => void; stop: () => void } {
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      { format: `${name} [{bar}] {value}/{total} cells {status}`, stream: process.stderr, hideCursor: true, clearOnComplete: false, barsize: 24 },
    );
    let started = false;
    return {
      onCell: (event) => {
        if (!started) bar.start(event.total, 0, { status: "" });
        started = true;
        if (event.phase === "start") bar.update(event.index, { status: `running cell ${event.cellNumber}` });
        else bar.update(event.index + 1, { status: event.phase === "error" ? `cell ${event.cellNumber} failed` : "" });
      },
      pause: () => started && bar.stop(),
      stop: () => started && bar.stop(),
    };
  }
  return {
    onCell: (event) => {
      if (event.phase === "start") return;
      const count = event.executionCount === null ? "" : ` In[${event.executionCount}]`;
      process.stderr.write(`${name}: cell ${event.cellNumber}${count} ${event.phase} (${event.index + 1}/${event.total}, ${(event.seconds ?? 0).toFixed(2)} s)\n`);
    },
    pause: () => {},
    stop: () => {},
  };
}

export async function runCommand(notebooks: string[], options: RunCommandOptions): Promise<void> {
  if (options.output && options.inplace) throw new UserError("Choose one of --output DIR and --inplace.");
  const timeoutSeconds = options.timeout === undefined ? undefined : Number(options.timeout);
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0)) throw new UserError(`--timeout needs a number of seconds, got "${options.timeout}".`);
  const parameters = (options.parameter ?? []).map(parseParameter);
  // Check every input first: bad input fails before any notebook runs.
  for (const path of notebooks) readNotebook(path);
  if (options.output) mkdirSync(options.output, { recursive: true });

  for (const path of notebooks) {
    const name = basename(path);
    const bar = progress(name);
    const onInput = process.stdin.isTTY
      ? async (prompt: string) => {
          bar.pause();
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          try {
            return await rl.question(prompt);
          } finally {
            rl.close();
          }
        }
      : undefined;
    const run = await runNotebook(path, { parameters, timeoutSeconds, allowErrors: options.allowErrors, strict: options.strict, onInput, onCell: bar.onCell });
    bar.stop();
    const target = options.inplace ? path : options.output ? join(options.output, name) : undefined;
    if (target) writeNotebook(target, run.notebook);
    const where = target ? `; outputs in ${resolve(target)}` : "";
    if (run.failure) {
      const failure = run.failure;
      const count = failure.executionCount === null ? "" : ` (In[${failure.executionCount}])`;
      process.stderr.write(`agentbook: ${path}: cell ${failure.cellNumber}${count} failed: ${failure.ename}: ${failure.evalue.split("\n")[0]}${where}\n`);
      if (!options.allowErrors) process.exit(1);
    } else {
      process.stderr.write(`${path}: ok${where}\n`);
    }
  }
}
