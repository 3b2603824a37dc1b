import type { ChatCompletionContext } from "../model-context/chat-completion-context.ts";
import type { LLMMessage } from "../models/types.ts";
import type { Memory, MemoryQueryResult, UpdateContextResult } from "./memory.ts";
import { memoryContentToText } from "./memory.ts";

/** The text of a model message, for use as a query (images and tool calls left out). */
export function llmMessageText(message: LLMMessage): string {
  switch (message.type) {
    case "SystemMessage":
      return message.content;
    case "UserMessage":
      return typeof message.content === "string"
        ? message.content
        : message.content.filter((part): part is string => typeof part === "string").join("\n");
    case "AssistantMessage":
      return typeof message.content === "string" ? message.content : "";
    case "FunctionExecutionResultMessage":
      return message.content.map((result) => result.content).join("\n");
  }
}

/** The text of the last message with text in `modelContext` ("" when there is none). */
export async function lastMessageText(modelContext: ChatCompletionContext): Promise<string> {
  const messages = await modelContext.getMessages();
  for (let i = messages.length - 1; i >= 0; i--) {
    const text = llmMessageText(messages[i]!).trim();
    if (text) return text;
  }
  return "";
}

/** Add `memories` to `modelContext` as one numbered SystemMessage (nothing when there are none). */
export async function addMemoriesToContext(modelContext: ChatCompletionContext, memories: MemoryQueryResult): Promise<void> {
  if (memories.results.length === 0) return;
  const lines = memories.results.map((item, index) => `${index + 1}. ${memoryContentToText(item)}`);
  await modelContext.addMessage({ type: "SystemMessage", content: `\nRelevant memory content:\n${lines.join("\n")}\n` });
}

/**
 * What a searching memory does in `updateContext`: query with the last message's text (with the
 * memory's own `k` and threshold), add the hits to the context, and report them.
 */
export async function updateContextByQuery(memory: Memory, modelContext: ChatCompletionContext): Promise<UpdateContextResult> {
  const query = await lastMessageText(modelContext);
  if (!query) return { memories: { results: [] } };
  const memories = await memory.query(query);
  await addMemoriesToContext(modelContext, memories);
  return { memories: { results: [...memories.results] } };
}
