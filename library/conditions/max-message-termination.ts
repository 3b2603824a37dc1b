import { UserError } from "../errors.ts";
import { isChatMessage } from "../messages/create.ts";
import type { AgentMessage, StopMessage } from "../messages/types.ts";
import { stopMessage, TerminationCondition } from "./termination-condition.ts";

/** Options of MaxMessageTermination. */
export interface MaxMessageTerminationOptions {
  /** Count events (tool calls, thoughts...) too, not only chat messages (default false). */
  includeAgentEvent?: boolean;
}

/** Stops after `maxMessages` messages, the task included. */
export class MaxMessageTermination extends TerminationCondition {
  /** How many messages end the run. */
  readonly maxMessages: number;
  /** Whether events count. */
  readonly includeAgentEvent: boolean;
  #count = 0;

  constructor(maxMessages: number, options: MaxMessageTerminationOptions = {}) {
    super();
    if (!Number.isInteger(maxMessages) || maxMessages < 1)
      throw new UserError(`MaxMessageTermination needs a whole number of messages of at least 1; got ${maxMessages}.`);
    this.maxMessages = maxMessages;
    this.includeAgentEvent = options.includeAgentEvent ?? false;
  }

  /** Messages counted so far. */
  get messageCount(): number {
    return this.#count;
  }

  get terminated(): boolean {
    return this.#count >= this.maxMessages;
  }

  check(messages: readonly AgentMessage[]): StopMessage | null {
    this.assertNotTerminated();
    this.#count += messages.filter((message) => this.includeAgentEvent || isChatMessage(message)).length;
    if (this.#count < this.maxMessages) return null;
    return stopMessage(
      "MaxMessageTermination",
      `Maximum number of messages ${this.maxMessages} reached, current message count: ${this.#count}`,
    );
  }

  reset(): void {
    this.#count = 0;
  }
}
