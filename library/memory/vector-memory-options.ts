import { UserError } from "../errors.ts";
import type { Embedder } from "./embeddings/embedder.ts";
import type { MemoryContent } from "./memory-content.ts";

/** Options every vector memory takes. */
export interface VectorMemoryOptions {
  /** Name shown in events and displays. */
  name?: string;
  /** Turns texts into vectors (default: the offline `defaultEmbedder()`). */
  embedder?: Embedder;
  /** Results per query unless the query says otherwise (default 3). */
  k?: number;
  /** Leave out results whose cosine similarity is below this (default: keep all). */
  scoreThreshold?: number;
}

/** Check `k` and `scoreThreshold`, naming the one that is wrong. */
export function checkVectorQueryOptions(owner: string, k: number | undefined, scoreThreshold: number | undefined): void {
  if (k !== undefined && !(Number.isInteger(k) && k >= 0))
    throw new UserError(`${owner}: k must be a whole number of results (0 or more); got ${k}.`);
  if (scoreThreshold !== undefined && !(typeof scoreThreshold === "number" && scoreThreshold >= -1 && scoreThreshold <= 1))
    throw new UserError(`${owner}: scoreThreshold is a cosine similarity from -1 to 1; got ${scoreThreshold}.`);
}

/** Throws a UserError unless `content` is `{ content, mimeType }`. */
export function checkMemoryContent(owner: string, content: MemoryContent): void {
  if (!content || typeof content !== "object" || !("content" in content) || typeof content.mimeType !== "string")
    throw new UserError(
      `${owner}: a memory item needs { content, mimeType }; got ${JSON.stringify(content)?.slice(0, 80)}. ` +
        'For text: { content: "...", mimeType: "text/plain" }.',
    );
  if (content.metadata !== undefined && (typeof content.metadata !== "object" || content.metadata === null || Array.isArray(content.metadata)))
    throw new UserError(`${owner}: metadata must be a plain object such as { category: "news" }; got ${JSON.stringify(content.metadata)}.`);
}
