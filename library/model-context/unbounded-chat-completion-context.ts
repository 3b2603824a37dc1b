import type { LLMMessage } from "../models/types.ts";
import { BaseChatCompletionContext } from "./chat-completion-context.ts";

/** Shows the model every message. The default of AssistantAgent. */
export class UnboundedChatCompletionContext extends BaseChatCompletionContext {
  async getMessages(): Promise<LLMMessage[]> {
    return [...this.messages];
  }
}
