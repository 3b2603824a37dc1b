import { UserError } from "../errors.ts";
import { messageToText } from "../messages/convert.ts";
import type { AgentMessage, Response, TaskResult } from "../messages/types.ts";
import type { RequestUsage } from "../models/types.ts";

/** Options of Console. */
export interface ConsoleOptions {
  /** Print token usage after each message that has it, and a summary at the end (default false). */
  outputStats?: boolean;
  /** Where the text goes (default: process.stdout). Tests and notebooks pass their own. */
  write?: (text: string) => void;
}

const rule = (title: string) => `${"-".repeat(10)} ${title} ${"-".repeat(10)}\n`;

/** A message's body as a terminal shows it. */
function render(message: AgentMessage): string {
  switch (message.type) {
    case "ToolCallRequestEvent":
      return message.content.map((call) => `${call.name}(${call.arguments})`).join("\n");
    case "ToolCallExecutionEvent":
      return message.content.map((result) => `${result.name} -> ${result.isError ? "error: " : ""}${result.content}`).join("\n");
    case "HandoffMessage":
      return `${message.content}\n[handoff to ${message.target}]`;
    case "CodeExecutionEvent":
      return `${message.result.output}${message.result.output.endsWith("\n") ? "" : "\n"}[exit code ${message.result.exitCode}]`;
    default:
      return messageToText(message);
  }
}

function isResponse(item: unknown): item is Response {
  return typeof item === "object" && item !== null && "chatMessage" in item && !("type" in item);
}

/**
 * Print a run for a terminal as it happens, and return its TaskResult (or, for an agent's
 * `onMessagesStream`, its Response). Each message gets a `---------- TextMessage (assistant)
 * ----------` header; tool calls show their arguments and results; streamed text is printed as
 * it arrives and not again when the full message follows.
 *
 * ```ts
 * const result = await Console(team.runStream({ task: "Plan a trip to Rome." }), { outputStats: true });
 * ```
 */
export async function Console<T extends TaskResult | Response>(
  stream: AsyncIterable<AgentMessage | T>,
  options: ConsoleOptions = {},
): Promise<T> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const stats = options.outputStats ?? false;
  const started = performance.now();
  const total: RequestUsage = { promptTokens: 0, completionTokens: 0 };
  let last: T | undefined;
  /** The message being streamed: who streams it, what came so far, and which message it becomes. */
  let streaming: { source: string; text: string; fullMessageId?: string } | undefined;

  const usageLine = (message: AgentMessage) => {
    if (!message.modelsUsage) return;
    total.promptTokens += message.modelsUsage.promptTokens;
    total.completionTokens += message.modelsUsage.completionTokens;
    if (stats) write(`[Prompt tokens: ${message.modelsUsage.promptTokens}, Completion tokens: ${message.modelsUsage.completionTokens}]\n`);
  };

  const show = (message: AgentMessage) => {
    if (message.type === "ModelClientStreamingChunkEvent") {
      if (!streaming || streaming.source !== message.source || streaming.fullMessageId !== message.fullMessageId) {
        if (streaming) write("\n");
        write(rule(`${message.type} (${message.source})`));
        streaming = { source: message.source, text: "", fullMessageId: message.fullMessageId };
      }
      streaming.text += message.content;
      write(message.content);
      return;
    }
    if (message.type === "UserInputRequestedEvent") return; // the input prompt itself says it
    if (streaming) {
      const completes =
        streaming.fullMessageId !== undefined
          ? streaming.fullMessageId === message.id
          : streaming.source === message.source && messageToText(message) === streaming.text;
      write("\n");
      streaming = undefined;
      if (completes) {
        usageLine(message);
        return;
      }
    }
    write(rule(`${message.type} (${message.source})`));
    write(`${render(message)}\n`);
    usageLine(message);
  };

  const summary = (head: string) =>
    write(
      rule("Summary") +
        head +
        `Total prompt tokens: ${total.promptTokens}\n` +
        `Total completion tokens: ${total.completionTokens}\n` +
        `Duration: ${((performance.now() - started) / 1000).toFixed(2)} seconds\n`,
    );

  for await (const item of stream) {
    if (isResponse(item)) {
      show(item.chatMessage);
      last = item as T;
      if (stats) summary(`Number of inner messages: ${item.innerMessages?.length ?? 0}\n`);
    } else if (item.type === "TaskResult") {
      if (streaming) write("\n");
      streaming = undefined;
      last = item as T;
      if (stats) summary(`Number of messages: ${item.messages.length}\nFinish reason: ${item.stopReason ?? "none"}\n`);
    } else {
      show(item);
    }
  }
  if (!last) throw new UserError("Console's stream ended without a TaskResult or Response; pass it team.runStream(...) or agent.runStream(...).");
  return last;
}
