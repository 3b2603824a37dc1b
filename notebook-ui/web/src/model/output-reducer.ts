import type { CellModel } from "./cell-model.ts";
import { OutputModel, type OutputJson } from "./output-model.ts";

/** An iopub message as the reducer needs it. */
export interface IopubMessage {
  header: { msg_type: string };
  content: Record<string, unknown>;
}

/** Fired by the reducer when a rich output (display_data, execute_result) appears or is replaced. */
export class DisplayEvent extends Event {
  /** The output, already holding its new content. */
  readonly output: OutputModel;

  constructor(output: OutputModel) {
    super("display");
    this.output = output;
  }
}

function displayIdOf(content: Record<string, unknown>): string | undefined {
  return (content.transient as { display_id?: string } | undefined)?.display_id || undefined;
}

/**
 * Turns iopub messages into cell outputs the way Jupyter front ends do: consecutive stream
 * text merges, `clear_output(wait)` waits for the next output, and `update_display_data`
 * (or a new `display_data` reusing a display id) replaces every output that shares the display
 * id, in any cell of the notebook. Fires a `DisplayEvent` ("display") for every rich output
 * shown or replaced, so views outside the cell (the monitor panel) can follow them.
 */
export class OutputReducer extends EventTarget {
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
      if (json.output_type === "display_data" || json.output_type === "execute_result") this.dispatchEvent(new DisplayEvent(output));
    }
    cell.changed();
  }

  #replace(displayId: string, content: Record<string, unknown>): void {
    const json: OutputJson = { output_type: "display_data", data: (content.data ?? {}) as Record<string, unknown>, metadata: (content.metadata ?? {}) as Record<string, unknown> };
    for (const target of this.#displays.get(displayId) ?? []) {
      // A cleared or re-run cell no longer shows the output; forget it.
      if (!target.cell.outputs.includes(target.output)) {
        this.#displays.get(displayId)!.delete(target);
        continue;
      }
      target.output.replace(json);
      target.cell.changed();
      this.dispatchEvent(new DisplayEvent(target.output));
    }
  }

  /** Apply one iopub message from a run of `cell`. Returns true when it was an output message. */
  apply(cell: CellModel, message: IopubMessage): boolean {
    const content = message.content;
    switch (message.header.msg_type) {
      case "stream":
        this.#add(cell, { output_type: "stream", name: content.name === "stderr" ? "stderr" : "stdout", text: String(content.text ?? "") });
        return true;
      case "display_data": {
        const displayId = displayIdOf(content);
        // Showing a display id again updates the outputs already showing it, as in JupyterLab.
        if (displayId) this.#replace(displayId, content);
        this.#add(cell, { output_type: "display_data", data: (content.data ?? {}) as Record<string, unknown>, metadata: (content.metadata ?? {}) as Record<string, unknown> }, displayId);
        return true;
      }
      case "update_display_data":
        this.update(message);
        return true;
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

  /**
   * Apply an `update_display_data`: replace every output with its display id, whichever cell
   * shows it and whether or not the request that displayed it still runs.
   */
  update(message: IopubMessage): void {
    const displayId = displayIdOf(message.content);
    if (displayId) this.#replace(displayId, message.content);
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
