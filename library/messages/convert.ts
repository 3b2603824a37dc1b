import type { AgentMessage, ChatMessage, StructuredMessage } from "./types.ts";
import type { UserMessage } from "../models/types.ts";

/** Render a StructuredMessage through its `format` template, or as JSON. */
function structuredToText(message: StructuredMessage): string {
  const content = message.content;
  if (message.format && content && typeof content === "object") {
    return message.format.replace(/\{(\w+)\}/g, (whole, key: string) =>
      key in (content as Record<string, unknown>) ? String((content as Record<string, unknown>)[key]) : whole,
    );
  }
  return typeof content === "string" ? content : JSON.stringify(content);
}

/** A message as plain text, for terminals, termination checks and selector prompts. */
export function messageToText(message: AgentMessage): string {
  switch (message.type) {
    case "TextMessage":
    case "StopMessage":
    case "HandoffMessage":
    case "ToolCallSummaryMessage":
    case "ModelClientStreamingChunkEvent":
    case "ThoughtEvent":
    case "UserInputRequestedEvent":
    case "CodeGenerationEvent":
    case "CodeExecutionEvent":
      return message.content;
    case "MultiModalMessage":
      return message.content.map((part) => (typeof part === "string" ? part : "<image>")).join("\n");
    case "StructuredMessage":
      return structuredToText(message);
    case "ToolCallRequestEvent":
      return message.content.map((call) => `${call.name}(${call.arguments})`).join("\n");
    case "ToolCallExecutionEvent":
      return message.content.map((result) => `${result.name}: ${result.content}`).join("\n");
    case "MemoryQueryEvent":
      return message.content.map((item) => (typeof item.content === "string" ? item.content : JSON.stringify(item.content))).join("\n");
    case "SelectSpeakerEvent":
      return message.content.join(", ");
  }
}

/** A chat message as it enters another agent's model context. */
export function messageToModelMessage(message: ChatMessage): UserMessage {
  if (message.type === "MultiModalMessage") return { type: "UserMessage", content: message.content, source: message.source };
  return { type: "UserMessage", content: messageToText(message), source: message.source };
}
