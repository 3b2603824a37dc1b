import type { LLMMessage } from "../models/types.ts";

/**
 * Drop FunctionExecutionResultMessages at the start of a window: their tool calls were cut
 * off, and providers reject results that follow no call.
 */
export function withoutLeadingToolResults(messages: LLMMessage[]): LLMMessage[] {
  let start = 0;
  while (start < messages.length && messages[start]!.type === "FunctionExecutionResultMessage") start++;
  return start === 0 ? messages : messages.slice(start);
}

/** Drop an AssistantMessage with tool calls at the end of a window whose results were cut off. */
export function withoutTrailingToolCalls(messages: LLMMessage[]): LLMMessage[] {
  const last = messages.at(-1);
  if (last?.type === "AssistantMessage" && Array.isArray(last.content)) return messages.slice(0, -1);
  return messages;
}
