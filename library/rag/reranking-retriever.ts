import type { Reranker } from "./reranker.ts";
import type { RetrievedChunk, Retriever, RetrieveOptions } from "./retriever.ts";

/** Retrieve many candidates cheaply, then keep the `k` a reranker rates best. */
export class RerankingRetriever implements Retriever {
  readonly name: string;
  readonly #retriever: Retriever;
  readonly #reranker: Reranker;
  readonly #candidates: number;
  readonly #k: number;

  constructor(options: { retriever: Retriever; reranker: Reranker; candidates?: number; k?: number; name?: string }) {
    this.#retriever = options.retriever;
    this.#reranker = options.reranker;
    this.#candidates = options.candidates ?? 20;
    this.#k = options.k ?? 5;
    this.name = options.name ?? `reranked(${options.retriever.name}, ${options.reranker.name})`;
  }

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrievedChunk[]> {
    const k = options.k ?? this.#k;
    const candidates = await this.#retriever.retrieve(query, { ...options, k: Math.max(k, this.#candidates) });
    return (await this.#reranker.rerank(query, candidates, options)).slice(0, k);
  }
}
