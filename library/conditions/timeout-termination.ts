import { UserError } from "../errors.ts";
import type { AgentMessage, StopMessage } from "../messages/types.ts";
import { stopMessage, TerminationCondition } from "./termination-condition.ts";

/**
 * Stops at the first check after `timeoutSeconds` have passed. The clock starts at the first
 * check after construction or reset (for a team: when it receives the task), so a condition made
 * in one notebook cell and used minutes later still gives the run its full time. The team checks
 * between turns, so a turn in progress is not interrupted.
 */
export class TimeoutTermination extends TerminationCondition {
  /** Seconds the run may take. */
  readonly timeoutSeconds: number;
  #startedAt?: number;
  #terminated = false;

  constructor(timeoutSeconds: number) {
    super();
    if (typeof timeoutSeconds !== "number" || !(timeoutSeconds > 0))
      throw new UserError(`TimeoutTermination needs a positive number of seconds; got ${timeoutSeconds}.`);
    this.timeoutSeconds = timeoutSeconds;
  }

  get terminated(): boolean {
    return this.#terminated;
  }

  check(_messages: readonly AgentMessage[]): StopMessage | null {
    this.assertNotTerminated();
    const now = performance.now();
    this.#startedAt ??= now;
    if (now - this.#startedAt < this.timeoutSeconds * 1000) return null;
    this.#terminated = true;
    return stopMessage("TimeoutTermination", `Timeout of ${this.timeoutSeconds} seconds reached`);
  }

  reset(): void {
    this.#startedAt = undefined;
    this.#terminated = false;
  }
}
