import { randomUUID } from "node:crypto";
import type { AgentMessage, ChatMessage, MessageBase, Task } from "./types.ts";
import { UserError } from "../errors.ts";

const CHAT_MESSAGE_TYPES = new Set<string>([
  "TextMessage",
  "MultiModalMessage",
  "StopMessage",
  "HandoffMessage",
  "ToolCallSummaryMessage",
  "StructuredMessage",
]);

/** The fields a caller supplies; id, createdAt and metadata get defaults. */
export type MessageInit<M extends AgentMessage> = Omit<M, "id" | "createdAt" | "metadata" | "type"> &
  Partial<Pick<MessageBase, "id" | "createdAt" | "metadata">>;

/**
 * Make a chat message or event with a fresh id and timestamp:
 * `createMessage("TextMessage", { source: "user", content: "hi" })`.
 */
export function createMessage<T extends AgentMessage["type"]>(
  type: T,
  init: MessageInit<Extract<AgentMessage, { type: T }>>,
): Extract<AgentMessage, { type: T }> {
  return {
    id: randomUUID(),
    createdAt: new Date().toISOString(),
    metadata: {},
    ...init,
    type,
  } as unknown as Extract<AgentMessage, { type: T }>;
}

/** Shorthand for the most common message. */
export function textMessage(source: string, content: string): ChatMessage {
  return createMessage("TextMessage", { source, content });
}

/** True for messages agents say to each other (not inner events). */
export function isChatMessage(message: { type: string }): message is ChatMessage {
  return CHAT_MESSAGE_TYPES.has(message.type);
}

/** True for events (tool calls, streaming chunks, thoughts...). */
export function isAgentEvent(message: { type: string }): boolean {
  return !CHAT_MESSAGE_TYPES.has(message.type) && message.type !== "TaskResult";
}

/** The task of `run({ task })` as chat messages; a string becomes a TextMessage from "user". */
export function taskToMessages(task: Task | undefined): ChatMessage[] {
  if (task === undefined) return [];
  if (typeof task === "string") return [textMessage("user", task)];
  const list = Array.isArray(task) ? task : [task];
  for (const message of list) {
    if (!message || typeof message !== "object" || !isChatMessage(message))
      throw new UserError(
        `A task must be a string, a chat message or a list of chat messages; got ${JSON.stringify(message)?.slice(0, 80)}.`,
      );
  }
  return list;
}
