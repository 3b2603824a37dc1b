import type { CancellationToken } from "../../core/cancellation-token.ts";

/** Options of `Embedder.embed`. */
export interface EmbedOptions {
  cancellationToken?: CancellationToken;
}

/**
 * Turns texts into vectors whose cosine similarity tracks similarity of meaning. Vector
 * memories and retrievers take one; agentbook ships an offline default (`defaultEmbedder()`),
 * an OpenAI one and a transformers.js one.
 */
export interface Embedder {
  /** Identifies the model, so a store can refuse vectors from a different one. */
  readonly name: string;
  /** Length of every vector `embed` returns. */
  readonly dimension: number;
  /** One vector per text, in order. */
  embed(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]>;
}
