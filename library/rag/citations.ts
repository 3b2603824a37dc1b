import type { RetrievedChunk } from "./retriever.ts";
import { chunkCitation } from "./retriever.ts";

/** A source an answer cited. */
export interface Citation {
  /** The number the answer used: [n]. */
  number: number;
  /** "guide.md#3 (Install)". */
  citation: string;
  /** The chunk's metadata (source, chunkIndex...). */
  metadata: Record<string, unknown>;
}

/** The sources `answer` cites as [n] among `sources` (numbered from 1), in order of first mention. */
export function findCitations(answer: string, sources: readonly RetrievedChunk[]): Citation[] {
  const found: Citation[] = [];
  const seen = new Set<number>();
  for (const match of answer.matchAll(/\[(\d{1,3})\]/g)) {
    const number = Number(match[1]);
    const source = sources[number - 1];
    if (!source || seen.has(number)) continue;
    seen.add(number);
    found.push({ number, citation: chunkCitation(source), metadata: source.metadata });
  }
  return found;
}

/** The footer listing cited sources: "Sources:\n[1] guide.md#0". */
export function sourcesFooter(citations: readonly Citation[]): string {
  return citations.length === 0 ? "" : `Sources:\n${citations.map((c) => `[${c.number}] ${c.citation}`).join("\n")}`;
}
