import type { AgentMessage, StopMessage } from "../messages/types.ts";
import { stopMessage, TerminationCondition } from "./termination-condition.ts";

/**
 * Stops when your code calls `set()` (a Stop button, a signal handler). The team stops after
 * the turn in progress, so it stays consistent and can be run again; cancel the run's
 * CancellationToken instead to stop at once.
 */
export class ExternalTermination extends TerminationCondition {
  #requested = false;
  #terminated = false;

  /** Ask the team to stop after the current turn. */
  set(): void {
    this.#requested = true;
  }

  get terminated(): boolean {
    return this.#terminated;
  }

  check(_messages: readonly AgentMessage[]): StopMessage | null {
    this.assertNotTerminated();
    if (!this.#requested) return null;
    this.#terminated = true;
    return stopMessage("ExternalTermination", "External termination requested");
  }

  reset(): void {
    this.#requested = false;
    this.#terminated = false;
  }
}
