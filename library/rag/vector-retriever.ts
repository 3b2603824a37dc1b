import type { Memory } from "../memory/memory.ts";
import { memoryContentToText } from "../memory/memory.ts";
import type { RetrievedChunk, Retriever, RetrieveOptions } from "./retriever.ts";

/** Retrieval by meaning: the memory's own search (cosine similarity for vector memories). */
export class VectorRetriever implements Retriever {
  readonly name: string;
  readonly memory: Memory;
  readonly k: number;

  constructor(options: { memory: Memory; k?: number; name?: string }) {
    this.memory = options.memory;
    this.k = options.k ?? 5;
    this.name = options.name ?? `vector(${options.memory.name})`;
  }

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrievedChunk[]> {
    const { results } = await this.memory.query(query, { k: options.k ?? this.k, filter: options.filter, cancellationToken: options.cancellationToken });
    return results.map((item) => ({ text: memoryContentToText(item), score: item.score ?? 0, metadata: { ...item.metadata } }));
  }
}
