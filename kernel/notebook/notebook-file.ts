/**
 * nbformat 4 notebooks: the types agentbook reads and writes, loading with checks that name the
 * problem, and atomic saving.
 */
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { UserError } from "../../library/errors.ts";

/** Text as nbformat stores it: a string or a list of lines. */
export type MultilineString = string | string[];

/** One output of a code cell. */
export type NotebookOutput =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: MultilineString }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: "execute_result"; execution_count: number | null; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

export interface CodeCell {
  cell_type: "code";
  id?: string;
  source: MultilineString;
  metadata: Record<string, unknown> & { tags?: string[] };
  outputs: NotebookOutput[];
  execution_count: number | null;
}

export interface TextCell {
  cell_type: "markdown" | "raw";
  id?: string;
  source: MultilineString;
  metadata: Record<string, unknown> & { tags?: string[] };
  attachments?: Record<string, unknown>;
}

export type NotebookCell = CodeCell | TextCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown> & {
    kernelspec?: { name?: string; display_name?: string; language?: string };
    language_info?: Record<string, unknown>;
  };
  cells: NotebookCell[];
}

/** A cell's source as one string. */
export function sourceText(source: MultilineString): string {
  return Array.isArray(source) ? source.join("") : source;
}

/** Kernel names that mean "a TypeScript notebook" (ours, and notebooks written for tslab). */
const TYPESCRIPT_KERNELS = new Set(["agentbook", "tslab", "typescript"]);

/** Read and check a notebook; throws a UserError naming the file and the problem. */
export function readNotebook(path: string): Notebook {
  if (!existsSync(path)) throw new UserError(`${path}: no such file.`);
  if (statSync(path).isDirectory()) throw new UserError(`${path} is a directory, not a notebook; pass .ipynb files.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new UserError(`${path} is not a notebook: it is not JSON (.ipynb files are nbformat 4 JSON).`);
  }
  const notebook = parsed as Partial<Notebook>;
  if (!notebook || typeof notebook !== "object" || !Array.isArray(notebook.cells))
    throw new UserError(`${path} is not a notebook: it has no "cells" list.`);
  if (notebook.nbformat !== 4)
    throw new UserError(`${path} is nbformat ${String(notebook.nbformat)}; agentbook reads nbformat 4 (convert it with \`jupyter nbconvert --to notebook\`).`);
  const kernel = notebook.metadata?.kernelspec;
  if (kernel?.name && !TYPESCRIPT_KERNELS.has(kernel.name) && kernel.language !== "typescript")
    throw new UserError(
      `${path} uses the kernel "${kernel.name}"${kernel.language ? ` (${kernel.language})` : ""}; agentbook runs TypeScript notebooks (kernel "agentbook").`,
    );
  for (const [index, cell] of notebook.cells.entries()) {
    if (!cell || !["code", "markdown", "raw"].includes((cell as NotebookCell).cell_type))
      throw new UserError(`${path}: cell ${index + 1} has no valid cell_type.`);
    cell.metadata ??= {};
    if (cell.cell_type === "code") {
      cell.outputs ??= [];
      cell.execution_count ??= null;
    }
  }
  notebook.metadata ??= {};
  return notebook as Notebook;
}

/** Write a notebook atomically (a temporary file renamed over the target). */
export function writeNotebook(path: string, notebook: Notebook): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(notebook, null, 1)}\n`);
  renameSync(temporary, path);
}
