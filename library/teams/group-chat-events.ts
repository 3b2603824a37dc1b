/**
 * The messages a group chat's manager and participant containers exchange over the runtime.
 * They are plain objects with a `type` tag, so intervention handlers and loggers can read them.
 */
import type { AgentMessage, ChatMessage, Response, StopMessage } from "../messages/types.ts";

/** Team -> manager (rpc), then manager -> everyone on the group topic: a run starts, with the task if there is one. */
export interface GroupChatStart {
  type: "GroupChatStart";
  /** The task as chat messages; null to continue the conversation. */
  messages: ChatMessage[] | null;
  /** Whether the task messages appear in the run's output (default true). */
  outputTaskMessages?: boolean;
}

/** Manager -> one participant's topic: it is your turn. */
export interface GroupChatRequestPublish {
  type: "GroupChatRequestPublish";
  /** Identifies this turn; the answer carries it back. */
  turnId: string;
}

/** Participant -> group topic: what the participant said in its turn (the others add it to their buffers). */
export interface GroupChatAgentResponse {
  type: "GroupChatAgentResponse";
  /** Name of the participant that spoke. */
  name: string;
  /** Its answer and the events that led to it. */
  response: Response;
  /** The turn this answers. */
  turnId: string;
}

/** Participant -> output topic: one message or event of a turn, for the run's stream. */
export interface GroupChatMessage {
  type: "GroupChatMessage";
  message: AgentMessage;
  /** The turn it belongs to (absent for messages the manager itself produced). */
  turnId?: string;
}

/** Participant -> manager's topic: the participant failed in its turn. */
export interface GroupChatErrorEvent {
  type: "GroupChatErrorEvent";
  /** Name of the participant that failed. */
  name: string;
  /** What it threw. */
  error: unknown;
  turnId: string;
}

/** Team -> each participant and the manager (rpc): forget the conversation. */
export interface GroupChatReset {
  type: "GroupChatReset";
}

/** Team -> each participant and the manager (rpc): hold on after the turn in progress. */
export interface GroupChatPause {
  type: "GroupChatPause";
}

/** Team -> each participant and the manager (rpc): go on. */
export interface GroupChatResume {
  type: "GroupChatResume";
}

/** Manager -> team (output queue): the run ended, why, and the error when it failed. */
export interface GroupChatTermination {
  type: "GroupChatTermination";
  stopMessage: StopMessage;
  error?: Error;
}
