/**
 * The one implementation behind every OpenAI-speaking client. `OpenAIChatCompletionClient` and
 * `AzureOpenAIChatCompletionClient` only differ in how they build the SDK instance.
 */
import { inspect } from "node:util";
import type OpenAI from "openai";
import type { Stream } from "openai/streaming";
import { CancelledError, ModelBehaviorError, ModelClientError, UserError } from "../errors.ts";
import type { CancellationToken } from "../core/cancellation-token.ts";
import {
  cancellableSleep,
  isRetryable,
  redactSecrets,
  retryDelayMs,
  toModelClientError,
  type ProviderContext,
} from "./openai-errors.ts";
import {
  joinThoughts,
  reasoningOf,
  splitThinkTags,
  toFinishReason,
  toFunctionCall,
  toOpenAIMessages,
  toOpenAIToolChoice,
  toOpenAITools,
} from "./openai-message-mapping.ts";
import { checkJsonOutput, responseFormatFor } from "./structured-output.ts";
import { MODEL_CLIENT_TELEMETRY, recordModelResponse, type ModelClientTelemetry } from "../telemetry/model-call-span.ts";
import { estimateMessageTokens, estimateTextTokens } from "./token-estimate.ts";
import type {
  ChatCompletionClient,
  CreateOptions,
  CreateResult,
  FunctionCall,
  LLMMessage,
  ModelInfo,
  RequestUsage,
  ToolLike,
  ToolSchema,
} from "./types.ts";
import { addUsage, emptyUsage } from "./types.ts";

type CreateParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type CreateParamsStreaming = OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming;

/** Options every OpenAI-speaking client takes. */
export interface OpenAIClientCommonOptions {
  /** Model name sent with each request (for Azure, used to look up capabilities). */
  model: string;
  /** Capabilities; required for models agentbook does not know (Ollama, vLLM, LM Studio...). */
  modelInfo?: ModelInfo;
  /** Milliseconds to wait for the response headers of one attempt (default 600000). */
  timeout?: number;
  /** Retries after a connection failure, timeout, 408, 409, 429 or 5xx (default 2). */
  maxRetries?: number;
  /** Longest `Retry-After` the client will wait; a longer one fails at once (default 60000 ms). */
  maxRetryWaitMs?: number;
  temperature?: number;
  /** Upper bound on generated tokens (sent as `max_completion_tokens` to reasoning models, else `max_tokens`). */
  maxTokens?: number;
  seed?: number;
  topP?: number;
  stop?: string | string[];
  frequencyPenalty?: number;
  presencePenalty?: number;
  /** Let the model call several tools at once (OpenAI's default when unset). */
  parallelToolCalls?: boolean;
  /** For reasoning models: "minimal", "low", "medium" or "high". */
  reasoningEffort?: "minimal" | "low" | "medium" | "high";
  /** End-user id forwarded to the provider for abuse monitoring. */
  user?: string;
  /** Headers added to every request. */
  defaultHeaders?: Record<string, string>;
  /** Send each message's `source` as OpenAI's `name` field (default true). */
  includeNameInMessage?: boolean;
}

const REASONING_FAMILIES = new Set(["o1", "o3", "o4", "gpt-5"]);
const RESERVED_ARGS = new Set(["messages", "stream", "stream_options"]);

/** Shared body of the OpenAI and Azure OpenAI clients. */
export class BaseOpenAIChatCompletionClient implements ChatCompletionClient {
  /** Model name sent with each request. */
  readonly model: string;
  /** Capabilities of the model. */
  readonly modelInfo: ModelInfo;
  readonly #sdk: OpenAI;
  readonly #context: ProviderContext;
  readonly #createArgs: Record<string, unknown>;
  readonly #includeName: boolean;
  readonly #timeout: number;
  readonly #maxRetries: number;
  readonly #maxRetryWaitMs: number;
  #usage: RequestUsage = emptyUsage();

