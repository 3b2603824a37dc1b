import { UserError } from "../errors.ts";
import type { LLMMessage } from "../models/types.ts";
import type { ChatCompletionContextOptions } from "./chat-completion-context.ts";
import { BaseChatCompletionContext } from "./chat-completion-context.ts";
import { withoutLeadingToolResults } from "./tool-call-pairing.ts";

/** Options of BufferedChatCompletionContext. */
export interface BufferedChatCompletionContextOptions extends ChatCompletionContextOptions {
  /** How many of the most recent messages the model sees. */
  bufferSize: number;
}

/**
 * Shows the model only the last `bufferSize` messages (fewer when the window would start
 * with tool results whose call fell outside it).
 */
export class BufferedChatCompletionContext extends BaseChatCompletionContext {
  /** How many of the most recent messages the model sees. */
  readonly bufferSize: number;

  constructor(options: BufferedChatCompletionContextOptions) {
    super(options);
    if (!Number.isInteger(options?.bufferSize) || options.bufferSize < 1)
      throw new UserError(`bufferSize must be a whole number of at least 1; got ${String(options?.bufferSize)}.`);
    this.bufferSize = options.bufferSize;
  }

  async getMessages(): Promise<LLMMessage[]> {
    return withoutLeadingToolResults(this.messages.slice(-this.bufferSize));
  }
}
