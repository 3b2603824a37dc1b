import { lstat, mkdir, readdir, readFile, realpath, rename, rm, rmdir, stat, unlink } from "node:fs/promises";
import type { Stats } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { HttpError } from "../http-error.ts";
import { writeFileAtomic } from "./atomic-write.ts";
import { containedPath, normalizeApiPath } from "./contained-path.ts";
import { notebookProblem, parseNotebook, serializeNotebook, type NotebookJson } from "./notebook-file.ts";

/** What the contents API says about a file, notebook or directory (Jupyter Server's model). */
export interface ContentsModel {
  name: string;
  path: string;
  type: "directory" | "file" | "notebook";
  writable: boolean;
  created: string;
  last_modified: string;
  mimetype: string | null;
  content: unknown;
  format: "json" | "text" | "base64" | null;
  size?: number;
}

/** A saved copy of a file that can be restored. */
export interface CheckpointModel {
  id: string;
  last_modified: string;
}

/** Options of `get`. */
export interface GetOptions {
  /** Include the content (default true). */
  content?: boolean;
  /** Read as this type ("file" reads a notebook as text). */
  type?: ContentsModel["type"];
  /** For files: "text" or "base64". */
  format?: "text" | "base64";
}

const CHECKPOINT_DIR = ".ipynb_checkpoints";
const CHECKPOINT_ID = "checkpoint";

const MIME_TYPES: Record<string, string> = {
  ".ts": "text/typescript",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".json": "application/json",
  ".md": "text/markdown",
  ".txt": "text/plain",
  ".csv": "text/csv",
  ".html": "text/html",
  ".css": "text/css",
  ".py": "text/x-python",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".svg": "image/svg+xml",
  ".pdf": "application/pdf",
};

function mimeTypeOf(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
}

function joinApi(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** An empty nbformat 4.5 notebook set up for the agentbook kernel. */
export function emptyNotebook(): NotebookJson {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "agentbook", display_name: "TypeScript (agentbook)", language: "typescript" },
      language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
    },
    cells: [],
  };
}

/**
 * The contents API over a directory on disk: list, read, create, save (atomic), rename, delete
 * and checkpoints, all confined to `root`. Notebooks that do not parse are reported and never
 * overwritten.
 */
export class LocalContents {
  /** Real path of the directory the API serves. */
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /** Serve `root` (resolved through symlinks once, so containment checks compare real paths). */
  static async open(root: string): Promise<LocalContents> {
    const real = await realpath(root).catch(() => {
      throw new Error(`Notebook directory ${root} does not exist; create it or pass another directory.`);
    });
    if (!(await stat(real)).isDirectory()) throw new Error(`${root} is not a directory; pass the folder that holds your notebooks.`);
    return new LocalContents(real);
  }

  async #statOrThrow(path: string, apiPath: string): Promise<Stats> {
    try {
      return await stat(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new HttpError(404, `No such file or directory: ${apiPath}`);
      throw error;
    }
  }

