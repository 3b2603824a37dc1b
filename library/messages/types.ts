import type { CodeBlock, CodeResult } from "../code/code-block.ts";
import type { MemoryContent } from "../memory/memory-content.ts";
import type { FunctionCall, FunctionExecutionResult, Image, LLMMessage, RequestUsage } from "../models/types.ts";

/** Fields every chat message and event carries. */
export interface MessageBase {
  /** Unique id (UUID). */
  id: string;
  /** Name of the agent (or "user") that produced it. */
  source: string;
  /** ISO-8601 time of creation. */
  createdAt: string;
  /** Tokens the model used to produce it, when a model did. */
  modelsUsage?: RequestUsage;
  /** Free-form string metadata. */
  metadata: Record<string, string>;
}

// ---- Chat messages: what agents say to each other ------------------------------------------

/** Plain text. */
export interface TextMessage extends MessageBase {
  type: "TextMessage";
  content: string;
}

/** Text and images. */
export interface MultiModalMessage extends MessageBase {
  type: "MultiModalMessage";
  content: Array<string | Image>;
}

/** An agent asks the team to stop. */
export interface StopMessage extends MessageBase {
  type: "StopMessage";
  content: string;
}

/** An agent hands the conversation to another agent (Swarm) or to a human. */
export interface HandoffMessage extends MessageBase {
  type: "HandoffMessage";
  content: string;
  /** Name of the agent that takes over. */
  target: string;
  /** Context passed along with the hand-off (the tool call that made it, for example). */
  context: LLMMessage[];
}

/** The results of tool calls, summarised as text because the agent did not reflect on them. */
export interface ToolCallSummaryMessage extends MessageBase {
  type: "ToolCallSummaryMessage";
  content: string;
  toolCalls: FunctionCall[];
  results: FunctionExecutionResult[];
}

/** A typed answer that matched the agent's `outputContentType` schema. */
export interface StructuredMessage<T = unknown> extends MessageBase {
  type: "StructuredMessage";
  content: T;
  /** Optional template to render `content` as text, with `{field}` placeholders. */
  format?: string;
}

export type ChatMessage =
  | TextMessage
  | MultiModalMessage
  | StopMessage
  | HandoffMessage
  | ToolCallSummaryMessage
  | StructuredMessage;

// ---- Events: what happened inside an agent, shown but not sent to other agents ---------------

/** The model asked for tool calls. */
export interface ToolCallRequestEvent extends MessageBase {
  type: "ToolCallRequestEvent";
  content: FunctionCall[];
}

/** The tool calls ran; here are the results. */
export interface ToolCallExecutionEvent extends MessageBase {
  type: "ToolCallExecutionEvent";
  content: FunctionExecutionResult[];
}

/** A chunk of streamed model text. */
export interface ModelClientStreamingChunkEvent extends MessageBase {
  type: "ModelClientStreamingChunkEvent";
  content: string;
  /** Id of the message this chunk will become part of. */
  fullMessageId?: string;
}

/** Reasoning the model returned with its answer. */
export interface ThoughtEvent extends MessageBase {
  type: "ThoughtEvent";
  content: string;
}

/** An agent is waiting for a human. */
export interface UserInputRequestedEvent extends MessageBase {
  type: "UserInputRequestedEvent";
  /** Matches the input request to the answer. */
  requestId: string;
  content: string;
}

/** What a memory injected into the model's context before a turn. */
export interface MemoryQueryEvent extends MessageBase {
  type: "MemoryQueryEvent";
  content: MemoryContent[];
}

/** The group chat chose the next speaker(s). */
export interface SelectSpeakerEvent extends MessageBase {
  type: "SelectSpeakerEvent";
  content: string[];
}

/** An agent produced code to run. */
export interface CodeGenerationEvent extends MessageBase {
  type: "CodeGenerationEvent";
  retryAttempt: number;
  content: string;
  codeBlocks: CodeBlock[];
}

/** Code ran; here is what it printed. */
export interface CodeExecutionEvent extends MessageBase {
  type: "CodeExecutionEvent";
  retryAttempt: number;
  result: CodeResult;
  content: string;
}

export type AgentEvent =
  | ToolCallRequestEvent
  | ToolCallExecutionEvent
  | ModelClientStreamingChunkEvent
  | ThoughtEvent
  | UserInputRequestedEvent
  | MemoryQueryEvent
  | SelectSpeakerEvent
  | CodeGenerationEvent
  | CodeExecutionEvent;

/** Anything a run yields besides its final TaskResult. */
export type AgentMessage = ChatMessage | AgentEvent;

export type ChatMessageType = ChatMessage["type"];
export type AgentEventType = AgentEvent["type"];
export type AgentMessageType = AgentMessage["type"];

/** What one agent turn returns: the message it says, and the events that led to it. */
export interface Response {
  chatMessage: ChatMessage;
  innerMessages?: AgentMessage[];
}

/** The outcome of `run()` and the last item of `runStream()`. */
export interface TaskResult {
  type: "TaskResult";
  /** Every message and event of the run, the task first. */
  messages: AgentMessage[];
  /** Why the run stopped, when a termination condition or a limit stopped it. */
  stopReason?: string;
}

/** What `run` and `runStream` accept as a task. */
export type Task = string | ChatMessage | ChatMessage[];

/** Options of `run` and `runStream`. */
export interface RunOptions {
  task?: Task;
  cancellationToken?: import("../core/cancellation-token.ts").CancellationToken;
  /** Whether the task messages appear in the result and the stream (default true). */
  outputTaskMessages?: boolean;
}

/** Something that runs a task: an agent or a team. */
export interface TaskRunner {
  run(options?: RunOptions): Promise<TaskResult>;
  runStream(options?: RunOptions): AsyncGenerator<AgentMessage | TaskResult, void, undefined>;
}
