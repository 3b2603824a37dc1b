/**
 * Jupyter iopub messages -> nbformat outputs, as a front end would keep them: consecutive
 * stream text merged, `update_display_data` replacing outputs with the same display id (in
 * any cell), `clear_output` honoured (with `wait`, at the next output).
 */
import type { JupyterMessage } from "../protocol/messages.ts";
import { sourceText, type CodeCell, type NotebookOutput } from "./notebook-file.ts";

type DisplayOutput = Extract<NotebookOutput, { output_type: "display_data" | "execute_result" }>;

/** Applies the outputs of a run to the cells of one notebook. */
export class OutputRecorder {
  readonly #byDisplayId = new Map<string, DisplayOutput[]>();
  #clearOnNext: CodeCell | undefined;

  /** Apply one iopub message (not status) produced while `cell` ran. */
  apply(cell: CodeCell, message: JupyterMessage): void {
    const content = message.content as Record<string, any>;
    const type = message.header.msg_type;
    if (type === "execute_input") {
      cell.execution_count = content.execution_count ?? null;
      return;
    }
    if (type === "clear_output") {
      if (content.wait) this.#clearOnNext = cell;
      else cell.outputs = [];
      return;
    }
    if (type === "update_display_data") {
      const id = content.transient?.display_id;
      for (const output of (id && this.#byDisplayId.get(id)) || []) {
        output.data = content.data ?? {};
        output.metadata = content.metadata ?? {};
      }
      return;
    }
    if (!["stream", "display_data", "execute_result", "error"].includes(type)) return;
    if (this.#clearOnNext === cell) {
      cell.outputs = [];
      this.#clearOnNext = undefined;
    }
    if (type === "stream") {
      const last = cell.outputs.at(-1);
      if (last?.output_type === "stream" && last.name === content.name) last.text = sourceText(last.text) + content.text;
      else cell.outputs.push({ output_type: "stream", name: content.name, text: content.text });
      return;
    }
    if (type === "error") {
      cell.outputs.push({ output_type: "error", ename: content.ename, evalue: content.evalue, traceback: content.traceback ?? [] });
      return;
    }
    const output: DisplayOutput =
      type === "execute_result"
        ? { output_type: "execute_result", execution_count: content.execution_count ?? null, data: content.data ?? {}, metadata: content.metadata ?? {} }
        : { output_type: "display_data", data: content.data ?? {}, metadata: content.metadata ?? {} };
    cell.outputs.push(output);
    const id = content.transient?.display_id;
    if (id) this.#byDisplayId.set(id, [...(this.#byDisplayId.get(id) ?? []), output]);
  }
}
