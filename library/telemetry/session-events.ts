/**
 * The events a session reports while it is open (its live feed) and keeps for replay: plain JSON
 * objects discriminated by `type`. A dashboard subscribes with `session.subscribe(listener)` or
 * `for await (const event of session.feed())` and updates as a team runs:
 *
 * | type                | when                                        | carries                                            |
 * |---------------------|---------------------------------------------|----------------------------------------------------|
 * | `session_start`     | `startSession()`                            | session id, tags, metadata                         |
 * | `agent_turn_start`  | an agent starts a turn                      | agent                                              |
 * | `message_received`  | a message is handed to an agent             | message id and type, from, to (the agent)          |
 * | `message`           | an agent says something                     | message id and type, from, size, target of a handoff |
 * | `thought`           | a model returned reasoning                  | agent, model, size                                 |
 * | `model_call`        | a model call ended                          | agent, models, latency, time to first chunk, tokens, cost |
 * | `tool_call`         | a tool call ended                           | agent, tool, call id, latency, sizes, error kind   |
 * | `memory_query`      | an agent consulted a memory                 | agent, memory, hits, latency                       |
 * | `code_execution`    | code ran                                    | agent, executor, languages, exit code, latency     |
 * | `handoff`           | an agent handed the conversation over       | from, to                                           |
 * | `speaker_selection` | a team chose who speaks next                | team, speakers                                     |
 * | `agent_turn`        | an agent's turn ended                       | agent, latency                                     |
 * | `team_run`          | a team run ended                            | team, latency, stop reason                         |
 * | `error`             | any operation failed                        | operation, error type, agent                       |
 * | `session_end`       | `session.end(state)`                        | end state                                          |
 *
 * Message text, thoughts, tool arguments and results are present (`content`, `arguments`,
 * `result`) only when content capture is on (`setTelemetryOptions({ captureContent: true })`).
 * Events derived from a span are reported when that span ends, with the time they happened:
 * a message when its agent's turn ends, a speaker selection when the team run ends. For who is
 * speaking right now, watch `agent_turn_start`, reported the moment a turn begins.
 */

/** Fields every session event has. */
export interface SessionEventBase {
  /** Position in the session, from 0, in the order events were reported. */
  seq: number;
  /** ISO-8601 time it happened. */
  time: string;
  /** Milliseconds from the session's start to when it happened. */
  elapsedMs: number;
  /** The trace and span it comes from, when it comes from a span. */
  traceId?: string;
  spanId?: string;
}

export interface SessionStartEvent extends SessionEventBase {
  type: "session_start";
  sessionId: string;
  tags: string[];
  metadata: Record<string, string | number | boolean>;
}

export interface AgentTurnStartEvent extends SessionEventBase {
  type: "agent_turn_start";
  agent: string;
}

export interface MessageReceivedEvent extends SessionEventBase {
  type: "message_received";
  messageId: string;
  messageType: string;
  /** Who said it. */
  from: string;
  /** The agent it was handed to. */
  to: string;
  size: number;
  content?: string;
}

export interface MessageSentEvent extends SessionEventBase {
  type: "message";
  messageId: string;
  messageType: string;
  /** Who said it. */
  from: string;
  /** For a HandoffMessage, the agent that takes over. */
  target?: string;
  /** Characters of the message's text. */
  size: number;
  content?: string;
}

export interface ThoughtSessionEvent extends SessionEventBase {
  type: "thought";
  agent?: string;
  model: string;
  size: number;
  content?: string;
}

export interface ModelCallEvent extends SessionEventBase {
  type: "model_call";
  agent?: string;
  provider: string;
  requestModel: string;
  /** The model that served the request, when the provider said. */
  responseModel?: string;
  latencyMs: number;
  /** Streaming calls: milliseconds until the first text chunk. */
  timeToFirstChunkMs?: number;
  inputTokens: number;
  outputTokens: number;
  /** Dollars, when the model has a price (0 for cache hits). */
  costUsd?: number;
  finishReasons: string[];
  /** True when a ChatCompletionCache answered. */
  cached: boolean;
  /** Error type when the call failed. */
  error?: string;
}

export interface ToolCallEvent extends SessionEventBase {
  type: "tool_call";
  agent?: string;
  tool: string;
  callId: string;
  latencyMs: number;
  argumentsSize: number;
  resultSize: number;
  isError: boolean;
  /** "tool_not_found", "ToolArgumentsError", the class the tool threw... */
  errorType?: string;
  arguments?: string;
  result?: string;
}

export interface MemoryQuerySessionEvent extends SessionEventBase {
  type: "memory_query";
  agent?: string;
  memory: string;
  /** Items the memory added to the context. */
  hits: number;
  latencyMs: number;
  error?: string;
}

export interface CodeExecutionSessionEvent extends SessionEventBase {
  type: "code_execution";
  agent?: string;
  executor: string;
  languages: string[];
  exitCode?: number;
  latencyMs: number;
  error?: string;
}

export interface HandoffSessionEvent extends SessionEventBase {
  type: "handoff";
  from: string;
  to: string;
}

export interface SpeakerSelectionEvent extends SessionEventBase {
  type: "speaker_selection";
  team: string;
  speakers: string[];
}

export interface AgentTurnEvent extends SessionEventBase {
  type: "agent_turn";
  agent: string;
  latencyMs: number;
  error?: string;
}

export interface TeamRunEvent extends SessionEventBase {
  type: "team_run";
  team: string;
  latencyMs: number;
  stopReason?: string;
  error?: string;
}

export interface ErrorSessionEvent extends SessionEventBase {
  type: "error";
  /** The span that failed, for example "execute_tool add" or "chat gpt-4o". */
  operation: string;
  errorType: string;
  agent?: string;
  /** The error message, with content capture only. */
  message?: string;
}

/** How a session ended, as AgentOps names it. */
export type SessionEndState = "Success" | "Fail" | "Indeterminate";

export interface SessionEndEvent extends SessionEventBase {
  type: "session_end";
  endState: SessionEndState;
}

/** Anything a session reports. */
export type SessionEvent =
  | SessionStartEvent
  | AgentTurnStartEvent
  | MessageReceivedEvent
  | MessageSentEvent
  | ThoughtSessionEvent
  | ModelCallEvent
  | ToolCallEvent
  | MemoryQuerySessionEvent
  | CodeExecutionSessionEvent
  | HandoffSessionEvent
  | SpeakerSelectionEvent
  | AgentTurnEvent
  | TeamRunEvent
  | ErrorSessionEvent
  | SessionEndEvent;

export type SessionEventType = SessionEvent["type"];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A session event before the session numbers it: `timeMs` (epoch milliseconds) instead of `time` and `elapsedMs`. */
export type SessionEventInit = DistributiveOmit<SessionEvent, "seq" | "time" | "elapsedMs"> & { timeMs: number };
