import type { CellModel } from "./cell-model.ts";
import { OutputModel, type OutputJson } from "./output-model.ts";

/** An iopub message as the reducer needs it. */
export interface IopubMessage {
  header: { msg_type: string };
  content: Record<string, unknown>;
}

/**
 * Turns iopub messages into cell outputs the way Jupyter front ends do: consecutive stream
 * text merges, `clear_output(wait)` waits for the next output, and `update_display_data`
 * replaces every output that shares the display id, in any cell of the notebook.
 */
export class OutputReducer {
  #displays = new Map<string, Set<{ cell: CellModel; output: OutputModel }>>();

  #add(cell: CellModel, json: OutputJson, displayId?: string): void {
    if (cell.clearOnNextOutput) {
      cell.outputs = [];
      cell.clearOnNextOutput = false;
    }
    const last = cell.outputs[cell.outputs.length - 1];
    if (json.output_type === "stream" && last?.json.output_type === "stream" && last.json.name === json.name) {
      last.appendText(json.text);
    } else {
      const output = new OutputModel(json, displayId);
      cell.outputs = [...cell.outputs, output];
      if (displayId) {
        const targets = this.#displays.get(displayId) ?? new Set();
        targets.add({ cell, output });
        this.#displays.set(displayId, targets);
      }
    }
    cell.changed();
  }

  /** Apply one iopub message from a run of `cell`. Returns true when it was an output message. */
  apply(cell: CellModel, message: IopubMessage): boolean {
    const content = message.content;
    switch (message.header.msg_type) {
      case "stream":
        this.#add(cell, { output_type: "stream", name: content.name === "stderr" ? "stderr" : "stdout", text: String(content.text ?? "") });
        return true;
      case "display_data": {
        const displayId = (content.transient as { display_id?: string } | undefined)?.display_id;
        this.#add(cell, { output_type: "display_data", data: (content.data ?? {}) as Record<string, unknown>, metadata: (content.metadata ?? {}) as Record<string, unknown> }, displayId);
        return true;
      }
      case "update_display_data": {
        const displayId = (content.transient as { display_id?: string } | undefined)?.display_id;
        for (const { cell: target, output } of this.#displays.get(displayId ?? "") ?? []) {
          if (!target.outputs.includes(output)) continue;
          output.replace({ output_type: "display_data", data: (content.data ?? {}) as Record<string, unknown>, metadata: (content.metadata ?? {}) as Record<string, unknown> });
          target.changed();
        }
        return true;
      }
      case "execute_result":
        this.#add(cell, {
          output_type: "execute_result",
          data: (content.data ?? {}) as Record<string, unknown>,
          metadata: (content.metadata ?? {}) as Record<string, unknown>,
          execution_count: (content.execution_count as number | undefined) ?? null,
        });
        return true;
      case "error":
        this.#add(cell, { output_type: "error", ename: String(content.ename ?? "Error"), evalue: String(content.evalue ?? ""), traceback: (content.traceback as string[] | undefined) ?? [] });
        return true;
      case "clear_output":
        if (content.wait) cell.clearOnNextOutput = true;
        else cell.clearOutputs();
        return true;
      default:
        return false;
    }
  }

  /** Add an output that did not come from the kernel (the echo of an answered input prompt). */
  addLocal(cell: CellModel, json: OutputJson): void {
    this.#add(cell, json);
  }

  /** Forget display ids (after a restart their updates can no longer come). */
  reset(): void {
    this.#displays.clear();
  }
}
