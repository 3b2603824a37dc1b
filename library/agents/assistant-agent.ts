import { randomUUID } from "node:crypto";
import { CancellationToken } from "../core/cancellation-token.ts";
import { AgentbookError, ModelBehaviorError, UserError } from "../errors.ts";
import type { Memory } from "../memory/memory.ts";
import { messageToModelMessage } from "../messages/convert.ts";
import { createMessage } from "../messages/create.ts";
import type {
  AgentMessage,
  ChatMessage,
  ChatMessageType,
  HandoffMessage,
  ModelClientStreamingChunkEvent,
  Response,
} from "../messages/types.ts";
import type { ChatCompletionContext } from "../model-context/chat-completion-context.ts";
import { UnboundedChatCompletionContext } from "../model-context/unbounded-chat-completion-context.ts";
import type {
  ChatCompletionClient,
  CreateOptions,
  CreateResult,
  FunctionCall,
  FunctionExecutionResult,
  LLMMessage,
  ParseableSchema,
  SystemMessage,
} from "../models/types.ts";
import { tracedMemoryQuery } from "../telemetry/memory-query-span.ts";
import { tracedCreate, tracedCreateStream } from "../telemetry/model-call-span.ts";
import type { Tool } from "../tools/tool.ts";
import type { AgentState } from "./base-chat-agent.ts";
import { BaseChatAgent } from "./base-chat-agent.ts";
import type { HandoffOptions } from "./handoff.ts";
import { Handoff } from "./handoff.ts";
import { executeToolCall } from "./tool-call-execution.ts";

/** The system message an AssistantAgent uses unless told otherwise. */
export const DEFAULT_ASSISTANT_SYSTEM_MESSAGE =
  "You are a helpful AI assistant. Solve tasks using your tools. Reply with TERMINATE when the task has been completed.";

/** The description an AssistantAgent has unless told otherwise. */
export const DEFAULT_ASSISTANT_DESCRIPTION = "An agent that provides assistance with ability to use tools.";

/** Turns one executed tool call into a line of a ToolCallSummaryMessage. */
export type ToolCallSummaryFormatter = (call: FunctionCall, result: FunctionExecutionResult) => string;

/** Options of AssistantAgent. */
export interface AssistantAgentOptions {
  /** Unique name; other agents see it as the message source. */
  name: string;
  /** The model the agent thinks with. */
  modelClient: ChatCompletionClient;
  /** Tools the model may call. */
  tools?: Tool[];
  /** Agents the model may hand the conversation to; each becomes a `transfer_to_<target>` tool. */
  handoffs?: Array<string | HandoffOptions>;
  /** Instructions placed before the context on every call; `null` for none. */
  systemMessage?: string | null;
  /** What the agent does, for selectors and humans. */
  description?: string;
  /** Where the conversation is kept (default: unbounded). */
  modelContext?: ChatCompletionContext;
  /** Stream the model's text as ModelClientStreamingChunkEvents. */
  modelClientStream?: boolean;
  /** After tool calls, ask the model once more for a text answer (default false; true with outputContentType). */
  reflectOnToolUse?: boolean;
  /** How many rounds of tool calls one turn may make (default 1). */
  maxToolIterations?: number;
  /** Line format of a ToolCallSummaryMessage: `{tool_name}`, `{arguments}`, `{result}`, `{is_error}` (default "{result}"). */
  toolCallSummaryFormat?: string;
  /** A function that formats each line instead of `toolCallSummaryFormat`. */
  toolCallSummaryFormatter?: ToolCallSummaryFormatter;
  /** A zod schema the final answer must match; the agent then answers with a StructuredMessage. */
  outputContentType?: ParseableSchema;
  /** Template to render a StructuredMessage as text, with `{field}` placeholders. */
  outputContentTypeFormat?: string;
  /** Memories consulted before every model call. */
  memory?: Memory | Memory[];
  /** Free-form metadata about the agent. */
  metadata?: Record<string, string>;
}

/** Saved state of an AssistantAgent: its model context as plain JSON. */
export interface AssistantAgentState extends AgentState {
  type: "AssistantAgentState";
  version: "1.0.0";
  llmContext: Awaited<ReturnType<ChatCompletionContext["saveState"]>>;
}

