/** The kinds of content a Memory holds. */
export type MemoryMimeType = "text/plain" | "text/markdown" | "application/json" | "image/*" | "application/octet-stream";

/** One item in a memory: its content, what kind it is, and free-form metadata. */
export interface MemoryContent {
  content: string | Record<string, unknown> | Uint8Array;
  mimeType: MemoryMimeType | (string & {});
  metadata?: Record<string, unknown>;
}