  protected constructor(sdk: OpenAI, options: OpenAIClientCommonOptions & { modelInfo: ModelInfo }, context: ProviderContext) {
    this.model = options.model;
    this.modelInfo = { ...options.modelInfo };
    this.#sdk = sdk;
    this.#context = context;
    this.#includeName = options.includeNameInMessage ?? true;
    this.#timeout = options.timeout ?? 600_000;
    this.#maxRetries = options.maxRetries ?? 2;
    this.#maxRetryWaitMs = options.maxRetryWaitMs ?? 60_000;
    const reasoning = REASONING_FAMILIES.has(options.modelInfo.family);
    const args: Record<string, unknown> = {
      temperature: options.temperature,
      [reasoning ? "max_completion_tokens" : "max_tokens"]: options.maxTokens,
      seed: options.seed,
      top_p: options.topP,
      stop: options.stop,
      frequency_penalty: options.frequencyPenalty,
      presence_penalty: options.presencePenalty,
      reasoning_effort: options.reasoningEffort,
      user: options.user,
    };
    this.#createArgs = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined));
    if (options.parallelToolCalls !== undefined) this.#createArgs.parallel_tool_calls = options.parallelToolCalls;
  }

  #buildBody(messages: readonly LLMMessage[], options: CreateOptions): CreateParams {
    const tools = options.tools && options.tools.length > 0 ? toOpenAITools(options.tools) : [];
    if (tools.length > 0 && !this.modelInfo.functionCalling)
      throw new UserError(
        `Model "${this.model}" does not support tool calling (modelInfo.functionCalling is false); remove the tools or use a model that has it.`,
      );
    const body: Record<string, unknown> = {
      model: this.model,
      messages: toOpenAIMessages(messages, { includeName: this.#includeName, modelInfo: this.modelInfo, model: this.model }),
      ...this.#createArgs,
    };
    if (tools.length > 0) {
      body.tools = tools;
      if (options.toolChoice !== undefined) body.tool_choice = toOpenAIToolChoice(options.toolChoice, tools);
    } else {
      delete body.parallel_tool_calls;
      if (options.toolChoice !== undefined && options.toolChoice !== "auto" && options.toolChoice !== "none")
        throw new UserError(`toolChoice ${JSON.stringify(options.toolChoice)} needs tools, but none were passed.`);
    }
    const responseFormat = responseFormatFor(options.jsonOutput, this.modelInfo, this.model);
    if (responseFormat) body.response_format = responseFormat;
    for (const [key, value] of Object.entries(options.extraCreateArgs ?? {})) {
      if (RESERVED_ARGS.has(key))
        throw new UserError(`extraCreateArgs may not set "${key}": the client sets it; use the messages argument or createStream instead.`);
      body[key] = value;
    }
    return body as unknown as CreateParams;
  }

  /** Run `request`, retrying what may succeed on another attempt, with cancellable waits. */
  async #withRetries<T>(request: () => Promise<T>, token?: CancellationToken): Promise<T> {
    for (let attempts = 1; ; attempts++) {
      token?.throwIfCancelled();
      try {
        return await request();
      } catch (error) {
        const failure = () => toModelClientError(error, this.#context, { attempts, timeoutMs: this.#timeout, cancellationToken: token });
        if (token?.isCancelled || attempts > this.#maxRetries || !isRetryable(error)) throw failure();
        const wait = retryDelayMs(error, attempts - 1);
        if (wait > this.#maxRetryWaitMs) {
          const base = failure();
          throw new ModelClientError(
            `${base.message} The server asks to wait ${Math.ceil(wait / 1000)} s before retrying, longer than maxRetryWaitMs (${this.#maxRetryWaitMs} ms); try again later.`,
            { status: base instanceof ModelClientError ? base.status : undefined },
          );
        }
        await cancellableSleep(wait, token);
      }
    }
  }

  /**
   * Options of one SDK request. The SDK adds an abort listener to the signal it gets and never
   * removes it, so each request gets its own signal linked to the token, unlinked by `release`.
   */
  #requestOptions(token: CancellationToken | undefined, links: Array<() => void>): OpenAI.RequestOptions {
    if (!token) return { timeout: this.#timeout, maxRetries: 0 };
    const controller = new AbortController();
    links.push(token.addCallback(() => controller.abort(token.signal.reason)));
    return { timeout: this.#timeout, maxRetries: 0, signal: controller.signal };
  }

  #finish(
    messages: readonly LLMMessage[],
    options: CreateOptions,
    raw: { text: string; calls: FunctionCall[]; finishReason: string | null | undefined; reasoning?: string; usage?: OpenAI.CompletionUsage | null },
  ): CreateResult {
    const usage: RequestUsage = raw.usage
      ? { promptTokens: raw.usage.prompt_tokens ?? 0, completionTokens: raw.usage.completion_tokens ?? 0 }
      : {
          // Some OpenAI-compatible servers report no usage; an estimate keeps token limits working.
          promptTokens: estimateMessageTokens(messages, options.tools ?? []),
          completionTokens: estimateTextTokens(raw.text + raw.calls.map((call) => call.name + call.arguments).join("")),
        };
    this.#usage = addUsage(this.#usage, usage);
    let result: CreateResult;
    if (raw.calls.length > 0) {
      const thought = joinThoughts(raw.reasoning, raw.text);
      result = { finishReason: "function_calls", content: raw.calls, usage, cached: false, ...(thought ? { thought } : {}) };
    } else {
      const split = splitThinkTags(raw.text);
      const thought = joinThoughts(raw.reasoning, split.thought);
      const reason = toFinishReason(raw.finishReason);
      // Truncated JSON is a length problem, not a schema problem: the finish reason tells the caller.
      if (reason !== "length") checkJsonOutput(split.content, options.jsonOutput);
      result = {
        // Text with "tool_calls" as the reason (some servers do this) is still just text.
        finishReason: reason === "function_calls" ? "stop" : reason,
        content: split.content,
        usage,
        cached: false,
        ...(thought ? { thought } : {}),
      };
    }
    return result;
  }

  async create(messages: readonly LLMMessage[], options: CreateOptions = {}): Promise<CreateResult> {
    const token = options.cancellationToken;
    token?.throwIfCancelled();
    const body = this.#buildBody(messages, options);
    const links: Array<() => void> = [];
    let completion: OpenAI.ChatCompletion;
    try {
      completion = await this.#withRetries(() => this.#sdk.chat.completions.create(body, this.#requestOptions(token, links)), token);
    } finally {
      for (const unlink of links) unlink();
    }
    recordModelResponse(completion);
    const choice = completion.choices?.[0];
    if (!choice)
      throw new ModelBehaviorError(`${this.#context.provider} returned a completion without choices; retry, or check that the server speaks the chat-completions format.`);
    const calls = (choice.message.tool_calls ?? [])
      .filter((call) => call.type === "function" || call.type === undefined)
      .map((call) => {
        const fn = (call as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall).function;
        return toFunctionCall({ id: call.id, name: fn?.name, arguments: fn?.arguments });
      });
    return this.#finish(messages, options, {
      text: choice.message.content ?? "",
      calls,
      finishReason: choice.finish_reason,
      reasoning: reasoningOf(choice.message),
      usage: completion.usage,
    });
  }

