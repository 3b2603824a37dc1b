import { z } from "zod";
import { BufferedChatCompletionContext } from "../model-context/buffered-chat-completion-context.ts";
import { HeadAndTailChatCompletionContext } from "../model-context/head-and-tail-chat-completion-context.ts";
import { UnboundedChatCompletionContext } from "../model-context/unbounded-chat-completion-context.ts";
import type { BaseChatCompletionContext } from "../model-context/chat-completion-context.ts";
import type { LLMMessage } from "../models/types.ts";
import { defineComponent } from "./component-definition.ts";
import { llmMessageSchema } from "./config-schemas.ts";

const initialMessagesShape = { initialMessages: z.array(llmMessageSchema).optional() };

/** The initial messages, when there are any (the conversation itself is state, not config). */
function initialMessagesOf(context: BaseChatCompletionContext): { initialMessages?: LLMMessage[] } {
  const initialMessages = context.initialMessages;
  return initialMessages.length > 0 ? { initialMessages } : {};
}

export const unboundedChatCompletionContextComponent = defineComponent({
  provider: "agentbook.UnboundedChatCompletionContext",
  componentType: "chat_completion_context",
  componentVersion: 1,
  label: "UnboundedChatCompletionContext",
  description: "Shows the model every message.",
  classes: [UnboundedChatCompletionContext],
  configSchema: z.strictObject(initialMessagesShape),
  dump: (context: UnboundedChatCompletionContext) => initialMessagesOf(context),
  load: (config) => new UnboundedChatCompletionContext({ initialMessages: config.initialMessages as LLMMessage[] | undefined }),
});

export const bufferedChatCompletionContextComponent = defineComponent({
  provider: "agentbook.BufferedChatCompletionContext",
  componentType: "chat_completion_context",
  componentVersion: 1,
  label: "BufferedChatCompletionContext",
  description: "Shows the model only the most recent messages.",
  classes: [BufferedChatCompletionContext],
  configSchema: z.strictObject({ bufferSize: z.number().int().min(1), ...initialMessagesShape }),
  dump: (context: BufferedChatCompletionContext) => ({ bufferSize: context.bufferSize, ...initialMessagesOf(context) }),
  load: (config) =>
    new BufferedChatCompletionContext({ bufferSize: config.bufferSize, initialMessages: config.initialMessages as LLMMessage[] | undefined }),
});

export const headAndTailChatCompletionContextComponent = defineComponent({
  provider: "agentbook.HeadAndTailChatCompletionContext",
  componentType: "chat_completion_context",
  componentVersion: 1,
  label: "HeadAndTailChatCompletionContext",
  description: "Shows the model the first and the most recent messages.",
  classes: [HeadAndTailChatCompletionContext],
  configSchema: z.strictObject({ headSize: z.number().int().min(0), tailSize: z.number().int().min(1), ...initialMessagesShape }),
  dump: (context: HeadAndTailChatCompletionContext) => ({
    headSize: context.headSize,
    tailSize: context.tailSize,
    ...initialMessagesOf(context),
  }),
  load: (config) =>
    new HeadAndTailChatCompletionContext({
      headSize: config.headSize,
      tailSize: config.tailSize,
      initialMessages: config.initialMessages as LLMMessage[] | undefined,
    }),
});

/** The model contexts agentbook can dump and load. */
export const modelContextComponents = [
  unboundedChatCompletionContextComponent,
  bufferedChatCompletionContextComponent,
  headAndTailChatCompletionContextComponent,
];
