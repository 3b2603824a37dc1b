/** nbformat 4 outputs, and the mutable wrapper the UI keeps for each (live displays update in place). */

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: string;
}
export interface DisplayDataOutput {
  output_type: "display_data";
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
export interface ExecuteResultOutput {
  output_type: "execute_result";
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  execution_count: number | null;
}
export interface ErrorOutputJson {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}
/** One output as a notebook file stores it. */
export type OutputJson = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutputJson;

let nextKey = 1;

/** One output in a cell; `version` changes whenever its content does, so views know what to redraw. */
export class OutputModel {
  /** The nbformat JSON (what is saved). */
  json: OutputJson;
  /** Jupyter display id, for outputs that `update_display_data` may replace (not saved). */
  displayId: string | undefined;
  /** Bumped on every change. */
  version = 0;
  /** Stable identity for views. */
  readonly key = nextKey++;

  constructor(json: OutputJson, displayId?: string) {
    this.json = json;
    this.displayId = displayId;
  }

  /** Replace the content (a live display update). */
  replace(json: OutputJson): void {
    this.json = json;
    this.version++;
  }

  /** Append to a stream output. */
  appendText(text: string): void {
    if (this.json.output_type !== "stream") return;
    this.json = { ...this.json, text: this.json.text + text };
    this.version++;
  }
}
