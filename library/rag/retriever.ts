import type { CancellationToken } from "../core/cancellation-token.ts";
import type { MemoryFilter } from "../memory/memory-filter.ts";

/** A chunk a retriever found, with how well it matched (higher is better; scales differ by retriever). */
export interface RetrievedChunk {
  text: string;
  score: number;
  /** The chunk's metadata: `source`, `chunkIndex`, and what the document carried. */
  metadata: Record<string, unknown>;
}

/** Options of `Retriever.retrieve`. */
export interface RetrieveOptions {
  /** At most this many chunks (default: the retriever's own, usually 5). */
  k?: number;
  /** Only chunks whose metadata matches. */
  filter?: MemoryFilter;
  cancellationToken?: CancellationToken;
}

/** Finds the chunks that answer a query. Vector, keyword, hybrid, expanding, reranking and multi-hop retrievers all are one. */
export interface Retriever {
  /** Identifies the retriever in displays and traces. */
  readonly name: string;
  retrieve(query: string, options?: RetrieveOptions): Promise<RetrievedChunk[]>;
}

/** A key that identifies a chunk across retrievers: `source#chunkIndex`, or its text. */
export function chunkKey(chunk: RetrievedChunk): string {
  const { source, chunkIndex } = chunk.metadata;
  return typeof source === "string" && chunkIndex !== undefined ? `${source}#${String(chunkIndex)}` : `text:${chunk.text}`;
}

/** How a chunk is cited: "guide.md#3", or "guide.md" for a one-chunk document. */
export function chunkCitation(chunk: RetrievedChunk): string {
  const { source, chunkIndex, chunkCount, section } = chunk.metadata;
  if (typeof source !== "string") return "memory";
  const where = typeof section === "string" && section ? ` (${section})` : "";
  return chunkCount === 1 || chunkIndex === undefined ? `${source}${where}` : `${source}#${String(chunkIndex)}${where}`;
}
