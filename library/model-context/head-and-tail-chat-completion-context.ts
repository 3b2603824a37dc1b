import { UserError } from "../errors.ts";
import type { LLMMessage } from "../models/types.ts";
import type { ChatCompletionContextOptions } from "./chat-completion-context.ts";
import { BaseChatCompletionContext } from "./chat-completion-context.ts";
import { withoutLeadingToolResults, withoutTrailingToolCalls } from "./tool-call-pairing.ts";

/** Options of HeadAndTailChatCompletionContext. */
export interface HeadAndTailChatCompletionContextOptions extends ChatCompletionContextOptions {
  /** How many of the first messages the model sees (the task, usually). */
  headSize: number;
  /** How many of the most recent messages the model sees. */
  tailSize: number;
}

function checkSize(name: string, value: unknown, min: number): number {
  if (!Number.isInteger(value) || (value as number) < min)
    throw new UserError(`${name} must be a whole number of at least ${min}; got ${String(value)}.`);
  return value as number;
}

/**
 * Shows the model the first `headSize` and the last `tailSize` messages, with a
 * "Skipped N messages." note in between. Tool calls and their results are never split
 * across the gap.
 */
export class HeadAndTailChatCompletionContext extends BaseChatCompletionContext {
  /** How many of the first messages the model sees. */
  readonly headSize: number;
  /** How many of the most recent messages the model sees. */
  readonly tailSize: number;

  constructor(options: HeadAndTailChatCompletionContextOptions) {
    super(options);
    this.headSize = checkSize("headSize", options?.headSize, 0);
    this.tailSize = checkSize("tailSize", options?.tailSize, 1);
  }

  async getMessages(): Promise<LLMMessage[]> {
    if (this.messages.length <= this.headSize + this.tailSize) return [...this.messages];
    const head = withoutTrailingToolCalls(this.messages.slice(0, this.headSize));
    const tail = withoutLeadingToolResults(this.messages.slice(-this.tailSize));
    const skipped = this.messages.length - head.length - tail.length;
    return [...head, { type: "UserMessage", content: `Skipped ${skipped} messages.`, source: "System" }, ...tail];
  }
}