/** The outcome of one model call inside a turn. */
interface ModelCall {
  type: "ModelCall";
  result: CreateResult;
  /** Id the message made from this call will carry (streamed chunks point at it). */
  messageId: string;
}

/** Images replaced by a placeholder, for models without vision. */
function withoutImages(messages: LLMMessage[]): LLMMessage[] {
  return messages.map((message) =>
    message.type === "UserMessage" && Array.isArray(message.content)
      ? { ...message, content: message.content.map((part) => (typeof part === "string" ? part : "<image>")).join("\n") }
      : message,
  );
}

function describeZodIssues(error: unknown): string {
  const issues = (error as { issues?: Array<{ path?: PropertyKey[]; message?: string }> })?.issues;
  if (!Array.isArray(issues)) return String(error);
  return issues.map((issue) => `- ${issue.path?.length ? issue.path.map(String).join(".") : "(root)"}: ${issue.message}`).join("\n");
}

/**
 * An agent that answers with a model and can call tools. Per turn: new messages enter the
 * model context, memories add what is relevant, the model answers; when it calls tools they run
 * concurrently and their results go back to it, up to `maxToolIterations` rounds; then it either
 * reflects (one more call for a text answer) or summarises the tool results.
 *
 * ```ts
 * const agent = new AssistantAgent({ name: "assistant", modelClient, tools: [weather] });
 * const result = await agent.run({ task: "What is the weather in Paris?" });
 * ```
 */
export class AssistantAgent extends BaseChatAgent {
  /** The model the agent thinks with. */
  readonly modelClient: ChatCompletionClient;
  /** Where the conversation is kept. */
  readonly modelContext: ChatCompletionContext;
  /** Free-form metadata about the agent. */
  readonly metadata: Record<string, string>;
  readonly #tools: Tool[];
  readonly #handoffs: Map<string, Handoff>;
  /** Tools and handoff tools by name, as the model calls them. */
  readonly #callable: Map<string, Tool>;
  readonly #systemMessages: SystemMessage[];
  readonly #memory: Memory[];
  readonly #stream: boolean;
  readonly #reflectOnToolUse: boolean;
  readonly #maxToolIterations: number;
  readonly #summaryFormat: string;
  readonly #summaryFormatter?: ToolCallSummaryFormatter;
  readonly #outputContentType?: ParseableSchema;
  readonly #outputContentTypeFormat?: string;
  readonly #options: Readonly<AssistantAgentOptions>;
  #running = false;

