/**
 * The plain-text rendering of a transcript: what terminals, `text/plain` readers and logs see.
 * Also the shared vocabulary (roles, timing labels) of the HTML rendering.
 */
import { messageToText } from "../messages/convert.ts";
import type { AgentMessage } from "../messages/types.ts";
import type { TranscriptEntry, TranscriptPayload } from "./payloads.ts";

/** Who speaks, in chat terms: the human, an agent, a tool, or the team itself. */
export function messageRole(message: AgentMessage): "user" | "assistant" | "tool" | "system" {
  if (message.source === "user") return "user";
  switch (message.type) {
    case "ToolCallRequestEvent":
    case "ToolCallExecutionEvent":
    case "CodeExecutionEvent":
      return "tool";
    case "SelectSpeakerEvent":
      return "system";
    default:
      return "assistant";
  }
}

/** "1.2 s" or "340 ms". */
export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** "+1.2 s, 12 prompt / 30 completion tokens" for an entry. */
export function entryStats(entry: TranscriptEntry): string {
  const parts = [`+${formatDuration(entry.elapsedMs)}`];
  const usage = entry.message.modelsUsage;
  if (usage) parts.push(`${usage.promptTokens} prompt / ${usage.completionTokens} completion tokens`);
  return parts.join(", ");
}

/** The body of one message as text: content, tool calls with arguments, results, hand-offs. */
export function messageBodyText(message: AgentMessage): string {
  switch (message.type) {
    case "ToolCallRequestEvent":
      return message.content.map((call) => `-> ${call.name}(${call.arguments})`).join("\n");
    case "ToolCallExecutionEvent":
      return message.content.map((result) => `<- ${result.name}${result.isError ? " (error)" : ""}: ${result.content}`).join("\n");
    case "HandoffMessage":
      return `${message.content}\n[hand-off to ${message.target}]`;
    case "SelectSpeakerEvent":
      return `next speaker: ${message.content.join(", ")}`;
    default:
      return messageToText(message);
  }
}

/** The whole transcript as text, in the style of the terminal Console. */
export function transcriptToText(payload: TranscriptPayload): string {
  const lines: string[] = [];
  if (payload.title) lines.push(`== ${payload.title} ==`);
  for (const entry of payload.entries) {
    const message = entry.message;
    lines.push(`---------- ${message.type} (${message.source}) ---------- [${messageRole(message)}; ${entryStats(entry)}]`);
    lines.push(messageBodyText(message));
  }
  if (payload.streaming) {
    lines.push(`---------- streaming (${payload.streaming.source}) ----------`);
    lines.push(payload.streaming.text);
  }
  const summary = [`${payload.entries.length} messages`, `${payload.usage.promptTokens} prompt / ${payload.usage.completionTokens} completion tokens`];
  if (payload.durationMs !== undefined) summary.push(formatDuration(payload.durationMs));
  lines.push(`---------- ${payload.status} ---------- ${summary.join(", ")}`);
  if (payload.stopReason) lines.push(`Stop reason: ${payload.stopReason}`);
  if (payload.error) lines.push(`Error: ${payload.error}`);
  return lines.join("\n");
}
