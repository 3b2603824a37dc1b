/**
 * Span and attribute names agentbook emits. The `gen_ai.*` names follow the OpenTelemetry GenAI
 * semantic conventions (development status), so Jaeger, Langfuse, Phoenix and AgentOps read
 * them as they read any GenAI trace; `agentbook.*` names cover what the conventions do not.
 */

/** Name of the tracer (instrumentation scope) of every agentbook span. */
export const TRACER_NAME = "agentbook";

export const ATTR = {
  // ---- OpenTelemetry GenAI conventions ----------------------------------------------------
  operationName: "gen_ai.operation.name",
  providerName: "gen_ai.provider.name",
  /** The older name of `gen_ai.provider.name`, still read by many backends. */
  system: "gen_ai.system",
  requestModel: "gen_ai.request.model",
  requestStream: "gen_ai.request.stream",
  responseModel: "gen_ai.response.model",
  responseId: "gen_ai.response.id",
  responseFinishReasons: "gen_ai.response.finish_reasons",
  /** Seconds from the request to the first streamed chunk. */
  responseTimeToFirstChunk: "gen_ai.response.time_to_first_chunk",
  usageInputTokens: "gen_ai.usage.input_tokens",
  usageOutputTokens: "gen_ai.usage.output_tokens",
  agentName: "gen_ai.agent.name",
  agentDescription: "gen_ai.agent.description",
  workflowName: "gen_ai.workflow.name",
  conversationId: "gen_ai.conversation.id",
  toolName: "gen_ai.tool.name",
  toolType: "gen_ai.tool.type",
  toolCallId: "gen_ai.tool.call.id",
  /** Opt-in content. */
  toolCallArguments: "gen_ai.tool.call.arguments",
  /** Opt-in content. */
  toolCallResult: "gen_ai.tool.call.result",
  /** Opt-in content (JSON text). */
  inputMessages: "gen_ai.input.messages",
  /** Opt-in content (JSON text). */
  outputMessages: "gen_ai.output.messages",
  /** Opt-in content (JSON text). */
  systemInstructions: "gen_ai.system_instructions",
  dataSourceId: "gen_ai.data_source.id",
  /** Opt-in content. */
  retrievalQueryText: "gen_ai.retrieval.query.text",
  errorType: "error.type",
  serverAddress: "server.address",
  serverPort: "server.port",

  // ---- agentbook additions --------------------------------------------------------------------
  /** True when a ChatCompletionCache answered (no tokens were spent). */
  cached: "agentbook.response.cached",
  /** True when the operation was cancelled (not counted as an error). */
  cancelled: "agentbook.cancelled",
  /** Kind of agentbook span: "team", "agent", "model", "tool", "memory", "code". */
  spanKind: "agentbook.span.kind",
  teamId: "agentbook.team.id",
  teamParticipants: "agentbook.team.participants",
  /** Opt-in content: why a team run stopped (it may quote a StopMessage). */
  teamStopReason: "agentbook.team.stop_reason",
  /** Messages handed to the agent for this turn. */
  agentInputMessages: "agentbook.agent.input_messages",
  toolArgumentsSize: "agentbook.tool.arguments_size",
  toolResultSize: "agentbook.tool.result_size",
  toolIsError: "agentbook.tool.is_error",
  memoryHits: "agentbook.memory.hits",
  codeExecutor: "agentbook.code.executor",
  codeLanguages: "agentbook.code.languages",
  codeBlocks: "agentbook.code.blocks",
  codeExitCode: "agentbook.code.exit_code",
  /** Opt-in content: the code that ran. */
  codeContent: "agentbook.code.content",
  /** Opt-in content: what it printed. */
  codeOutput: "agentbook.code.output",
  codeOutputSize: "agentbook.code.output_size",
  /** The error message, recorded only with content capture (it may quote user data). */
  errorMessage: "agentbook.error.message",
} as const;

/** Names of the span events agentbook adds. */
export const EVENT = {
  /** A chat message an agent produced (on its `invoke_agent` span). */
  messageSent: "agentbook.message.sent",
  /** A chat message handed to an agent at the start of its turn. */
  messageReceived: "agentbook.message.received",
  /** Reasoning the model returned (on the `chat` span). */
  thought: "agentbook.thought",
  /** An agent handed the conversation to another (on its `invoke_agent` span). */
  handoff: "agentbook.handoff",
  /** A team chose who speaks next (on its `invoke_workflow` span). */
  speakerSelection: "agentbook.speaker_selection",
} as const;

/** Attributes of the events in EVENT. */
export const EVENT_ATTR = {
  messageId: "agentbook.message.id",
  messageType: "agentbook.message.type",
  messageSource: "agentbook.message.source",
  messageTarget: "agentbook.message.target",
  messageCreatedAt: "agentbook.message.created_at",
  /** Characters of the message's text form. */
  messageSize: "agentbook.message.size",
  /** Opt-in content. */
  messageContent: "agentbook.message.content",
  thoughtSize: "agentbook.thought.size",
  /** Opt-in content. */
  thoughtContent: "agentbook.thought.content",
  handoffFrom: "agentbook.handoff.from",
  handoffTo: "agentbook.handoff.to",
  speakers: "agentbook.team.speakers",
} as const;

/** Values of `gen_ai.operation.name` agentbook uses. */
export const OPERATION = {
  chat: "chat",
  invokeAgent: "invoke_agent",
  invokeWorkflow: "invoke_workflow",
  executeTool: "execute_tool",
  retrieval: "retrieval",
  executeCode: "execute_code",
} as const;

/** Values of `agentbook.span.kind`. */
export type AgentbookSpanKind = "team" | "agent" | "model" | "tool" | "memory" | "code";