  async *createStream(messages: readonly LLMMessage[], options: CreateOptions = {}): AsyncGenerator<string | CreateResult> {
    const token = options.cancellationToken;
    token?.throwIfCancelled();
    const body: CreateParamsStreaming = { ...this.#buildBody(messages, options), stream: true, stream_options: { include_usage: true } };
    const links: Array<() => void> = [];
    let stream: Stream<OpenAI.ChatCompletionChunk>;
    try {
      stream = await this.#withRetries(() => this.#sdk.chat.completions.create(body, this.#requestOptions(token, links)), token);
    } catch (error) {
      for (const unlink of links) unlink();
      throw error;
    }
    let text = "";
    let reasoning = "";
    let finishReason: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    const slots: Array<{ id?: string; name?: string; arguments: string }> = [];
    let done = false;
    // The SDK's timeout ends once headers arrive; a stream that then stalls is cut after the same time without data.
    let stalled = false;
    let idleTimer: NodeJS.Timeout | undefined;
    const watch = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        stalled = true;
        stream.controller.abort();
      }, this.#timeout);
    };
    try {
      try {
        watch();
        let first = true;
        for await (const chunk of stream) {
          clearTimeout(idleTimer);
          if (first) recordModelResponse(chunk);
          first = false;
          if (chunk.usage) usage = chunk.usage;
          const choice = chunk.choices?.[0];
          const delta = choice?.delta;
          if (choice?.finish_reason) finishReason = choice.finish_reason;
          if (delta) {
            reasoning += reasoningOf(delta) ?? "";
            for (const call of delta.tool_calls ?? []) {
              const slot = (slots[call.index ?? slots.length] ??= { arguments: "" });
              if (call.id) slot.id = call.id;
              // Names arrive whole in the first delta of a call; some servers repeat them, so set rather than append.
              if (call.function?.name) slot.name = call.function.name;
              if (call.function?.arguments) slot.arguments += call.function.arguments;
            }
            if (typeof delta.content === "string" && delta.content !== "") {
              text += delta.content;
              yield delta.content; // the consumer's time is not the server's: the idle clock is stopped here
            }
          }
          watch();
        }
      } catch (error) {
        if (!stalled) throw toModelClientError(error, this.#context, { attempts: 1, timeoutMs: this.#timeout, cancellationToken: token });
      }
      // The SDK ends the iteration quietly when its request is aborted.
      if (token?.isCancelled) throw token.signal.reason as CancelledError;
      if (stalled)
        throw new ModelClientError(
          `The stream from ${this.#context.provider} at ${this.#context.baseURL} stalled: no data for ${this.#timeout} ms; raise the client's timeout option, or check the server.`,
        );
      done = true;
    } finally {
      clearTimeout(idleTimer);
      for (const unlink of links) unlink();
      // A consumer that stops early (break, return, throw) must not leave the connection open.
      if (!done) stream.controller.abort();
    }
    const calls = slots.filter((slot) => slot !== undefined).map((slot) => toFunctionCall(slot));
    yield this.#finish(messages, options, { text, calls, finishReason, reasoning: reasoning || undefined, usage });
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

  async close(): Promise<void> {}

  /** What `chat` spans say about this client: provider, model, server; never the key. */
  [MODEL_CLIENT_TELEMETRY](): ModelClientTelemetry {
    const described: ModelClientTelemetry = {
      providerName: this.#context.provider === "Azure OpenAI" ? "azure.ai.openai" : "openai",
      requestModel: this.model,
    };
    try {
      const url = new URL(this.#context.baseURL);
      described.serverAddress = url.hostname;
      described.serverPort = url.port ? Number(url.port) : url.protocol === "http:" ? 80 : 443;
    } catch {
      // A base URL that does not parse is reported by the requests themselves.
    }
    return described;
  }

  /** What JSON.stringify shows: the model and where it is served, never the key. */
  toJSON(): Record<string, unknown> {
    return { type: this.constructor.name, model: this.model, baseURL: this.#context.baseURL, modelInfo: this.modelInfo };
  }

  [inspect.custom](): string {
    return `${this.constructor.name} { model: ${JSON.stringify(this.model)}, baseURL: ${JSON.stringify(redactSecrets(this.#context.baseURL, this.#context.secrets))} }`;
  }
}
