import { basename, resolve } from "node:path";
import type { FeatureExtractionPipeline } from "@huggingface/transformers";
import type { Embedder, EmbedOptions } from "./embedder.ts";
import type { TransformersModelSource } from "./transformers-loader.ts";
import { isLocalModelFolder, loadTransformersModel } from "./transformers-loader.ts";

/** Options of TransformersEmbedder. */
export interface TransformersEmbedderOptions extends TransformersModelSource {
  /** How token vectors become one sentence vector: "mean" (sentence-transformers' default) or "cls". */
  pooling?: "mean" | "cls";
  /** Scale vectors to unit length (default true). */
  normalize?: boolean;
  /** Texts per model call (default 32). */
  batchSize?: number;
}

/**
 * A sentence-transformer run in-process by transformers.js (ONNX Runtime): a local model folder,
 * or a hub id such as "Xenova/all-MiniLM-L6-v2" when the hub is reachable. Create it with
 * `await TransformersEmbedder.load({ model })`.
 */
export class TransformersEmbedder implements Embedder {
  readonly name: string;
  readonly dimension: number;
  readonly #extractor: FeatureExtractionPipeline;
  readonly #pooling: "mean" | "cls";
  readonly #normalize: boolean;
  readonly #batchSize: number;

  private constructor(extractor: FeatureExtractionPipeline, dimension: number, options: TransformersEmbedderOptions) {
    this.#extractor = extractor;
    this.dimension = dimension;
    // A hub id names itself; a folder is named by its last part, not the machine's path.
    this.name = `transformers/${isLocalModelFolder(options.model) ? basename(resolve(options.model)) : options.model}`;
    this.#pooling = options.pooling ?? "mean";
    this.#normalize = options.normalize ?? true;
    this.#batchSize = options.batchSize ?? 32;
  }

  /** Load the model (from its folder, or the hub) and find its vector length. */
  static async load(options: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    const extractor = await loadTransformersModel(options, "TransformersEmbedder", (lib, id, loadOptions) =>
      lib.pipeline("feature-extraction", id, loadOptions as never),
    );
    const probe = await extractor(["dimension probe"], { pooling: options.pooling ?? "mean", normalize: false });
    return new TransformersEmbedder(extractor, probe.dims.at(-1)!, options);
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.#batchSize) {
      options.cancellationToken?.throwIfCancelled();
      const batch = texts.slice(start, start + this.#batchSize);
      const tensor = await this.#extractor([...batch], { pooling: this.#pooling, normalize: this.#normalize });
      const data = tensor.data as Float32Array;
      for (let i = 0; i < batch.length; i++) out.push(data.slice(i * this.dimension, (i + 1) * this.dimension));
    }
    return out;
  }

  /** Free the ONNX session. */
  async close(): Promise<void> {
    await this.#extractor.dispose();
  }
}
