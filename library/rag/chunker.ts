import type { Chunk, Document } from "./document.ts";

/** Splits documents into chunks for indexing. */
export interface Chunker {
  /** The chunks of `document`, in order, each with `source` and `chunkIndex` in its metadata. */
  chunk(document: Document): Chunk[];
}
