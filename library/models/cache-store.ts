import type { CreateResult } from "./types.ts";

/** Where a ChatCompletionCache keeps results, by key. Keys are hex hashes. */
export interface CacheStore {
  /** The stored result, or undefined on a miss. */
  get(key: string): Promise<CreateResult | undefined>;
  /** Store `value` under `key`, replacing what was there. */
  set(key: string, value: CreateResult): Promise<void>;
}

/** A cache store that lives as long as the process (the default). */
export class InMemoryCacheStore implements CacheStore {
  readonly #entries = new Map<string, string>();

  async get(key: string): Promise<CreateResult | undefined> {
    const text = this.#entries.get(key);
    // Stored as JSON so a caller mutating a returned result cannot change the cache.
    return text === undefined ? undefined : (JSON.parse(text) as CreateResult);
  }

  async set(key: string, value: CreateResult): Promise<void> {
    this.#entries.set(key, JSON.stringify(value));
  }

  /** Number of stored results. */
  get size(): number {
    return this.#entries.size;
  }
}
