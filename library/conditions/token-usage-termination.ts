import { UserError } from "../errors.ts";
import type { AgentMessage, StopMessage } from "../messages/types.ts";
import { stopMessage, TerminationCondition } from "./termination-condition.ts";

/** Limits of TokenUsageTermination; give at least one. */
export interface TokenUsageTerminationOptions {
  /** Stop once prompt plus completion tokens reach this. */
  maxTotalToken?: number;
  /** Stop once prompt tokens reach this. */
  maxPromptToken?: number;
  /** Stop once completion tokens reach this. */
  maxCompletionToken?: number;
}

/** Stops when the tokens the agents' models used (each message's `modelsUsage`) reach a limit. */
export class TokenUsageTermination extends TerminationCondition {
  /** The limits. */
  readonly limits: Readonly<TokenUsageTerminationOptions>;
  #prompt = 0;
  #completion = 0;

  constructor(options: TokenUsageTerminationOptions) {
    super();
    const { maxTotalToken, maxPromptToken, maxCompletionToken } = options ?? {};
    if (maxTotalToken === undefined && maxPromptToken === undefined && maxCompletionToken === undefined)
      throw new UserError("TokenUsageTermination needs at least one of maxTotalToken, maxPromptToken or maxCompletionToken.");
    this.limits = { maxTotalToken, maxPromptToken, maxCompletionToken };
  }

  /** Tokens counted so far. */
  get usage(): { promptTokens: number; completionTokens: number; totalTokens: number } {
    return { promptTokens: this.#prompt, completionTokens: this.#completion, totalTokens: this.#prompt + this.#completion };
  }

  get terminated(): boolean {
    const { maxTotalToken, maxPromptToken, maxCompletionToken } = this.limits;
    return (
      (maxTotalToken !== undefined && this.#prompt + this.#completion >= maxTotalToken) ||
      (maxPromptToken !== undefined && this.#prompt >= maxPromptToken) ||
      (maxCompletionToken !== undefined && this.#completion >= maxCompletionToken)
    );
  }

  check(messages: readonly AgentMessage[]): StopMessage | null {
    this.assertNotTerminated();
    for (const message of messages) {
      if (!message.modelsUsage) continue;
      this.#prompt += message.modelsUsage.promptTokens;
      this.#completion += message.modelsUsage.completionTokens;
    }
    if (!this.terminated) return null;
    return stopMessage(
      "TokenUsageTermination",
      `Token usage limit reached, total token count: ${this.#prompt + this.#completion}, prompt token count: ${this.#prompt}, completion token count: ${this.#completion}.`,
    );
  }

  reset(): void {
    this.#prompt = 0;
    this.#completion = 0;
  }
}
