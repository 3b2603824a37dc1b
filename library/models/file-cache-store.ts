import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { UserError } from "../errors.ts";
import type { CacheStore } from "./cache-store.ts";
import type { CreateResult } from "./types.ts";

const KEY_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * A cache store on disk: one JSON file per key in `dir`, written atomically (temporary file,
 * then rename), so results survive the process and a crash never leaves half a file.
 */
export class FileCacheStore implements CacheStore {
  /** The folder holding the cache files. */
  readonly dir: string;

  constructor(dir: string) {
    if (typeof dir !== "string" || dir === "") throw new UserError("FileCacheStore needs a folder path, for example new FileCacheStore(\".cache/models\").");
    this.dir = resolve(dir);
  }

  #path(key: string): string {
    // Keys become file names: only plain characters, so a key can never leave the folder.
    if (!KEY_PATTERN.test(key)) throw new UserError(`Cache key ${JSON.stringify(key)} is not valid: use 1 to 128 letters, digits, "_" or "-".`);
    return join(this.dir, `${key}.json`);
  }

  async get(key: string): Promise<CreateResult | undefined> {
    let text: string;
    try {
      text = await readFile(this.#path(key), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    try {
      return JSON.parse(text) as CreateResult;
    } catch {
      return undefined; // A damaged entry is a miss; the next set replaces it.
    }
  }

  async set(key: string, value: CreateResult): Promise<void> {
    const path = this.#path(key);
    await mkdir(this.dir, { recursive: true });
    const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, JSON.stringify(value), "utf8");
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