  async #exists(path: string): Promise<boolean> {
    try {
      await lstat(path);
      return true;
    } catch {
      return false;
    }
  }

  #baseModel(apiPath: string, stats: Stats, type: ContentsModel["type"]): ContentsModel {
    return {
      name: basename(apiPath),
      path: apiPath,
      type,
      writable: (stats.mode & 0o200) !== 0,
      created: stats.birthtime.toISOString(),
      last_modified: stats.mtime.toISOString(),
      mimetype: null,
      content: null,
      format: null,
      size: type === "directory" ? undefined : stats.size,
    };
  }

  /** Read a directory listing, a notebook or a file. */
  async get(apiPath: string, options: GetOptions = {}): Promise<ContentsModel> {
    apiPath = normalizeApiPath(apiPath);
    const path = await containedPath(this.root, apiPath);
    const stats = await this.#statOrThrow(path, apiPath);
    const withContent = options.content ?? true;
    if (stats.isDirectory()) {
      if (options.type && options.type !== "directory") throw new HttpError(400, `${apiPath || "/"} is a directory, not a ${options.type}.`);
      const model = this.#baseModel(apiPath, stats, "directory");
      if (withContent) {
        model.format = "json";
        model.content = await this.#list(path, apiPath);
      }
      return model;
    }
    if (!stats.isFile()) throw new HttpError(400, `${apiPath} is neither a file nor a directory.`);
    const asNotebook = options.type ? options.type === "notebook" : apiPath.endsWith(".ipynb");
    if (asNotebook) {
      const model = this.#baseModel(apiPath, stats, "notebook");
      if (withContent) {
        model.content = parseNotebook(await readFile(path, "utf8"), apiPath);
        model.format = "json";
      }
      return model;
    }
    const model = this.#baseModel(apiPath, stats, "file");
    model.mimetype = mimeTypeOf(path);
    if (withContent) {
      const bytes = await readFile(path);
      const text = options.format === "base64" ? null : decodeUtf8(bytes);
      if (options.format === "text" && text === null) throw new HttpError(400, `${apiPath} is not UTF-8 text; read it with format=base64.`);
      if (text !== null) {
        model.content = text;
        model.format = "text";
        if (model.mimetype === "application/octet-stream") model.mimetype = "text/plain";
      } else {
        model.content = bytes.toString("base64");
        model.format = "base64";
      }
    }
    return model;
  }

  async #list(path: string, apiPath: string): Promise<ContentsModel[]> {
    const entries: ContentsModel[] = [];
    for (const name of (await readdir(path)).sort((a, b) => a.localeCompare(b))) {
      if (name.startsWith(".")) continue;
      const childApi = joinApi(apiPath, name);
      try {
        await containedPath(this.root, childApi);
        const stats = await stat(join(path, name));
        const type = stats.isDirectory() ? "directory" : name.endsWith(".ipynb") ? "notebook" : "file";
        const model = this.#baseModel(childApi, stats, type);
        if (type === "file") model.mimetype = mimeTypeOf(name);
        entries.push(model);
      } catch {
        // Broken links and links leading out of the root are not listed.
      }
    }
    return entries;
  }

  /** Save a notebook, file or directory at `apiPath`; `created` says whether it is new. */
  async save(apiPath: string, model: Record<string, unknown>): Promise<{ model: ContentsModel; created: boolean }> {
    apiPath = normalizeApiPath(apiPath);
    if (!apiPath) throw new HttpError(400, "Cannot save over the notebook root; give a file name.");
    const path = await containedPath(this.root, apiPath);
    const type = model.type;
    const existed = await this.#exists(path);
    if (type === "directory") {
      await mkdir(path, { recursive: true });
      return { model: await this.get(apiPath, { content: false }), created: !existed };
    }
    if (!(await this.#exists(dirname(path)))) throw new HttpError(404, `Directory of ${apiPath} does not exist; create it first.`);
    if (type === "notebook") {
      const problem = notebookProblem(model.content);
      if (problem) throw new HttpError(400, `Cannot save ${apiPath}: the content is not an nbformat 4 notebook (${problem}).`);
      if (existed) await this.#refuseUnreadableNotebook(path, apiPath);
      if (existed) await this.#keepFirstCheckpoint(path, apiPath);
      await writeFileAtomic(path, serializeNotebook(model.content as NotebookJson));
    } else if (type === "file") {
      const format = model.format ?? "text";
      if (typeof model.content !== "string") throw new HttpError(400, `Cannot save ${apiPath}: a file's content must be a string.`);
      if (format !== "text" && format !== "base64") throw new HttpError(400, `Cannot save ${apiPath}: format must be "text" or "base64", not ${JSON.stringify(format)}.`);
      if (existed) await this.#keepFirstCheckpoint(path, apiPath);
      await writeFileAtomic(path, format === "base64" ? Buffer.from(model.content, "base64") : model.content);
    } else {
      throw new HttpError(400, `Cannot save ${apiPath}: model.type must be "notebook", "file" or "directory", not ${JSON.stringify(type)}.`);
    }
    return { model: await this.get(apiPath, { content: false, type: type as ContentsModel["type"] }), created: !existed };
  }

  /** A notebook on disk that does not parse is never overwritten: the user's data may be in it. */
  async #refuseUnreadableNotebook(path: string, apiPath: string): Promise<void> {
    const text = await readFile(path, "utf8");
    try {
      parseNotebook(text, apiPath);
    } catch (error) {
      throw new HttpError(409, `${(error as Error).message.replace(" The file was left untouched.", "")} The server will not overwrite it; fix or rename the file first.`);
    }
  }

  /** The first overwrite of a file keeps its previous version as the checkpoint, so a bad save can be undone. */
  async #keepFirstCheckpoint(path: string, apiPath: string): Promise<void> {
    const checkpoint = this.#checkpointPath(path);
    if (!(await this.#exists(checkpoint))) await this.#copyToCheckpoint(path, checkpoint, apiPath);
  }

  /** Create an untitled notebook, file or directory in `dirApiPath`, or a copy of `copy_from`. */
  async create(dirApiPath: string, options: { type?: string; ext?: string; copy_from?: string }): Promise<ContentsModel> {
    dirApiPath = normalizeApiPath(dirApiPath);
    const dir = await containedPath(this.root, dirApiPath);
    const dirStats = await this.#statOrThrow(dir, dirApiPath);
    if (!dirStats.isDirectory()) throw new HttpError(400, `${dirApiPath} is not a directory; new files are created inside a directory.`);
    if (options.copy_from) {
      const sourceApi = normalizeApiPath(options.copy_from);
      const source = await containedPath(this.root, sourceApi);
      await this.#statOrThrow(source, sourceApi);
      const ext = extname(sourceApi);
      const stem = basename(sourceApi, ext);
      const name = await this.#freeName(dir, (n) => `${stem}-Copy${n || 1}${ext}`, true);
      await writeFileAtomic(join(dir, name), await readFile(source));
      return this.get(joinApi(dirApiPath, name), { content: false });
    }
    const type = options.type ?? "file";
    if (type === "directory") {
      const name = await this.#freeName(dir, (n) => (n ? `Untitled Folder ${n}` : "Untitled Folder"));
      await mkdir(join(dir, name));
      return this.get(joinApi(dirApiPath, name), { content: false });
    }
    const ext = type === "notebook" ? ".ipynb" : options.ext ? (options.ext.startsWith(".") ? options.ext : `.${options.ext}`) : ".txt";
    const name = await this.#freeName(dir, (n) => `Untitled${n || ""}${ext}`);
    if (type === "notebook") await writeFileAtomic(join(dir, name), serializeNotebook(emptyNotebook()));
    else if (type === "file") await writeFileAtomic(join(dir, name), "");
    else throw new HttpError(400, `Cannot create a ${JSON.stringify(type)}: type must be "notebook", "file" or "directory".`);
    return this.get(joinApi(dirApiPath, name), { content: false });
  }

  async #freeName(dir: string, name: (n: number) => string, startAtOne = false): Promise<string> {
    for (let n = startAtOne ? 1 : 0; n < 10_000; n++) {
      if (!(await this.#exists(join(dir, name(n))))) return name(n);
    }
    throw new HttpError(409, `No free name left in ${dir}.`);
  }

  /** Move or rename; refuses to replace an existing file. */
  async rename(apiPath: string, newApiPath: string): Promise<ContentsModel> {
    apiPath = normalizeApiPath(apiPath);
    newApiPath = normalizeApiPath(newApiPath);
    if (!apiPath || !newApiPath) throw new HttpError(400, "Cannot rename the notebook root.");
    const from = await containedPath(this.root, apiPath);
    const to = await containedPath(this.root, newApiPath);
    await this.#statOrThrow(from, apiPath);
    if (from !== to && (await this.#exists(to))) throw new HttpError(409, `Cannot rename ${apiPath} to ${newApiPath}: ${newApiPath} already exists.`);
    await rename(from, to);
    const oldCheckpoint = this.#checkpointPath(from);
    if (await this.#exists(oldCheckpoint)) {
      const newCheckpoint = this.#checkpointPath(to);
      await mkdir(dirname(newCheckpoint), { recursive: true });
      await rename(oldCheckpoint, newCheckpoint).catch(() => {});
    }
    return this.get(newApiPath, { content: false });
  }

  /** Delete a file (and its checkpoint) or an empty directory. */
  async delete(apiPath: string): Promise<void> {
    apiPath = normalizeApiPath(apiPath);
    if (!apiPath) throw new HttpError(400, "Cannot delete the notebook root.");
    const path = await containedPath(this.root, apiPath);
    const stats = await lstat(path).catch(() => null);
    if (!stats) throw new HttpError(404, `No such file or directory: ${apiPath}`);
    if (stats.isDirectory()) {
      const visible = (await readdir(path)).filter((name) => name !== CHECKPOINT_DIR);
      if (visible.length > 0) throw new HttpError(400, `Directory ${apiPath} is not empty; delete what is inside it first.`);
      await rm(join(path, CHECKPOINT_DIR), { recursive: true, force: true });
      await rmdir(path);
      return;
    }
    await unlink(path);
    await unlink(this.#checkpointPath(path)).catch(() => {});
  }

  #checkpointPath(path: string): string {
    const ext = extname(path);
    return join(dirname(path), CHECKPOINT_DIR, `${basename(path, ext)}-checkpoint${ext}`);
  }

  async #copyToCheckpoint(path: string, checkpoint: string, apiPath: string): Promise<void> {
    await mkdir(dirname(checkpoint), { recursive: true });
    const bytes = await readFile(path).catch(() => {
      throw new HttpError(404, `No such file: ${apiPath}`);
    });
    await writeFileAtomic(checkpoint, bytes);
  }

  async #checkpointModel(checkpoint: string): Promise<CheckpointModel | null> {
    const stats = await stat(checkpoint).catch(() => null);
    return stats ? { id: CHECKPOINT_ID, last_modified: stats.mtime.toISOString() } : null;
  }

  /** The checkpoints of a file (zero or one). */
  async listCheckpoints(apiPath: string): Promise<CheckpointModel[]> {
    const path = await containedPath(this.root, normalizeApiPath(apiPath));
    const model = await this.#checkpointModel(this.#checkpointPath(path));
    return model ? [model] : [];
  }

  /** Save the current file as its checkpoint. */
  async createCheckpoint(apiPath: string): Promise<CheckpointModel> {
    apiPath = normalizeApiPath(apiPath);
    const path = await containedPath(this.root, apiPath);
    const checkpoint = this.#checkpointPath(path);
    await this.#copyToCheckpoint(path, checkpoint, apiPath);
    return (await this.#checkpointModel(checkpoint))!;
  }

  /** Put the checkpoint back in place of the file. */
  async restoreCheckpoint(apiPath: string, id: string): Promise<void> {
    apiPath = normalizeApiPath(apiPath);
    const path = await containedPath(this.root, apiPath);
    const checkpoint = this.#checkpointPath(path);
    if (id !== CHECKPOINT_ID || !(await this.#exists(checkpoint))) throw new HttpError(404, `No checkpoint ${id} for ${apiPath}.`);
    await writeFileAtomic(path, await readFile(checkpoint));
  }

  /** Forget a checkpoint. */
  async deleteCheckpoint(apiPath: string, id: string): Promise<void> {
    apiPath = normalizeApiPath(apiPath);
    const path = await containedPath(this.root, apiPath);
    const checkpoint = this.#checkpointPath(path);
    if (id !== CHECKPOINT_ID || !(await this.#exists(checkpoint))) throw new HttpError(404, `No checkpoint ${id} for ${apiPath}.`);
    await unlink(checkpoint);
  }
}

function decodeUtf8(bytes: Buffer): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
