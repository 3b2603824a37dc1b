import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { UserError } from "../errors.ts";
import type { Document } from "./document.ts";
import { htmlTitle, htmlToText } from "./html-to-text.ts";

/** Options every loader takes. */
export interface LoadOptions {
  /** What to call the document (default: the path). */
  source?: string;
  /** Metadata added to the document. */
  metadata?: Record<string, unknown>;
}

async function read(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new UserError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Check the path.`, { cause: error });
  }
}

/** A plain text file as one document. */
export async function loadText(path: string, options: LoadOptions = {}): Promise<Document> {
  return { source: options.source ?? path, text: await read(path), metadata: { ...options.metadata, format: "text" } };
}

/** A markdown file as one document, its first `#` heading as `metadata.title`. */
export async function loadMarkdown(path: string, options: LoadOptions = {}): Promise<Document> {
  const text = await read(path);
  const title = /^#\s+(.+)$/m.exec(text)?.[1]?.trim();
  return { source: options.source ?? path, text, metadata: { ...(title ? { title } : {}), ...options.metadata, format: "markdown" } };
}

/** An HTML file as one document of its visible text, its `<title>` as `metadata.title`. */
export async function loadHtml(path: string, options: LoadOptions = {}): Promise<Document> {
  const html = await read(path);
  const title = htmlTitle(html);
  return { source: options.source ?? path, text: htmlToText(html), metadata: { ...(title ? { title } : {}), ...options.metadata, format: "html" } };
}

/** Options of loadJson. */
export interface JsonLoadOptions extends LoadOptions {
  /** Fields whose values make a record's text (default: the whole record as JSON). */
  textFields?: string[];
  /** Fields copied into each document's metadata. */
  metadataFields?: string[];
}

/**
 * A JSON file as documents: one per element when it holds an array (sources `path#0`,
 * `path#1`...), else one; or a JSON Lines file (`.jsonl`), one per line.
 */
export async function loadJson(path: string, options: JsonLoadOptions = {}): Promise<Document[]> {
  const raw = await read(path);
  let records: unknown[];
  let many: boolean;
  try {
    if (extname(path).toLowerCase() === ".jsonl") {
      records = raw.split("\n").filter((line) => line.trim()).map((line) => JSON.parse(line));
      many = true;
    } else {
      const parsed: unknown = JSON.parse(raw);
      many = Array.isArray(parsed);
      records = many ? (parsed as unknown[]) : [parsed];
    }
  } catch (error) {
    throw new UserError(`${path} is not valid JSON: ${(error as Error).message}.`, { cause: error });
  }
  const source = options.source ?? path;
  return records.map((record, index) => {
    const object = record && typeof record === "object" ? (record as Record<string, unknown>) : { value: record };
    const text = options.textFields
      ? options.textFields
          .map((field) => object[field])
          .filter((value) => value !== undefined && value !== null)
          .map((value) => (typeof value === "string" ? value : JSON.stringify(value)))
          .join("\n")
      : JSON.stringify(record, null, 2);
    const metadata: Record<string, unknown> = { ...options.metadata, format: "json" };
    for (const field of options.metadataFields ?? []) if (object[field] !== undefined) metadata[field] = object[field];
    return { source: many ? `${source}#${index}` : source, text, metadata };
  });
}

/** The loader for a file, by extension: markdown, HTML, JSON, or plain text. */
export async function loadFile(path: string, options: LoadOptions = {}): Promise<Document[]> {
  const extension = extname(path).toLowerCase();
  if (extension === ".md" || extension === ".markdown" || extension === ".mdx") return [await loadMarkdown(path, options)];
  if (extension === ".html" || extension === ".htm") return [await loadHtml(path, options)];
  if (extension === ".json" || extension === ".jsonl") return loadJson(path, options);
  return [await loadText(path, options)];
}
