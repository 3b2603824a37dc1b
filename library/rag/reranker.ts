import type { CancellationToken } from "../core/cancellation-token.ts";
import type { RetrievedChunk } from "./retriever.ts";

/** Reorders retrieved chunks by how well each answers the query, giving them its own scores. */
export interface Reranker {
  readonly name: string;
  rerank(query: string, chunks: readonly RetrievedChunk[], options?: { cancellationToken?: CancellationToken }): Promise<RetrievedChunk[]>;
}

/** `chunks` with `scores`, best first; ties keep the order they came in. */
export function sortByScores(chunks: readonly RetrievedChunk[], scores: readonly number[]): RetrievedChunk[] {
  return chunks
    .map((chunk, index) => ({ chunk: { ...chunk, score: scores[index]! }, index }))
    .sort((a, b) => b.chunk.score - a.chunk.score || a.index - b.index)
    .map(({ chunk }) => chunk);
}
