import type { LLMMessage, ToolLike, ToolSchema } from "./types.ts";
import { toolSchemaOf } from "./types.ts";

/**
 * A provider-free token estimate (about four characters a token, as OpenAI's guidance says).
 * Used where no tokenizer is at hand: the replay model's usage and context-size checks.
 */
export function estimateTextTokens(text: string): number {
  if (!text) return 0;
  return Math.max(1, Math.ceil(text.length / 4));
}

/** Estimated prompt tokens of a context and the tools sent with it. */
export function estimateMessageTokens(messages: readonly LLMMessage[], tools: ReadonlyArray<ToolLike | ToolSchema> = []): number {
  let total = 0;
  for (const message of messages) {
    total += 4; // role and framing, as chat formats add per message
    if (typeof message.content === "string") total += estimateTextTokens(message.content);
    else
      for (const part of message.content) {
        if (typeof part === "string") total += estimateTextTokens(part);
        else if ("type" in part && part.type === "image") total += 85;
        else total += estimateTextTokens(JSON.stringify(part));
      }
  }
  for (const tool of tools) total += estimateTextTokens(JSON.stringify(toolSchemaOf(tool)));
  return total;
}
