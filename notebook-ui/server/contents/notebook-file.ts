/**
 * Reading and writing .ipynb files the way nbformat does: multi-line strings are stored as
 * lists of lines on disk (readable diffs) and handed to clients as single strings; keys are
 * sorted and indented by one space.
 */
import { HttpError } from "../http-error.ts";

/** A notebook as the contents API carries it (nbformat 4, strings joined). */
export interface NotebookJson {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Array<Record<string, unknown>>;
}

const SPLIT_MIMES = new Set(["application/javascript", "image/svg+xml"]);

function isSplitMime(mime: string): boolean {
  return mime.startsWith("text/") || SPLIT_MIMES.has(mime);
}

function joinLines(value: unknown): unknown {
  return Array.isArray(value) && value.every((line) => typeof line === "string") ? value.join("") : value;
}

function splitLines(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const lines = value.match(/[^\n]*\n|[^\n]+$/g);
  return lines ?? [];
}

function mapCellStrings(cell: Record<string, unknown>, map: (value: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...cell, source: map(cell.source) };
  if (Array.isArray(cell.outputs)) {
    out.outputs = cell.outputs.map((output: Record<string, unknown>) => {
      if (output.output_type === "stream") return { ...output, text: map(output.text) };
      if ((output.output_type === "execute_result" || output.output_type === "display_data") && output.data && typeof output.data === "object") {
        const data: Record<string, unknown> = {};
        for (const [mime, value] of Object.entries(output.data as Record<string, unknown>)) data[mime] = isSplitMime(mime) ? map(value) : value;
        return { ...output, data };
      }
      return output;
    });
  }
  return out;
}

/** Parse .ipynb text; throws HttpError(400) naming the file and the problem when it is not a v4 notebook. */
export function parseNotebook(text: string, path: string): NotebookJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `Unreadable notebook ${path}: not valid JSON (${(error as Error).message}). The file was left untouched; fix it in a text editor.`);
  }
  const problem = notebookProblem(value);
  if (problem) throw new HttpError(400, `Unreadable notebook ${path}: ${problem}. The file was left untouched.`);
  const notebook = value as NotebookJson;
  return { ...notebook, cells: notebook.cells.map((cell) => mapCellStrings(cell, joinLines)) };
}

/** Why a value is not an nbformat 4 notebook, or null when it is one. */
export function notebookProblem(value: unknown): string | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "the top level is not a JSON object";
  const notebook = value as Partial<NotebookJson>;
  if (typeof notebook.nbformat !== "number") return "it has no nbformat version";
  if (notebook.nbformat !== 4) return `nbformat ${notebook.nbformat} is not supported (convert it with \`jupyter nbconvert --to notebook --nbformat 4\`)`;
  if (!Array.isArray(notebook.cells)) return "it has no cells list";
  for (const [index, cell] of notebook.cells.entries()) {
    if (cell === null || typeof cell !== "object") return `cell ${index} is not an object`;
    const type = (cell as Record<string, unknown>).cell_type;
    if (type !== "code" && type !== "markdown" && type !== "raw") return `cell ${index} has an unknown cell_type ${JSON.stringify(type)}`;
  }
  return null;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

/** The on-disk text of a notebook: lines split, keys sorted, one-space indent, final newline. */
export function serializeNotebook(notebook: NotebookJson): string {
  const split = { ...notebook, cells: notebook.cells.map((cell) => mapCellStrings(cell, splitLines)) };
  return `${JSON.stringify(sortKeys(split), null, 1)}\n`;
}
