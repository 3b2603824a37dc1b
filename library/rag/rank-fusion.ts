import type { RetrievedChunk } from "./retriever.ts";
import { chunkKey } from "./retriever.ts";

/**
 * Reciprocal rank fusion: a chunk scores Σ weight / (rrfK + rank) over the lists it appears in
 * (rank from 1), so chunks ranked high by several retrievers rise, whatever each one's score
 * scale. Returns the fused list, best first.
 */
export function reciprocalRankFusion(lists: readonly (readonly RetrievedChunk[])[], weights?: readonly number[], rrfK = 60): RetrievedChunk[] {
  const fused = new Map<string, { chunk: RetrievedChunk; score: number; firstSeen: number }>();
  let order = 0;
  lists.forEach((list, listIndex) => {
    const weight = weights?.[listIndex] ?? 1;
    list.forEach((chunk, rank) => {
      const key = chunkKey(chunk);
      const entry = fused.get(key) ?? { chunk, score: 0, firstSeen: order++ };
      entry.score += weight / (rrfK + rank + 1);
      fused.set(key, entry);
    });
  });
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.firstSeen - b.firstSeen)
    .map(({ chunk, score }) => ({ ...chunk, score }));
}
