import OpenAI from "openai";
import { CancellationToken } from "../../core/cancellation-token.ts";
import { ModelBehaviorError, UserError } from "../../errors.ts";
import type { ProviderContext } from "../../models/openai-errors.ts";
import { displayURL, toModelClientError } from "../../models/openai-errors.ts";
import type { Embedder, EmbedOptions } from "./embedder.ts";

const OPENAI_BASE_URL = "https://api.openai.com/v1";

/** Vector lengths of OpenAI's embedding models at their full size. */
const KNOWN_DIMENSIONS: Record<string, number> = {
  "text-embedding-3-small": 1536,
  "text-embedding-3-large": 3072,
  "text-embedding-ada-002": 1536,
};

/** Options of OpenAIEmbedder. */
export interface OpenAIEmbedderOptions {
  /** Embedding model (default "text-embedding-3-small"). */
  model?: string;
  /** Ask for shorter vectors (text-embedding-3 models); also tells the dimension of models agentbook does not know. */
  dimensions?: number;
  /** API key; defaults to `OPENAI_API_KEY`. Not needed for most local servers. */
  apiKey?: string;
  /** Server URL ending in `/v1`; defaults to `OPENAI_BASE_URL`, then api.openai.com. */
  baseURL?: string;
  /** Texts per request (default 512; OpenAI accepts up to 2048). */
  batchSize?: number;
  /** Milliseconds per request attempt (default 60000). */
  timeout?: number;
  /** Retries after a connection failure, 429 or 5xx (default 2). */
  maxRetries?: number;
  /** An SDK instance to use as it is (baseURL, apiKey, timeout and maxRetries are then ignored). */
  client?: OpenAI;
}

/**
 * Embeddings from OpenAI's `/v1/embeddings`, or from any server that speaks it (Ollama, vLLM,
 * LM Studio: set `baseURL`, and `dimensions` for a model agentbook does not know).
 */
export class OpenAIEmbedder implements Embedder {
  readonly name: string;
  #dimension: number;
  readonly #model: string;
  readonly #requestDimensions?: number;
  readonly #sdk: OpenAI;
  readonly #batchSize: number;
  readonly #context: ProviderContext;
  readonly #timeout: number;

  constructor(options: OpenAIEmbedderOptions = {}) {
    this.#model = options.model ?? "text-embedding-3-small";
    this.#requestDimensions = options.dimensions;
    if (options.dimensions !== undefined && !(Number.isInteger(options.dimensions) && options.dimensions > 0))
      throw new UserError(`OpenAIEmbedder: dimensions must be a positive integer; got ${options.dimensions}.`);
    this.#dimension = options.dimensions ?? KNOWN_DIMENSIONS[this.#model] ?? 0;
    this.#batchSize = options.batchSize ?? 512;
    if (!(Number.isInteger(this.#batchSize) && this.#batchSize > 0 && this.#batchSize <= 2048))
      throw new UserError(`OpenAIEmbedder: batchSize must be an integer from 1 to 2048; got ${options.batchSize}.`);
    this.#timeout = options.timeout ?? 60_000;
    const baseURL = options.client?.baseURL ?? options.baseURL ?? process.env.OPENAI_BASE_URL ?? OPENAI_BASE_URL;
    let parsed: URL;
    try {
      parsed = new URL(baseURL);
    } catch {
      throw new UserError(`OpenAIEmbedder: baseURL ${JSON.stringify(displayURL(baseURL))} is not a URL; use one like http://127.0.0.1:11434/v1.`);
    }
    if (parsed.username || parsed.password)
      throw new UserError(`OpenAIEmbedder: baseURL ${displayURL(baseURL)} carries a user name or password; remove them and pass apiKey instead.`);
    const official = parsed.hostname === "api.openai.com";
    let apiKey = options.apiKey ?? process.env.OPENAI_API_KEY;
    if (!apiKey && !options.client) {
      if (official)
        throw new UserError(
          "OPENAI_API_KEY is not set; set it (or pass apiKey), set OPENAI_BASE_URL for a local server, or use defaultEmbedder() offline.",
        );
      apiKey = "no-key";
    }
    this.#sdk =
      options.client ?? new OpenAI({ apiKey, baseURL, timeout: this.#timeout, maxRetries: options.maxRetries ?? 2 });
    this.name = `openai/${this.#model}${options.dimensions ? `@${options.dimensions}` : ""}`;
    this.#context = {
      provider: official ? "OpenAI" : "OpenAI-compatible server",
      baseURL: displayURL(baseURL),
      keyHint: official ? "OPENAI_API_KEY (or the apiKey option)" : "the apiKey option (or OPENAI_API_KEY) for this server",
      model: this.#model,
      secrets: apiKey ? [apiKey] : [],
    };
  }

  /** Vector length; 0 for a model agentbook does not know until the first `embed` answers. */
  get dimension(): number {
    return this.#dimension;
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    const token = options.cancellationToken ?? new CancellationToken();
    token.throwIfCancelled();
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.#batchSize) {
      // The API rejects empty strings; a space embeds as "nothing in particular".
      const batch = texts.slice(start, start + this.#batchSize).map((text) => (text.length === 0 ? " " : text));
      let response: OpenAI.Embeddings.CreateEmbeddingResponse;
      try {
        response = await this.#sdk.embeddings.create(
          {
            model: this.#model,
            input: batch,
            encoding_format: "float",
            ...(this.#requestDimensions ? { dimensions: this.#requestDimensions } : {}),
          },
          { signal: token.signal },
        );
      } catch (error) {
        throw toModelClientError(error, this.#context, { attempts: 1, timeoutMs: this.#timeout, cancellationToken: token });
      }
      const data = [...response.data].sort((a, b) => a.index - b.index);
      if (data.length !== batch.length)
        throw new ModelBehaviorError(`${this.#context.provider} returned ${data.length} embeddings for ${batch.length} texts.`);
      for (const item of data) {
        const vector = Float32Array.from(item.embedding);
        if (this.#dimension === 0) this.#dimension = vector.length;
        if (vector.length !== this.#dimension)
          throw new ModelBehaviorError(
            `${this.#context.provider} returned a vector of ${vector.length} numbers for model "${this.#model}"; expected ${this.#dimension}. Set the dimensions option to what the model returns.`,
          );
        out.push(vector);
      }
    }
    return out;
  }
}
