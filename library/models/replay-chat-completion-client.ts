import { CancellationToken } from "../core/cancellation-token.ts";
import { UserError } from "../errors.ts";
import { estimateMessageTokens, estimateTextTokens } from "./token-estimate.ts";
import type {
  ChatCompletionClient,
  CreateOptions,
  CreateResult,
  LLMMessage,
  ModelInfo,
  RequestUsage,
  ToolLike,
  ToolSchema,
} from "./types.ts";
import { addUsage, emptyUsage } from "./types.ts";

/** Options of the replay model. */
export interface ReplayChatCompletionClientOptions {
  /** Capabilities to report; by default everything is on so agents send tools and JSON requests. */
  modelInfo?: Partial<ModelInfo>;
  /** Pause between streamed chunks, to make a live transcript visibly stream (default 0). */
  chunkDelayMs?: number;
}

const REPLAY_MODEL_INFO: ModelInfo = {
  vision: true,
  functionCalling: true,
  jsonOutput: true,
  structuredOutput: true,
  family: "replay",
  multipleSystemMessages: true,
};

function sleep(ms: number, token: CancellationToken): Promise<void> {
  return token.race(new Promise((resolve) => setTimeout(resolve, ms)));
}

/**
 * An offline model that answers with scripted responses, in order. It is what every
 * tutorial runs on without a key, and what tests use where no HTTP server is needed.
 */
export class ReplayChatCompletionClient implements ChatCompletionClient {
  readonly modelInfo: ModelInfo;
  readonly #responses: ReadonlyArray<string | CreateResult>;
  readonly #chunkDelayMs: number;
  #next = 0;
  #usage: RequestUsage = emptyUsage();

  constructor(responses: ReadonlyArray<string | CreateResult>, options: ReplayChatCompletionClientOptions = {}) {
    if (!Array.isArray(responses))
      throw new UserError("ReplayChatCompletionClient needs an array of responses (strings or CreateResult objects).");
    this.#responses = [...responses];
    this.modelInfo = { ...REPLAY_MODEL_INFO, ...options.modelInfo };
    this.#chunkDelayMs = options.chunkDelayMs ?? 0;
  }

  /** The scripted responses, in order (a copy; `dumpComponent` records them). */
  get responses(): Array<string | CreateResult> {
    return structuredClone([...this.#responses]);
  }

  /** Pause between streamed chunks, in milliseconds. */
  get chunkDelayMs(): number {
    return this.#chunkDelayMs;
  }

  /** How many scripted responses are left. */
  get remaining(): number {
    return this.#responses.length - this.#next;
  }

  #take(messages: readonly LLMMessage[], options: CreateOptions): CreateResult {
    options.cancellationToken?.throwIfCancelled();
    if (this.#next >= this.#responses.length)
      throw new UserError(
        `ReplayChatCompletionClient ran out of responses: all ${this.#responses.length} scripted responses were used. ` +
          "Add more responses, call reset(), or use a live model (set OPENAI_API_KEY or OPENAI_BASE_URL).",
      );
    const scripted = this.#responses[this.#next++]!;
    const promptTokens = estimateMessageTokens(messages, options.tools ?? []);
    const result: CreateResult =
      typeof scripted === "string"
        ? {
            finishReason: "stop",
            content: scripted,
            usage: { promptTokens, completionTokens: estimateTextTokens(scripted) },
            cached: false,
          }
        : {
            ...scripted,
            finishReason: scripted.finishReason ?? (typeof scripted.content === "string" ? "stop" : "function_calls"),
            usage: scripted.usage ?? {
              promptTokens,
              completionTokens: estimateTextTokens(
                typeof scripted.content === "string" ? scripted.content : JSON.stringify(scripted.content),
              ),
            },
            cached: scripted.cached ?? false,
          };
    this.#usage = addUsage(this.#usage, result.usage);
    return result;
  }

  async create(messages: readonly LLMMessage[], options: CreateOptions = {}): Promise<CreateResult> {
    return this.#take(messages, options);
  }

  async *createStream(messages: readonly LLMMessage[], options: CreateOptions = {}): AsyncGenerator<string | CreateResult> {
    const token = options.cancellationToken ?? new CancellationToken();
    const result = this.#take(messages, options);
    if (typeof result.content === "string") {
      // Word-sized chunks, whitespace kept, so concatenated chunks equal the content.
      for (const chunk of result.content.match(/\s*\S+\s*/g) ?? []) {
        if (this.#chunkDelayMs > 0) await sleep(this.#chunkDelayMs, token);
        token.throwIfCancelled();
        yield chunk;
      }
    }
    yield result;
  }

  actualUsage(): RequestUsage {
    return { ...this.#usage };
  }

  totalUsage(): RequestUsage {
    return { ...this.#usage };
  }

  countTokens(messages: readonly LLMMessage[], options: { tools?: ReadonlyArray<ToolLike | ToolSchema> } = {}): number {
    return estimateMessageTokens(messages, options.tools ?? []);
  }

  /** Start again from the first scripted response. */
  reset(): void {
    this.#next = 0;
    this.#usage = emptyUsage();
  }

  async close(): Promise<void> {}
}
