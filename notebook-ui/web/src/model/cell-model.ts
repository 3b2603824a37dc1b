import { OutputModel, type OutputJson } from "./output-model.ts";

/** The kinds of cell. */
export type CellType = "code" | "markdown" | "raw";

/** Where a code cell is in its run: waiting behind other cells, running, or neither. */
export type CellRunState = "idle" | "queued" | "running";

/** A pending `input()` in this cell: the prompt and how to answer it. */
export interface InputRequest {
  prompt: string;
  password: boolean;
  /** Send the answer to the kernel. */
  submit(value: string): void;
}

/** One cell as nbformat 4.5 stores it. */
export interface CellJson {
  id?: string;
  cell_type: CellType;
  source: string | string[];
  metadata: Record<string, unknown>;
  execution_count?: number | null;
  outputs?: OutputJson[];
  attachments?: Record<string, unknown>;
}

function newCellId(): string {
  return crypto.randomUUID().replace(/-/g, "").slice(0, 12);
}

/**
 * One cell: source, outputs, run state. Views listen to its "change" event; every mutation
 * goes through a method that fires it.
 */
export class CellModel extends EventTarget {
  /** nbformat cell id. */
  readonly id: string;
  /** code, markdown or raw. */
  type: CellType;
  /** The text of the cell. */
  source: string;
  /** Outputs of the last run (code cells). */
  outputs: OutputModel[];
  /** The kernel's count for the last run, or null. */
  executionCount: number | null;
  /** nbformat metadata, kept as it was read. */
  metadata: Record<string, unknown>;
  /** Attachments of markdown cells, kept as they were read. */
  attachments: Record<string, unknown> | undefined;
  /** Queued, running or idle. */
  runState: CellRunState = "idle";
  /** An input() waiting for an answer. */
  inputRequest: InputRequest | null = null;
  /** Clear the outputs when the next one arrives (`clear_output(wait=True)`). */
  clearOnNextOutput = false;

  constructor(type: CellType, source = "", options: { id?: string; outputs?: OutputModel[]; executionCount?: number | null; metadata?: Record<string, unknown>; attachments?: Record<string, unknown> } = {}) {
    super();
    this.id = options.id ?? newCellId();
    this.type = type;
    this.source = source;
    this.outputs = options.outputs ?? [];
    this.executionCount = options.executionCount ?? null;
    this.metadata = options.metadata ?? {};
    this.attachments = options.attachments;
  }

  /** Read a cell from nbformat JSON (source as a string or a list of lines). */
  static fromJSON(json: CellJson): CellModel {
    const source = Array.isArray(json.source) ? json.source.join("") : (json.source ?? "");
    const outputs = (json.outputs ?? []).map((output) => new OutputModel(normalizeOutput(output)));
    return new CellModel(json.cell_type, source, {
      id: json.id,
      outputs: json.cell_type === "code" ? outputs : [],
      executionCount: json.execution_count ?? null,
      metadata: json.metadata ?? {},
      attachments: json.attachments,
    });
  }

  /** nbformat 4.5 JSON of the cell. */
  toJSON(): CellJson {
    const base = { id: this.id, cell_type: this.type, source: this.source, metadata: this.metadata };
    if (this.type === "code") return { ...base, execution_count: this.executionCount, outputs: this.outputs.map((output) => output.json) };
    return this.attachments ? { ...base, attachments: this.attachments } : base;
  }

  /** A copy with a new id (copy/paste). */
  clone(): CellModel {
    const json = structuredClone(this.toJSON());
    delete json.id;
    return CellModel.fromJSON(json);
  }

  /** Tell views the cell changed. */
  changed(): void {
    this.dispatchEvent(new Event("change"));
  }

  /** Change the text (from the editor). */
  setSource(source: string): void {
    if (source === this.source) return;
    this.source = source;
    this.dispatchEvent(new Event("source"));
  }

  /** Switch between code, markdown and raw; outputs go when a cell stops being code. */
  setType(type: CellType): void {
    if (type === this.type) return;
    this.type = type;
    if (type !== "code") {
      this.outputs = [];
      this.executionCount = null;
    }
    this.changed();
  }

  /** Remove all outputs. */
  clearOutputs(): void {
    this.outputs = [];
    this.clearOnNextOutput = false;
    this.changed();
  }
}

function joinText(value: unknown): unknown {
  return Array.isArray(value) ? value.join("") : value;
}

/** Join list-of-lines fields, in case a file was read without the server's help. */
function normalizeOutput(output: OutputJson): OutputJson {
  if (output.output_type === "stream") return { ...output, text: String(joinText(output.text)) };
  if (output.output_type === "display_data" || output.output_type === "execute_result") {
    const data: Record<string, unknown> = {};
    for (const [mime, value] of Object.entries(output.data ?? {})) data[mime] = mime.endsWith("json") ? value : joinText(value);
    return { ...output, data, metadata: output.metadata ?? {} };
  }
  return output;
}
