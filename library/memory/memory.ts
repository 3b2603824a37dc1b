import type { CancellationToken } from "../core/cancellation-token.ts";
import type { ChatCompletionContext } from "../model-context/chat-completion-context.ts";
import type { MemoryContent } from "./memory-content.ts";
import type { MemoryFilter } from "./memory-filter.ts";

/** A memory item as a query returns it, with its relevance when the memory ranks results. */
export type ScoredMemoryContent = MemoryContent & {
  /** Relevance to the query (higher is closer); absent for memories that do not rank. */
  score?: number;
};

/** What a query found, best first (or in the memory's own order). */
export interface MemoryQueryResult {
  results: ScoredMemoryContent[];
}

/** What `updateContext` injected into a model context. */
export interface UpdateContextResult {
  memories: MemoryQueryResult;
}

export type { MemoryFilter } from "./memory-filter.ts";
export { matchesMemoryFilter } from "./memory-filter.ts";

/** Options of `Memory.query`. */
export interface MemoryQueryOptions {
  /** At most this many results. */
  k?: number;
  /** Leave out results scoring below this (for memories that score). */
  scoreThreshold?: number;
  /** Only items whose metadata matches. */
  filter?: MemoryFilter;
  cancellationToken?: CancellationToken;
}

/** Options of `Memory.add`. */
export interface MemoryAddOptions {
  cancellationToken?: CancellationToken;
}

/** Options of `Memory.list` and `Memory.delete`. */
export interface MemoryListOptions {
  /** Only items whose metadata matches. */
  filter?: MemoryFilter;
  cancellationToken?: CancellationToken;
}

/**
 * A store an agent consults before each model call. The agent calls `updateContext` with its
 * model context; the memory looks up what is relevant (usually by the last message) and adds it
 * to the context, typically as a SystemMessage, and reports what it added.
 *
 * Implement it for any backend: a list, a vector store, a database. Keep `query` side-effect free.
 */
export interface Memory {
  /** Identifies the memory in events and traces. */
  readonly name: string;
  /** Store one item. */
  add(content: MemoryContent, options?: MemoryAddOptions): Promise<void>;
  /** Find items for a query (text, or a MemoryContent to search by). */
  query(query: string | MemoryContent, options?: MemoryQueryOptions): Promise<MemoryQueryResult>;
  /** Add what is relevant to `modelContext` and say what was added. */
  updateContext(modelContext: ChatCompletionContext): Promise<UpdateContextResult>;
  /** Forget every item. */
  clear(): Promise<void>;
  /** Release connections and files. */
  close(): Promise<void>;
  /**
   * Every item (matching `filter`), in the order added. Optional: the management wrappers
   * (eviction, triples) and the document indexer need it; every built-in memory has it.
   */
  list?(options?: MemoryListOptions): Promise<MemoryContent[]>;
  /** Remove the items whose metadata matches `filter`; returns how many went. Optional, like `list`. */
  delete?(filter: MemoryFilter, options?: MemoryListOptions): Promise<number>;
}

/** A memory item as text for a model: strings as they are, JSON for objects, a note for bytes. */
export function memoryContentToText(item: MemoryContent): string {
  const { content } = item;
  if (typeof content === "string") return content;
  if (content instanceof Uint8Array) return `[${item.mimeType}, ${content.byteLength} bytes]`;
  return JSON.stringify(content);
}
