import { lstat, readdir, realpath } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import picomatch from "picomatch";
import { UserError } from "../errors.ts";
import type { Document } from "./document.ts";
import { loadFile } from "./loaders.ts";

/** Options of loadDirectory. */
export interface DirectoryLoadOptions {
  /** Globs of files to load, relative to the folder (default: markdown, text, HTML and JSON files anywhere). */
  include?: string | string[];
  /** Globs to skip, besides node_modules and dot folders, which are always skipped. */
  exclude?: string | string[];
  /** Metadata added to every document. */
  metadata?: Record<string, unknown>;
  /** Most files to load; more is an error, so a wrong folder does not index a disk (default 10000). */
  maxFiles?: number;
}

const DEFAULT_INCLUDE = ["**/*.{md,markdown,txt,text,html,htm,json,jsonl}"];
const DEFAULT_EXCLUDE = ["**/node_modules/**", "**/.*/**"];

/**
 * Every matching file under `folder`, loaded by extension (markdown, HTML, JSON, text).
 * Sources are paths relative to the folder, with "/" separators. Symbolic links are not
 * followed, so nothing outside the folder is read.
 */
export async function loadDirectory(folder: string, options: DirectoryLoadOptions = {}): Promise<Document[]> {
  let root: string;
  try {
    root = await realpath(folder);
  } catch (error) {
    throw new UserError(`Cannot open folder ${folder}: ${(error as NodeJS.ErrnoException).code}. Check the path.`, { cause: error });
  }
  const include = picomatch([options.include ?? DEFAULT_INCLUDE].flat(), { dot: false });
  const exclude = picomatch([...DEFAULT_EXCLUDE, ...[options.exclude ?? []].flat()], { dot: true });
  const maxFiles = options.maxFiles ?? 10_000;
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = relative(root, path).split(sep).join("/");
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        if (!exclude(`${rel}/`) && !exclude(`${rel}/x`)) await walk(path);
      } else if (entry.isFile() && include(rel) && !exclude(rel)) {
        files.push(rel);
        if (files.length > maxFiles)
          throw new UserError(`${folder} has more than ${maxFiles} matching files; narrow include, or raise maxFiles.`);
      }
    }
  };
  if (!(await lstat(root)).isDirectory()) throw new UserError(`${folder} is not a folder.`);
  await walk(root);
  const documents: Document[] = [];
  for (const rel of files) documents.push(...(await loadFile(join(root, rel), { source: rel, metadata: options.metadata })));
  return documents;
}
