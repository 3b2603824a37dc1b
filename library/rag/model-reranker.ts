import type { CancellationToken } from "../core/cancellation-token.ts";
import { ModelBehaviorError, UserError } from "../errors.ts";
import type { ChatCompletionClient } from "../models/types.ts";
import { answerText, parseModelJson } from "./model-text.ts";
import type { Reranker } from "./reranker.ts";
import { sortByScores } from "./reranker.ts";
import type { RetrievedChunk } from "./retriever.ts";

/** Options of ModelReranker. */
export interface ModelRerankerOptions {
  modelClient: ChatCompletionClient;
  /** Characters of each passage shown to the model (default 1000). */
  maxPassageChars?: number;
  name?: string;
}

/**
 * Reranking by asking a chat model to rate each passage from 0 to 10 for the query, in one
 * call; it answers `{"scores": [...]}` in passage order.
 */
export class ModelReranker implements Reranker {
  readonly name: string;
  readonly #modelClient: ChatCompletionClient;
  readonly #maxChars: number;

  constructor(options: ModelRerankerOptions) {
    if (!options?.modelClient) throw new UserError("ModelReranker needs { modelClient }.");
    this.#modelClient = options.modelClient;
    this.#maxChars = options.maxPassageChars ?? 1000;
    this.name = options.name ?? "model-reranker";
  }

  async rerank(query: string, chunks: readonly RetrievedChunk[], options: { cancellationToken?: CancellationToken } = {}): Promise<RetrievedChunk[]> {
    if (chunks.length === 0) return [];
    const passages = chunks.map((chunk, index) => `[${index + 1}] ${chunk.text.slice(0, this.#maxChars).replace(/\s+/g, " ")}`).join("\n");
    const prompt =
      `Rate how well each passage answers the query, from 0 (useless) to 10 (answers it fully).\n\nQuery: ${query}\n\nPassages:\n${passages}\n\n` +
      `Reply with JSON only: {"scores": [one number per passage, in order]}.`;
    const result = await this.#modelClient.create([{ type: "UserMessage", content: prompt, source: "user" }], {
      cancellationToken: options.cancellationToken,
    });
    const parsed = parseModelJson(answerText(result, "ModelReranker"), "ModelReranker");
    const scores = Array.isArray(parsed) ? parsed : (parsed as { scores?: unknown })?.scores;
    if (!Array.isArray(scores) || scores.length !== chunks.length || !scores.every((score) => typeof score === "number" && Number.isFinite(score)))
      throw new ModelBehaviorError(`ModelReranker: expected {"scores": [...]} with ${chunks.length} numbers; the model answered ${JSON.stringify(parsed)?.slice(0, 200)}.`);
    return sortByScores(chunks, scores as number[]);
  }
}
