import { UserError } from "../errors.ts";
import type { Memory } from "../memory/memory.ts";
import { BM25Retriever } from "./bm25-retriever.ts";
import { reciprocalRankFusion } from "./rank-fusion.ts";
import type { RetrievedChunk, Retriever, RetrieveOptions } from "./retriever.ts";
import { VectorRetriever } from "./vector-retriever.ts";

/** Options of HybridRetriever. */
export interface HybridRetrieverOptions {
  /** The retrievers to fuse, each with a weight (default 1). */
  retrievers: ReadonlyArray<{ retriever: Retriever; weight?: number }>;
  /** Results per query (default 5). */
  k?: number;
  /** The rank constant of reciprocal rank fusion (default 60). */
  rrfK?: number;
  /** Each retriever is asked for k × this many candidates (default 4). */
  candidateMultiplier?: number;
  name?: string;
}

/**
 * Several retrievers at once, fused by weighted reciprocal rank: typically vector search
 * (finds paraphrases) with BM25 (finds exact names and codes).
 *
 * ```ts
 * const hybrid = HybridRetriever.vectorAndKeyword({ memory, vectorWeight: 0.7, keywordWeight: 0.3 });
 * ```
 */
export class HybridRetriever implements Retriever {
  readonly name: string;
  readonly k: number;
  readonly #parts: ReadonlyArray<{ retriever: Retriever; weight: number }>;
  readonly #rrfK: number;
  readonly #multiplier: number;

  constructor(options: HybridRetrieverOptions) {
    if (!options?.retrievers?.length) throw new UserError("HybridRetriever needs { retrievers: [{ retriever, weight }, ...] } with at least one.");
    this.#parts = options.retrievers.map(({ retriever, weight = 1 }) => {
      if (!(weight >= 0)) throw new UserError(`HybridRetriever: weight of ${retriever.name} must be 0 or more; got ${weight}.`);
      return { retriever, weight };
    });
    this.k = options.k ?? 5;
    this.#rrfK = options.rrfK ?? 60;
    this.#multiplier = options.candidateMultiplier ?? 4;
    this.name = options.name ?? `hybrid(${this.#parts.map((part) => `${part.retriever.name}×${part.weight}`).join(", ")})`;
  }

  /** Vector search over `memory` fused with BM25 over the same items (weights default 0.7 and 0.3). */
  static vectorAndKeyword(options: { memory: Memory; vectorWeight?: number; keywordWeight?: number; k?: number; rrfK?: number }): HybridRetriever {
    return new HybridRetriever({
      retrievers: [
        { retriever: new VectorRetriever({ memory: options.memory }), weight: options.vectorWeight ?? 0.7 },
        { retriever: new BM25Retriever({ memory: options.memory }), weight: options.keywordWeight ?? 0.3 },
      ],
      k: options.k,
      rrfK: options.rrfK,
    });
  }

  /** The retrievers fused, in order. */
  get retrievers(): Retriever[] {
    return this.#parts.map((part) => part.retriever);
  }

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrievedChunk[]> {
    const k = options.k ?? this.k;
    const lists = await Promise.all(
      this.#parts.map((part) => part.retriever.retrieve(query, { ...options, k: Math.max(k, k * this.#multiplier) })),
    );
    return reciprocalRankFusion(lists, this.#parts.map((part) => part.weight), this.#rrfK).slice(0, k);
  }
}
