import { context, SpanKind, trace } from "@opentelemetry/api";
import type { Attributes, Span } from "@opentelemetry/api";
import type { ChatCompletionClient, CreateOptions, CreateResult, LLMMessage } from "../models/types.ts";
import { ReplayChatCompletionClient } from "../models/replay-chat-completion-client.ts";
import { inputMessages, outputMessages, systemInstructions } from "./genai-messages.ts";
import { ATTR, EVENT, EVENT_ATTR, OPERATION } from "./semantic-conventions.ts";
import { runGeneratorInSpan } from "./span-generator.ts";
import { capturingContent, instrumentationEnabled } from "./telemetry-options.ts";
import { agentbookTracer, contentText, recordError } from "./tracer.ts";

/**
 * A model client that says who it talks to implements this method (the OpenAI and Azure clients
 * do), so `chat` spans carry the provider, the model and the server from their start.
 */
export const MODEL_CLIENT_TELEMETRY: unique symbol = Symbol.for("agentbook.telemetry.modelClient") as never;

/** What a model client tells telemetry about itself. Never a key. */
export interface ModelClientTelemetry {
  /** `gen_ai.provider.name`: "openai", "azure.ai.openai", ... */
  providerName: string;
  /** The model requested. */
  requestModel: string;
  /** Host of the server, without credentials. */
  serverAddress?: string;
  serverPort?: number;
}

/** Who makes a model call, for the span. */
export interface ModelCallInfo {
  /** The agent calling the model (`gen_ai.agent.name`). */
  agentName?: string;
}

const CONTENT_LIMIT = 65_536;

/** The `chat` spans in flight, so that `recordModelResponse` never writes on another span. */
const chatSpans = new WeakSet<Span>();

/** What `client` says about itself, or the best guess from its class and model info. */
export function describeModelClient(client: ChatCompletionClient): ModelClientTelemetry {
  const own = (client as unknown as Partial<Record<typeof MODEL_CLIENT_TELEMETRY, () => ModelClientTelemetry>>)[MODEL_CLIENT_TELEMETRY];
  if (typeof own === "function") return own.call(client);
  // A wrapper such as ChatCompletionCache exposes the client it wraps.
  const inner = (client as { client?: unknown }).client as ChatCompletionClient | undefined;
  if (inner && inner !== client && typeof inner.create === "function") return describeModelClient(inner);
  if (client instanceof ReplayChatCompletionClient) return { providerName: "agentbook.replay", requestModel: client.modelInfo.family };
  const model = (client as { model?: unknown }).model;
  return {
    providerName: client.constructor?.name || "_OTHER",
    requestModel: typeof model === "string" ? model : (client.modelInfo?.family ?? "unknown"),
  };
}

function startChatSpan(client: ChatCompletionClient, messages: readonly LLMMessage[], stream: boolean, call: ModelCallInfo): Span {
  const described = describeModelClient(client);
  const attributes: Attributes = {
    [ATTR.spanKind]: "model",
    [ATTR.operationName]: OPERATION.chat,
    [ATTR.providerName]: described.providerName,
    [ATTR.system]: described.providerName,
    [ATTR.requestModel]: described.requestModel,
    [ATTR.requestStream]: stream,
  };
  if (call.agentName) attributes[ATTR.agentName] = call.agentName;
  if (described.serverAddress) attributes[ATTR.serverAddress] = described.serverAddress;
  if (described.serverPort !== undefined) attributes[ATTR.serverPort] = described.serverPort;
  const span = agentbookTracer().startSpan(`${OPERATION.chat} ${described.requestModel}`, { kind: SpanKind.CLIENT, attributes });
  if (span.isRecording()) chatSpans.add(span);
  if (span.isRecording() && capturingContent()) {
    const system = systemInstructions(messages);
    if (system.length > 0) span.setAttribute(ATTR.systemInstructions, contentText(system, CONTENT_LIMIT));
    span.setAttribute(ATTR.inputMessages, contentText(inputMessages(messages), CONTENT_LIMIT));
  }
  return span;
}

function recordResult(span: Span, result: CreateResult): void {
  span.setAttributes({
    [ATTR.responseFinishReasons]: [result.finishReason],
    [ATTR.usageInputTokens]: result.usage.promptTokens,
    [ATTR.usageOutputTokens]: result.usage.completionTokens,
    [ATTR.cached]: result.cached,
  });
  const content = capturingContent();
  if (result.thought) {
    const attributes: Attributes = { [EVENT_ATTR.thoughtSize]: result.thought.length };
    if (content) attributes[EVENT_ATTR.thoughtContent] = contentText(result.thought);
    span.addEvent(EVENT.thought, attributes);
  }
  if (content) span.setAttribute(ATTR.outputMessages, contentText(outputMessages(result), CONTENT_LIMIT));
}

/**
 * `client.create(messages, options)` inside a `chat {model}` span: provider, request model,
 * finish reasons, token usage, thought, errors (and, with content capture, the messages).
 * Every model call the library makes goes through here or through `tracedCreateStream`.
 */
export async function tracedCreate(
  client: ChatCompletionClient,
  messages: readonly LLMMessage[],
  options: CreateOptions = {},
  call: ModelCallInfo = {},
): Promise<CreateResult> {
  if (!instrumentationEnabled()) return client.create(messages, options);
  const span = startChatSpan(client, messages, false, call);
  if (!span.isRecording()) {
    span.end();
    return client.create(messages, options);
  }
  try {
    const result = await context.with(trace.setSpan(context.active(), span), () => client.create(messages, options));
    recordResult(span, result);
    return result;
  } catch (error) {
    recordError(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * `client.createStream(messages, options)` inside a `chat {model}` span, which also records the
 * time to the first text chunk (`gen_ai.response.time_to_first_chunk`, seconds).
 */
export function tracedCreateStream(
  client: ChatCompletionClient,
  messages: readonly LLMMessage[],
  options: CreateOptions = {},
  call: ModelCallInfo = {},
): AsyncIterable<string | CreateResult> {
  if (!instrumentationEnabled()) return client.createStream(messages, options);
  const span = startChatSpan(client, messages, true, call);
  if (!span.isRecording()) {
    span.end();
    return client.createStream(messages, options);
  }
  const started = performance.now();
  let chunked = false;
  const active = trace.setSpan(context.active(), span);
  const source = context.with(active, () => asGenerator(client.createStream(messages, options)));
  return runGeneratorInSpan(span, source, {
    onItem(item) {
      if (typeof item === "string") {
        if (!chunked) span.setAttribute(ATTR.responseTimeToFirstChunk, (performance.now() - started) / 1000);
        chunked = true;
      } else recordResult(span, item);
    },
  });
}

async function* asGenerator<T>(iterable: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  yield* iterable;
}

/**
 * Called by a model client once the provider answered: the model that actually served the
 * request and the response id go on the current `chat` span. Does nothing outside one.
 */
export function recordModelResponse(response: { model?: string | null; id?: string | null }): void {
  const span = trace.getActiveSpan();
  if (!span || !chatSpans.has(span) || !span.isRecording()) return;
  if (response.model) span.setAttribute(ATTR.responseModel, response.model);
  if (response.id) span.setAttribute(ATTR.responseId, response.id);
}