  constructor(options: AssistantAgentOptions) {
    super(options?.name, options?.description ?? DEFAULT_ASSISTANT_DESCRIPTION);
    const { modelClient } = options;
    if (!modelClient || typeof modelClient.create !== "function")
      throw new UserError(
        `AssistantAgent "${this.name}" needs a modelClient (for example modelClientFromEnv(), or a ReplayChatCompletionClient offline).`,
      );
    this.modelClient = modelClient;
    this.modelContext = options.modelContext ?? new UnboundedChatCompletionContext();
    this.metadata = { ...options.metadata };

    this.#tools = [...(options.tools ?? [])];
    this.#callable = new Map();
    for (const tool of this.#tools) {
      if (!tool || typeof tool.runJson !== "function" || !tool.schema)
        throw new UserError(
          `AssistantAgent "${this.name}" got a tool that is not a Tool; wrap functions in new FunctionTool(fn, { name, description, parameters }).`,
        );
      if (this.#callable.has(tool.name))
        throw new UserError(`AssistantAgent "${this.name}" has two tools named "${tool.name}"; tool names must be unique.`);
      this.#callable.set(tool.name, tool);
    }
    this.#handoffs = new Map();
    for (const spec of options.handoffs ?? []) {
      const handoff = new Handoff(spec);
      if (this.#callable.has(handoff.name))
        throw new UserError(
          `AssistantAgent "${this.name}": the handoff tool "${handoff.name}" clashes with a tool or another handoff; give the handoff another name.`,
        );
      this.#handoffs.set(handoff.name, handoff);
      this.#callable.set(handoff.name, handoff.tool);
    }
    if (this.#callable.size > 0 && !modelClient.modelInfo.functionCalling)
      throw new UserError(
        `AssistantAgent "${this.name}" has ${this.#tools.length > 0 ? "tools" : "handoffs"}, but its model (family ` +
          `"${modelClient.modelInfo.family}") does not support function calling. Use a model that does, or remove the tools and handoffs.`,
      );

    const systemMessage = options.systemMessage === undefined ? DEFAULT_ASSISTANT_SYSTEM_MESSAGE : options.systemMessage;
    this.#systemMessages = systemMessage === null ? [] : [{ type: "SystemMessage", content: systemMessage }];
    this.#memory = options.memory === undefined ? [] : Array.isArray(options.memory) ? [...options.memory] : [options.memory];
    this.#stream = options.modelClientStream ?? false;
    this.#outputContentType = options.outputContentType;
    this.#outputContentTypeFormat = options.outputContentTypeFormat;
    if (this.#outputContentType && typeof this.#outputContentType.safeParse !== "function")
      throw new UserError(`AssistantAgent "${this.name}": outputContentType must be a zod schema (for example z.object({...})).`);
    this.#reflectOnToolUse = options.reflectOnToolUse ?? this.#outputContentType !== undefined;
    this.#maxToolIterations = options.maxToolIterations ?? 1;
    if (!Number.isInteger(this.#maxToolIterations) || this.#maxToolIterations < 1)
      throw new UserError(`maxToolIterations must be a whole number of at least 1; got ${String(options.maxToolIterations)}.`);
    this.#summaryFormat = options.toolCallSummaryFormat ?? "{result}";
    this.#summaryFormatter = options.toolCallSummaryFormatter;
    this.#options = Object.freeze({ ...options });
  }

  /** The options the agent was built with, as given (what `dumpComponent` records). */
  get options(): Readonly<AssistantAgentOptions> {
    return this.#options;
  }

  get producedMessageTypes(): ChatMessageType[] {
    const types: ChatMessageType[] = ["TextMessage", "ToolCallSummaryMessage", "HandoffMessage"];
    if (this.#outputContentType) types.push("StructuredMessage");
    return types;
  }

  /** The tools the model may call (handoff tools not included). */
  get tools(): readonly Tool[] {
    return this.#tools;
  }

  async onMessages(messages: ChatMessage[], cancellationToken: CancellationToken): Promise<Response> {
    for await (const item of this.onMessagesStream(messages, cancellationToken)) if ("chatMessage" in item) return item;
    throw new AgentbookError(`AssistantAgent "${this.name}" ended its turn without a response.`);
  }

  async *onMessagesStream(
    messages: ChatMessage[],
    cancellationToken: CancellationToken,
  ): AsyncGenerator<AgentMessage | Response, void, undefined> {
    if (this.#running)
      throw new UserError(
        `AssistantAgent "${this.name}" is already running; wait for its turn to finish before starting another (one context cannot serve two turns at once).`,
      );
    this.#running = true;
    try {
      yield* this.#turn(messages, cancellationToken);
    } finally {
      this.#running = false;
    }
  }

  async *#turn(messages: ChatMessage[], token: CancellationToken): AsyncGenerator<AgentMessage | Response, void, undefined> {
    const inner: AgentMessage[] = [];
    const note = <M extends AgentMessage>(message: M): M => {
      inner.push(message);
      return message;
    };

    // New messages enter the context; a handoff brings the tool calls that led to it.
    for (const message of messages) {
      if (message.type === "HandoffMessage") for (const llmMessage of message.context) await this.modelContext.addMessage(llmMessage);
      await this.modelContext.addMessage(messageToModelMessage(message));
    }

    for (const memory of this.#memory) {
      token.throwIfCancelled();
      const update = await token.race(tracedMemoryQuery(memory, this.name, () => memory.updateContext(this.modelContext)));
      if (update.memories.results.length > 0)
        yield note(createMessage("MemoryQueryEvent", { source: this.name, content: update.memories.results }));
    }

    let call: ModelCall | undefined;
    for await (const item of this.#callModel(token, true)) {
      if (item.type === "ModelCall") call = item;
      else yield item;
    }
    yield* this.#recordAnswer(call!, note);

    let executed: Array<[FunctionCall, FunctionExecutionResult]> = [];
    for (let iteration = 0; iteration < this.#maxToolIterations; iteration++) {
      const { result } = call!;
      if (typeof result.content === "string") {
        yield { chatMessage: this.#finalMessage(call!), innerMessages: inner };
        return;
      }
      const calls = result.content;
      yield note(createMessage("ToolCallRequestEvent", { source: this.name, content: calls, modelsUsage: result.usage }));
      const results = await this.#runTools(calls, token);
      yield note(createMessage("ToolCallExecutionEvent", { source: this.name, content: results }));
      executed = calls.map((toolCall, index) => [toolCall, results[index]!]);

      const handoff = this.#handoffMessage(executed, result);
      if (handoff) {
        yield { chatMessage: handoff, innerMessages: inner };
        return;
      }
      if (iteration === this.#maxToolIterations - 1) break;

      token.throwIfCancelled();
      for await (const item of this.#callModel(token, true)) {
        if (item.type === "ModelCall") call = item;
        else yield item;
      }
      yield* this.#recordAnswer(call!, note);
    }

    if (this.#reflectOnToolUse) {
      token.throwIfCancelled();
      let reflection: ModelCall | undefined;
      for await (const item of this.#callModel(token, false)) {
        if (item.type === "ModelCall") reflection = item;
        else yield item;
      }
      yield* this.#recordAnswer(reflection!, note);
      if (typeof reflection!.result.content !== "string")
        throw new ModelBehaviorError(
          `AssistantAgent "${this.name}": the model answered its reflection on tool results with tool calls, although no tools were offered.`,
        );
      yield { chatMessage: this.#finalMessage(reflection!), innerMessages: inner };
      return;
    }
    yield { chatMessage: this.#summary(executed), innerMessages: inner };
  }

  /** One model call on the system messages and the context; streamed chunks are yielded as events. */
  async *#callModel(
    token: CancellationToken,
    withTools: boolean,
  ): AsyncGenerator<ModelClientStreamingChunkEvent | ModelCall, void, undefined> {
    token.throwIfCancelled();
    let context = [...this.#systemMessages, ...(await this.modelContext.getMessages())];
    if (!this.modelClient.modelInfo.vision) context = withoutImages(context);
    const options: CreateOptions = { cancellationToken: token };
    if (withTools && this.#callable.size > 0) options.tools = [...this.#callable.values()];
    if (this.#outputContentType) options.jsonOutput = this.#outputContentType;
    const messageId = randomUUID();

    if (!this.#stream) {
      const result = await token.race(tracedCreate(this.modelClient, context, options, { agentName: this.name }));
      yield { type: "ModelCall", result, messageId };
      return;
    }
    let result: CreateResult | undefined;
    for await (const item of tracedCreateStream(this.modelClient, context, options, { agentName: this.name })) {
      token.throwIfCancelled();
      if (typeof item === "string") {
        if (item !== "")
          yield createMessage("ModelClientStreamingChunkEvent", { source: this.name, content: item, fullMessageId: messageId });
      } else result = item;
    }
    if (!result) throw new AgentbookError(`The model client of "${this.name}" ended its stream without a final result.`);
    yield { type: "ModelCall", result, messageId };
  }

  /** Put the model's answer into the context, and yield its thought if it had one. */
  async *#recordAnswer(call: ModelCall, note: <M extends AgentMessage>(message: M) => M): AsyncGenerator<AgentMessage> {
    const { result } = call;
    if (result.thought) yield note(createMessage("ThoughtEvent", { source: this.name, content: result.thought }));
    await this.modelContext.addMessage({
      type: "AssistantMessage",
      content: result.content,
      source: this.name,
      ...(result.thought ? { thought: result.thought } : {}),
    });
  }

  /** Run the calls concurrently. If the run is cancelled meanwhile, the context still gets a result per call. */
  async #runTools(calls: FunctionCall[], token: CancellationToken): Promise<FunctionExecutionResult[]> {
    let results: FunctionExecutionResult[];
    try {
      results = await Promise.all(calls.map((toolCall) => executeToolCall(toolCall, this.#callable, token)));
    } catch (error) {
      // Providers reject tool calls without results, so a later turn must find results here.
      await this.modelContext.addMessage({
        type: "FunctionExecutionResultMessage",
        content: calls.map((toolCall) => ({
          callId: toolCall.id,
          name: toolCall.name,
          content: "Error: the tool call was cancelled before it finished.",
          isError: true,
        })),
      });
      throw error;
    }
    await this.modelContext.addMessage({ type: "FunctionExecutionResultMessage", content: results });
    return results;
  }

  /** A HandoffMessage when the model called a handoff tool (the first one wins). */
  #handoffMessage(executed: Array<[FunctionCall, FunctionExecutionResult]>, result: CreateResult): HandoffMessage | undefined {
    const requested = executed.filter(([toolCall]) => this.#handoffs.has(toolCall.name));
    if (requested.length === 0) return undefined;
    if (requested.length > 1)
      process.emitWarning(
        `AssistantAgent "${this.name}": the model asked for ${requested.length} handoffs at once (${requested.map(([c]) => c.name).join(", ")}); ` +
          "only the first is made. Turn off parallel tool calls in the model client to avoid this.",
      );
    const [handoffCall, handoffResult] = requested[0]!;
    const handoff = this.#handoffs.get(handoffCall.name)!;
    const others = executed.filter(([toolCall]) => !this.#handoffs.has(toolCall.name));
    const context: LLMMessage[] = [];
    if (others.length > 0) {
      context.push({
        type: "AssistantMessage",
        content: others.map(([toolCall]) => toolCall),
        source: this.name,
        ...(result.thought ? { thought: result.thought } : {}),
      });
      context.push({ type: "FunctionExecutionResultMessage", content: others.map(([, toolResult]) => toolResult) });
    } else if (result.thought) {
      context.push({ type: "AssistantMessage", content: result.thought, source: this.name });
    }
    return createMessage("HandoffMessage", { source: this.name, target: handoff.target, content: handoffResult.content, context });
  }

  /** The message a text answer becomes: a TextMessage, or a StructuredMessage with outputContentType. */
  #finalMessage({ result, messageId }: ModelCall): ChatMessage {
    const text = result.content as string;
    if (!this.#outputContentType)
      return createMessage("TextMessage", { id: messageId, source: this.name, content: text, modelsUsage: result.usage });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ModelBehaviorError(
        `AssistantAgent "${this.name}": the model's answer is not JSON, but outputContentType asks for a JSON object matching its schema. ` +
          `The answer began: ${JSON.stringify(text.slice(0, 200))}`,
        { cause: error },
      );
    }
    const parsed = this.#outputContentType.safeParse(json);
    if (!parsed.success)
      throw new ModelBehaviorError(
        `AssistantAgent "${this.name}": the model's answer does not match outputContentType:\n${describeZodIssues(parsed.error)}`,
        { cause: parsed.error },
      );
    return createMessage("StructuredMessage", {
      id: messageId,
      source: this.name,
      content: parsed.data,
      modelsUsage: result.usage,
      ...(this.#outputContentTypeFormat ? { format: this.#outputContentTypeFormat } : {}),
    });
  }

  /** The tool results as text, one line per call. */
  #summary(executed: Array<[FunctionCall, FunctionExecutionResult]>): ChatMessage {
    const lines = executed.map(([toolCall, toolResult]) =>
      this.#summaryFormatter
        ? this.#summaryFormatter(toolCall, toolResult)
        : this.#summaryFormat.replace(/\{(tool_name|arguments|result|is_error)\}/g, (_whole, key: string) =>
            key === "tool_name"
              ? toolCall.name
              : key === "arguments"
                ? toolCall.arguments
                : key === "result"
                  ? toolResult.content
                  : String(toolResult.isError),
          ),
    );
    return createMessage("ToolCallSummaryMessage", {
      source: this.name,
      content: lines.join("\n"),
      toolCalls: executed.map(([toolCall]) => toolCall),
      results: executed.map(([, toolResult]) => toolResult),
    });
  }

  /** Forget the conversation. */
  async onReset(_cancellationToken: CancellationToken): Promise<void> {
    await this.modelContext.clear();
  }

  /** The model context as plain JSON; `loadState` on a new agent continues the conversation. */
  async saveState(): Promise<AssistantAgentState> {
    return { type: "AssistantAgentState", version: "1.0.0", llmContext: await this.modelContext.saveState() };
  }

  async loadState(state: AgentState): Promise<void> {
    if (!state || state.type !== "AssistantAgentState" || typeof state.llmContext !== "object" || state.llmContext === null)
      throw new UserError(
        `AssistantAgent "${this.name}" can only load an AssistantAgentState (what its saveState() returned); got type ${JSON.stringify(state?.type)}.`,
      );
    await this.modelContext.loadState(state.llmContext as AssistantAgentState["llmContext"]);
  }
}
