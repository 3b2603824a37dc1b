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
import { memoryContentToText } from "./memory.ts";
import type { MemoryContent } from "./memory-content.ts";
import { displayableQueryResult } from "./memory-display.ts";
import type { MemoryFilter } from "./memory-filter.ts";
import { matchesMemoryFilter, validateMemoryFilter } from "./memory-filter.ts";

/** Options of ListMemory. */
export interface ListMemoryOptions {
  /** Name shown in events (default "default_list_memory"). */
  name?: string;
  /** Items the memory starts with, oldest first. */
  memoryContents?: readonly MemoryContent[];
}

function checkContent(content: MemoryContent): void {
  if (!content || typeof content !== "object" || !("content" in content) || typeof content.mimeType !== "string")
    throw new UserError(
      `A memory item needs { content, mimeType }; got ${JSON.stringify(content)?.slice(0, 80)}. ` +
        'For text: { content: "...", mimeType: "text/plain" }.',
    );
}

/**
 * The simplest memory: a list kept in order of addition. It does not search; every item goes
 * into the model's context, oldest first, as one SystemMessage. Good for user preferences and
 * a few standing facts.
 */
export class ListMemory implements Memory {
  readonly name: string;
  #contents: MemoryContent[];

  constructor(options: ListMemoryOptions = {}) {
    this.name = options.name ?? "default_list_memory";
    const initial = [...(options.memoryContents ?? [])];
    initial.forEach(checkContent);
    this.#contents = initial;
  }

  /** The items, oldest first (a copy). */
  get contents(): MemoryContent[] {
    return [...this.#contents];
  }

  /** Replace every item. */
  set contents(items: MemoryContent[]) {
    items.forEach(checkContent);
    this.#contents = [...items];
  }

  async add(content: MemoryContent, options: MemoryAddOptions = {}): Promise<void> {
    options.cancellationToken?.throwIfCancelled();
    checkContent(content);
    this.#contents.push(content);
  }

  /**
   * Every item, oldest first: a list does not rank, so the query text is not used. `filter`
   * keeps items whose metadata matches; `k` keeps the `k` most recent of those.
   */
  async query(query: string | MemoryContent = "", options: MemoryQueryOptions = {}): Promise<MemoryQueryResult> {
    options.cancellationToken?.throwIfCancelled();
    const started = performance.now();
    if (options.filter !== undefined) validateMemoryFilter(options.filter);
    let results = this.#contents.filter((item) => matchesMemoryFilter(item.metadata, options.filter));
    if (options.k !== undefined) results = options.k > 0 ? results.slice(-options.k) : [];
    return displayableQueryResult({ results }, this.name, query, performance.now() - started);
  }

  async list(options: MemoryListOptions = {}): Promise<MemoryContent[]> {
    options.cancellationToken?.throwIfCancelled();
    if (options.filter !== undefined) validateMemoryFilter(options.filter);
    return this.#contents.filter((item) => matchesMemoryFilter(item.metadata, options.filter));
  }

  async delete(filter: MemoryFilter, options: MemoryListOptions = {}): Promise<number> {
    options.cancellationToken?.throwIfCancelled();
    validateMemoryFilter(filter);
    const before = this.#contents.length;
    this.#contents = this.#contents.filter((item) => !matchesMemoryFilter(item.metadata, filter));
    return before - this.#contents.length;
  }

  /** Add every item to `modelContext` as one numbered SystemMessage; nothing when the list is empty. */
  async updateContext(modelContext: ChatCompletionContext): Promise<UpdateContextResult> {
    if (this.#contents.length === 0) return { memories: { results: [] } };
    const lines = this.#contents.map((item, index) => `${index + 1}. ${memoryContentToText(item)}`);
    const content = `\nRelevant memory content (in chronological order):\n${lines.join("\n")}\n`;
    await modelContext.addMessage({ type: "SystemMessage", content });
    return { memories: { results: [...this.#contents] } };
  }

  async clear(): Promise<void> {
    this.#contents = [];
  }

  async close(): Promise<void> {}
}
