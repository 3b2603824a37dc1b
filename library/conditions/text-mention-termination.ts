import { UserError } from "../errors.ts";
import { messageToText } from "../messages/convert.ts";
import type { AgentMessage, StopMessage } from "../messages/types.ts";
import { stopMessage, TerminationCondition } from "./termination-condition.ts";

/** Options of TextMentionTermination. */
export interface TextMentionTerminationOptions {
  /** Only messages from these agents count; every source by default. */
  sources?: readonly string[];
}

/** Stops when a message contains `text` (for example "TERMINATE"). */
export class TextMentionTermination extends TerminationCondition {
  /** The text to look for. */
  readonly text: string;
  /** Sources whose messages are searched; undefined means all. */
  readonly sources?: readonly string[];
  #terminated = false;

  constructor(text: string, options: TextMentionTerminationOptions = {}) {
    super();
    if (typeof text !== "string" || text.length === 0)
      throw new UserError('TextMentionTermination needs the text to look for, for example new TextMentionTermination("TERMINATE").');
    this.text = text;
    this.sources = options.sources;
  }

  get terminated(): boolean {
    return this.#terminated;
  }

  check(messages: readonly AgentMessage[]): StopMessage | null {
    this.assertNotTerminated();
    for (const message of messages) {
      if (this.sources && !this.sources.includes(message.source)) continue;
      if (!messageToText(message).includes(this.text)) continue;
      this.#terminated = true;
      return stopMessage("TextMentionTermination", `Text '${this.text}' mentioned`);
    }
    return null;
  }

  reset(): void {
    this.#terminated = false;
  }
}
