import { UserError } from "../errors.ts";
import type { Memory } from "../memory/memory.ts";
import { memoryContentToText } from "../memory/memory.ts";
import { matchesMemoryFilter } from "../memory/memory-filter.ts";
import type { Chunk } from "./document.ts";
import { keywordTerms } from "./keyword-tokens.ts";
import type { RetrievedChunk, Retriever, RetrieveOptions } from "./retriever.ts";

/** Options of BM25Retriever. */
export interface BM25RetrieverOptions {
  /** Build the index from this memory's items (on first use, and on `refresh()`). */
  memory?: Memory;
  /** Or from these chunks. */
  chunks?: readonly Chunk[];
  /** Results per query (default 5). */
  k?: number;
  /** Term-frequency saturation (default 1.2). */
  k1?: number;
  /** Length normalisation, 0 to 1 (default 0.75). */
  b?: number;
  name?: string;
}

interface Posting {
  doc: number;
  frequency: number;
}

/**
 * Keyword retrieval with Okapi BM25 over an in-process inverted index: rare query words that
 * a chunk repeats rank it high. Build it from chunks, or from a memory (call `refresh()` after
 * indexing more).
 */
export class BM25Retriever implements Retriever {
  readonly name: string;
  readonly k: number;
  readonly #k1: number;
  readonly #b: number;
  readonly #memory?: Memory;
  #docs: Chunk[] = [];
  #lengths: number[] = [];
  #postings = new Map<string, Posting[]>();
  #totalLength = 0;
  #built = false;

  constructor(options: BM25RetrieverOptions = {}) {
    if (options.memory && typeof options.memory.list !== "function")
      throw new UserError(`BM25Retriever reads a memory's items with list(); ${options.memory.name} has none. Pass chunks instead.`);
    this.#memory = options.memory;
    this.k = options.k ?? 5;
    this.#k1 = options.k1 ?? 1.2;
    this.#b = options.b ?? 0.75;
    this.name = options.name ?? (options.memory ? `bm25(${options.memory.name})` : "bm25");
    if (options.chunks) {
      this.add(options.chunks);
      this.#built = true;
    }
  }

  /** Number of chunks indexed. */
  get size(): number {
    return this.#docs.length;
  }

  /** Add chunks to the index. */
  add(chunks: readonly Chunk[]): void {
    for (const chunk of chunks) {
      const doc = this.#docs.length;
      this.#docs.push(chunk);
      const terms = keywordTerms(chunk.text);
      this.#lengths.push(terms.length);
      this.#totalLength += terms.length;
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, frequency] of counts) {
        let list = this.#postings.get(term);
        if (!list) this.#postings.set(term, (list = []));
        list.push({ doc, frequency });
      }
    }
  }

  /** Rebuild the index from the memory. */
  async refresh(): Promise<void> {
    if (!this.#memory) return;
    const items = await this.#memory.list!();
    this.#docs = [];
    this.#lengths = [];
    this.#postings = new Map();
    this.#totalLength = 0;
    this.add(
      items.map((item) => ({
        text: memoryContentToText(item),
        metadata: { source: "memory", chunkIndex: 0, ...item.metadata } as Chunk["metadata"],
      })),
    );
    this.#built = true;
  }

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrievedChunk[]> {
    options.cancellationToken?.throwIfCancelled();
    if (!this.#built) await this.refresh();
    const k = options.k ?? this.k;
    const count = this.#docs.length;
    if (count === 0 || k <= 0) return [];
    const averageLength = this.#totalLength / count || 1;
    const scores = new Map<number, number>();
    for (const term of new Set(keywordTerms(query))) {
      const postings = this.#postings.get(term);
      if (!postings) continue;
      const idf = Math.log(1 + (count - postings.length + 0.5) / (postings.length + 0.5));
      for (const { doc, frequency } of postings) {
        const norm = frequency + this.#k1 * (1 - this.#b + (this.#b * this.#lengths[doc]!) / averageLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * frequency * (this.#k1 + 1)) / norm);
      }
    }
    return [...scores.entries()]
      .filter(([doc]) => matchesMemoryFilter(this.#docs[doc]!.metadata, options.filter))
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .map(([doc, score]) => ({ text: this.#docs[doc]!.text, score, metadata: { ...this.#docs[doc]!.metadata } }));
  }
}
