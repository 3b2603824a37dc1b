import { randomUUID } from "node:crypto";
import { UserError } from "../errors.ts";
import type { Memory, MemoryAddOptions, MemoryListOptions, MemoryQueryOptions, MemoryQueryResult } from "./memory.ts";
import type { MemoryContent } from "./memory-content.ts";
import { displayableQueryResult } from "./memory-display.ts";
import type { MemoryFilter } from "./memory-filter.ts";
import { MemoryWrapper } from "./memory-wrapper.ts";

/** Options of EvictingMemory. */
export interface EvictingMemoryOptions {
  /** At most this many items; adding one more evicts by `policy`. */
  maxItems?: number;
  /** "lru": evict the item least recently returned by a query (or added); "fifo": the oldest (default "lru"). */
  policy?: "lru" | "fifo";
  /** Items older than this many milliseconds are no longer returned, and are deleted. */
  ttlMs?: number;
  /** Called with the items evicted or expired. */
  onEvict?: (items: MemoryContent[], reason: "capacity" | "expired") => void;
  /** The clock, in milliseconds (default Date.now; tests pass their own). */
  now?: () => number;
  /** Name (default: the inner memory's). */
  name?: string;
}

/** Metadata this wrapper adds to each item (and removes from what it returns). */
const ID = "_memoryId";
const ADDED = "_addedAt";

function strip(item: MemoryContent): MemoryContent {
  if (!item.metadata || !(ID in item.metadata)) return item;
  const { [ID]: _id, [ADDED]: _added, ...rest } = item.metadata;
  const out: MemoryContent = { ...item, metadata: rest };
  if (Object.keys(rest).length === 0) delete out.metadata;
  return out;
}

/**
 * Caps a memory's size (evicting least recently used or oldest first) and/or lets items expire,
 * around any memory with `list` and `delete`. Items added through it carry `_memoryId` and
 * `_addedAt` metadata, so expiry survives a restart of a persistent memory; recency of use is
 * kept in this process. Only items added through the wrapper are counted and evicted; with
 * `ttlMs`, only they are returned.
 *
 * ```ts
 * const memory = new EvictingMemory(new EmbeddedVectorMemory({ path: "./mem" }), { maxItems: 1000, policy: "lru", ttlMs: 7 * 86_400_000 });
 * ```
 */
export class EvictingMemory extends MemoryWrapper {
  readonly maxItems?: number;
  readonly policy: "lru" | "fifo";
  readonly ttlMs?: number;
  readonly #onEvict?: EvictingMemoryOptions["onEvict"];
  readonly #now: () => number;
  /** memoryId -> last use (LRU) or addition (FIFO), for items added through this wrapper. */
  #lastUse: Map<string, number> | undefined;
  #tick = 0;

  constructor(memory: Memory, options: EvictingMemoryOptions = {}) {
    super(memory, options.name);
    if (options.maxItems === undefined && options.ttlMs === undefined)
      throw new UserError("EvictingMemory needs maxItems, ttlMs or both; without them it would never evict.");
    if (options.maxItems !== undefined && !(Number.isInteger(options.maxItems) && options.maxItems > 0))
      throw new UserError(`EvictingMemory: maxItems must be a positive whole number; got ${options.maxItems}.`);
    if (options.ttlMs !== undefined && !(options.ttlMs > 0)) throw new UserError(`EvictingMemory: ttlMs must be above 0; got ${options.ttlMs}.`);
    if (options.policy !== undefined && options.policy !== "lru" && options.policy !== "fifo")
      throw new UserError(`EvictingMemory: policy is "lru" or "fifo"; got ${JSON.stringify(options.policy)}.`);
    this.requireListAndDelete("EvictingMemory");
    this.maxItems = options.maxItems;
    this.policy = options.policy ?? "lru";
    this.ttlMs = options.ttlMs;
    this.#onEvict = options.onEvict;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Order stamps: a counter, not the clock, which can stand still between two calls (and whose
   * milliseconds leave no room in a double for a tie-breaker).
   */
  #stamp(): number {
    return ++this.#tick;
  }

  async #tracked(): Promise<Map<string, number>> {
    if (!this.#lastUse) {
      const items = await this.inner.list!();
      this.#lastUse = new Map();
      // After a restart, the order of addition stands in for the order of use.
      const added = (item: MemoryContent) => Number(item.metadata?.[ADDED] ?? 0);
      for (const item of [...items].sort((a, b) => added(a) - added(b))) {
        const id = item.metadata?.[ID];
        if (typeof id === "string") this.#lastUse.set(id, this.#stamp());
      }
    }
    return this.#lastUse;
  }

  #liveFilter(filter: MemoryFilter | undefined): MemoryFilter | undefined {
    if (this.ttlMs === undefined) return filter;
    const fresh: MemoryFilter = { [ADDED]: { $gte: this.#now() - this.ttlMs } };
    return filter ? { $and: [filter, fresh] } : fresh;
  }

  async #expire(): Promise<void> {
    if (this.ttlMs === undefined) return;
    const expired: MemoryFilter = { [ADDED]: { $lt: this.#now() - this.ttlMs } };
    const items = await this.inner.list!({ filter: expired });
    if (items.length === 0) return;
    await this.inner.delete!(expired);
    const tracked = await this.#tracked();
    for (const item of items) tracked.delete(String(item.metadata?.[ID]));
    this.#onEvict?.(items.map(strip), "expired");
  }

  async add(content: MemoryContent, options: MemoryAddOptions = {}): Promise<void> {
    await this.#expire();
    const tracked = await this.#tracked();
    const id = randomUUID();
    await this.inner.add({ ...content, metadata: { ...content.metadata, [ID]: id, [ADDED]: this.#now() } }, options);
    tracked.set(id, this.#stamp());
    if (this.maxItems === undefined || tracked.size <= this.maxItems) return;
    const victims = [...tracked.entries()]
      .sort((a, b) => a[1] - b[1])
      .slice(0, tracked.size - this.maxItems)
      .map(([victim]) => victim);
    const filter: MemoryFilter = { [ID]: { $in: victims } };
    const items = this.#onEvict ? await this.inner.list!({ filter }) : [];
    await this.inner.delete!(filter);
    for (const victim of victims) tracked.delete(victim);
    this.#onEvict?.(items.map(strip), "capacity");
  }

  async query(query: string | MemoryContent, options: MemoryQueryOptions = {}): Promise<MemoryQueryResult> {
    const started = performance.now();
    await this.#expire();
    const found = await this.inner.query(query, { ...options, filter: this.#liveFilter(options.filter) });
    if (this.policy === "lru") {
      const tracked = await this.#tracked();
      for (const item of found.results) {
        const id = item.metadata?.[ID];
        if (typeof id === "string" && tracked.has(id)) tracked.set(id, this.#stamp());
      }
    }
    return displayableQueryResult({ results: found.results.map(strip) }, this.name, query, performance.now() - started);
  }

  async list(options: MemoryListOptions = {}): Promise<MemoryContent[]> {
    return (await this.inner.list!({ ...options, filter: this.#liveFilter(options.filter) })).map(strip);
  }

  async delete(filter: MemoryFilter, options?: MemoryListOptions): Promise<number> {
    const removed = await this.inner.delete!(filter, options);
    this.#lastUse = undefined;
    return removed;
  }

  async clear(): Promise<void> {
    await this.inner.clear();
    this.#lastUse = new Map();
  }
}
