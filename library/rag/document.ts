/** A text to index, with where it came from. */
export interface Document {
  /** Stable identity of the document, usually its path or URL (also `metadata.source`). */
  source: string;
  /** The document's text. */
  text: string;
  /** Free-form metadata (title, author...), copied to every chunk. */
  metadata: Record<string, unknown>;
}

/** A piece of a document, as the indexer stores it. */
export interface Chunk {
  text: string;
  /** The document's metadata plus `source`, `chunkIndex` and whatever the chunker adds (`headings`). */
  metadata: Record<string, unknown> & { source: string; chunkIndex: number };
}
