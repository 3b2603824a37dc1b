import { UserError } from "../errors.ts";
import type { ChatCompletionContext } from "../model-context/chat-completion-context.ts";
import type {
  Memory,
  MemoryAddOptions,
  MemoryListOptions,
  MemoryQueryOptions,
  MemoryQueryResult,
  UpdateContextResult,
} from "./memory.ts";
import type { MemoryContent } from "./memory-content.ts";
import { updateContextByQuery } from "./memory-context-update.ts";
import type { MemoryFilter } from "./memory-filter.ts";

/**
 * A memory that wraps another and passes every call through; the management wrappers
 * (eviction, access control, team attribution, triples) override what they change.
 * `updateContext` goes through this wrapper's own `query`, so what a wrapper changes about
 * queries also holds for what reaches the model.
 */
export abstract class MemoryWrapper implements Memory {
  readonly name: string;
  /** The memory underneath. */
  readonly inner: Memory;

  constructor(inner: Memory, name?: string) {
    if (!inner || typeof inner.add !== "function" || typeof inner.query !== "function")
      throw new UserError(`${new.target.name} wraps a Memory (ListMemory, EmbeddedVectorMemory, ...); got ${String(inner)}.`);
    this.inner = inner;
    this.name = name ?? inner.name;
  }

  /** Throws a UserError when the inner memory lacks `list`/`delete`, which `feature` needs. */
  protected requireListAndDelete(feature: string): void {
    if (typeof this.inner.list !== "function" || typeof this.inner.delete !== "function")
      throw new UserError(
        `${feature} needs a memory with list() and delete(); ${this.inner.name} has ${typeof this.inner.list === "function" ? "no delete()" : "no list()"}. ` +
          "Every built-in memory has both; add them to your own Memory class.",
      );
  }

  add(content: MemoryContent, options?: MemoryAddOptions): Promise<void> {
    return this.inner.add(content, options);
  }

  query(query: string | MemoryContent, options?: MemoryQueryOptions): Promise<MemoryQueryResult> {
    return this.inner.query(query, options);
  }

  updateContext(modelContext: ChatCompletionContext): Promise<UpdateContextResult> {
    return updateContextByQuery(this, modelContext);
  }

  async list(options?: MemoryListOptions): Promise<MemoryContent[]> {
    this.requireListAndDelete(`${this.name}.list`);
    return this.inner.list!(options);
  }

  async delete(filter: MemoryFilter, options?: MemoryListOptions): Promise<number> {
    this.requireListAndDelete(`${this.name}.delete`);
    return this.inner.delete!(filter, options);
  }

  clear(): Promise<void> {
    return this.inner.clear();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
