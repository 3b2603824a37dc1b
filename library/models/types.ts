import type { CancellationToken } from "../core/cancellation-token.ts";

/** An image passed to a vision model: base64 data and its MIME type. */
export interface Image {
  type: "image";
  /** Base64-encoded bytes (no `data:` prefix). */
  data: string;
  /** For example "image/png". */
  mimeType: string;
}

/** A tool call the model asked for. `arguments` is the raw JSON text the model produced. */
export interface FunctionCall {
  id: string;
  name: string;
  arguments: string;
}

/** What running one FunctionCall produced, as the model will see it. */
export interface FunctionExecutionResult {
  callId: string;
  name: string;
  content: string;
  isError: boolean;
}

/** Instructions for the model. */
export interface SystemMessage {
  type: "SystemMessage";
  content: string;
}

/** Something a user or another agent said to the model. */
export interface UserMessage {
  type: "UserMessage";
  content: string | Array<string | Image>;
  /** Who said it (an agent name or "user"). */
  source: string;
}

/** Something the model said before: text or the tool calls it made. */
export interface AssistantMessage {
  type: "AssistantMessage";
  content: string | FunctionCall[];
  source: string;
  /** Reasoning text a model returned alongside its answer, when it returns one. */
  thought?: string;
}

/** The results of the tool calls of the previous AssistantMessage. */
export interface FunctionExecutionResultMessage {
  type: "FunctionExecutionResultMessage";
  content: FunctionExecutionResult[];
}

/** A message in a model's context. */
export type LLMMessage = SystemMessage | UserMessage | AssistantMessage | FunctionExecutionResultMessage;

/** Token counts of one request, or a sum of several. */
export interface RequestUsage {
  promptTokens: number;
  completionTokens: number;
}

export type FinishReason = "stop" | "length" | "function_calls" | "content_filter" | "unknown";

/** The answer of one model call. */
export interface CreateResult {
  finishReason: FinishReason;
  /** Text, or the tool calls the model asked for. */
  content: string | FunctionCall[];
  usage: RequestUsage;
  /** True when the answer came from a ChatCompletionCache rather than the model. */
  cached: boolean;
  /** Reasoning text, when the model returns it separately from the answer. */
  thought?: string;
}

/** What a model can do; agents check it before sending tools, images or JSON requests. */
export interface ModelInfo {
  vision: boolean;
  functionCalling: boolean;
  jsonOutput: boolean;
  structuredOutput: boolean;
  /** Model family, for example "gpt-4o", "o3", "claude-3-5-sonnet", "unknown". */
  family: string;
  /** Whether the model accepts more than one system message in a context. */
  multipleSystemMessages?: boolean;
}

/** A JSON Schema object describing a tool's parameters. */
export type JSONSchema = Record<string, unknown>;

/** How a tool is described to a model. */
export interface ToolSchema {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters?: JSONSchema;
  /** Ask the provider to enforce the schema exactly (OpenAI structured tool calls). */
  strict?: boolean;
}

/** Anything that can describe itself to a model as a tool (a Tool, or a bare schema). */
export interface ToolLike {
  readonly schema: ToolSchema;
}

/** "auto" lets the model choose, "required" forces some tool call, "none" forbids them, a name forces that tool. */
export type ToolChoice = "auto" | "required" | "none" | { name: string };

/** A zod-like schema: anything with `safeParse` (zod 4 schemas qualify). Kept structural so models/ does not import zod. */
export interface ParseableSchema<T = unknown> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: unknown };
}

/** Options of one model call. */
export interface CreateOptions {
  tools?: ReadonlyArray<ToolLike | ToolSchema>;
  toolChoice?: ToolChoice;
  /** true for JSON mode; a zod schema for structured output that must match it. */
  jsonOutput?: boolean | ParseableSchema;
  /** Provider-specific request fields, passed through unchanged (for example `{ top_p: 0.5 }`). */
  extraCreateArgs?: Record<string, unknown>;
  cancellationToken?: CancellationToken;
}

/**
 * The one interface every model provider implements. Agents and teams only ever see this,
 * so the offline replay model and a live OpenAI model are interchangeable.
 */
export interface ChatCompletionClient {
  /** Capabilities of the model behind this client. */
  readonly modelInfo: ModelInfo;
  /** One model call. */
  create(messages: readonly LLMMessage[], options?: CreateOptions): Promise<CreateResult>;
  /** One model call, streamed: text chunks as they arrive, then exactly one CreateResult. */
  createStream(messages: readonly LLMMessage[], options?: CreateOptions): AsyncIterable<string | CreateResult>;
  /** Usage of calls that reached the model (cache hits excluded). */
  actualUsage(): RequestUsage;
  /** Usage of every call, cache hits included. */
  totalUsage(): RequestUsage;
  /** Estimated prompt tokens of `messages` (and tools), for context limits. */
  countTokens(messages: readonly LLMMessage[], options?: { tools?: ReadonlyArray<ToolLike | ToolSchema> }): number;
  /** Release connections and child resources. */
  close(): Promise<void>;
}

/** The schema of a tool or bare schema. */
export function toolSchemaOf(tool: ToolLike | ToolSchema): ToolSchema {
  return "schema" in tool && typeof tool.schema === "object" ? (tool as ToolLike).schema : (tool as ToolSchema);
}

/** A zero usage, to start sums from. */
export function emptyUsage(): RequestUsage {
  return { promptTokens: 0, completionTokens: 0 };
}

/** Sum of two usages. */
export function addUsage(a: RequestUsage, b: RequestUsage): RequestUsage {
  return { promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens };
}
