import type { PreTrainedModel, PreTrainedTokenizer, Tensor } from "@huggingface/transformers";
import type { CancellationToken } from "../core/cancellation-token.ts";
import type { TransformersModelSource } from "../memory/embeddings/transformers-loader.ts";
import { loadTransformersModel } from "../memory/embeddings/transformers-loader.ts";
import type { Reranker } from "./reranker.ts";
import { sortByScores } from "./reranker.ts";
import type { RetrievedChunk } from "./retriever.ts";

/** Options of CrossEncoderReranker. */
export interface CrossEncoderRerankerOptions extends TransformersModelSource {
  /** Pairs per model call (default 16). */
  batchSize?: number;
}

/**
 * Reranking with a cross-encoder (such as "Xenova/ms-marco-MiniLM-L-6-v2") run by
 * transformers.js: the model reads query and passage together and scores the pair, more
 * precisely than comparing two separate embeddings. Create with `await CrossEncoderReranker.load({ model })`.
 */
export class CrossEncoderReranker implements Reranker {
  readonly name: string;
  readonly #tokenizer: PreTrainedTokenizer;
  readonly #model: PreTrainedModel;
  readonly #batchSize: number;

  private constructor(tokenizer: PreTrainedTokenizer, model: PreTrainedModel, name: string, batchSize: number) {
    this.#tokenizer = tokenizer;
    this.#model = model;
    this.name = name;
    this.#batchSize = batchSize;
  }

  /** Load the tokenizer and model from a local folder or the hub. */
  static async load(options: CrossEncoderRerankerOptions): Promise<CrossEncoderReranker> {
    const { tokenizer, model } = await loadTransformersModel(options, "CrossEncoderReranker", async (lib, id, loadOptions) => ({
      tokenizer: await lib.AutoTokenizer.from_pretrained(id, loadOptions as never),
      model: await lib.AutoModelForSequenceClassification.from_pretrained(id, loadOptions as never),
    }));
    const name = `cross-encoder/${options.model.split(/[\\/]/).filter(Boolean).at(-1)}`;
    return new CrossEncoderReranker(tokenizer, model, name, options.batchSize ?? 16);
  }

  /** The model's relevance logit for each (query, passage) pair. */
  async score(query: string, passages: readonly string[], options: { cancellationToken?: CancellationToken } = {}): Promise<number[]> {
    const scores: number[] = [];
    for (let start = 0; start < passages.length; start += this.#batchSize) {
      options.cancellationToken?.throwIfCancelled();
      const batch = passages.slice(start, start + this.#batchSize);
      const inputs = this.#tokenizer(new Array<string>(batch.length).fill(query), { text_pair: [...batch], padding: true, truncation: true });
      const { logits } = (await this.#model(inputs)) as { logits: Tensor };
      const data = logits.data as Float32Array;
      const labels = logits.dims.at(-1) ?? 1;
      // One label: the logit is the score; two (not relevant, relevant): the second one's.
      for (let i = 0; i < batch.length; i++) scores.push(labels === 1 ? data[i]! : data[i * labels + labels - 1]!);
    }
    return scores;
  }

  async rerank(query: string, chunks: readonly RetrievedChunk[], options: { cancellationToken?: CancellationToken } = {}): Promise<RetrievedChunk[]> {
    if (chunks.length === 0) return [];
    return sortByScores(chunks, await this.score(query, chunks.map((chunk) => chunk.text), options));
  }

  /** Free the ONNX session. */
  async close(): Promise<void> {
    await this.#model.dispose();
  }
}
