import type { AgentMessage, StopMessage } from "../messages/types.ts";
import { stopMessage, TerminationCondition } from "./termination-condition.ts";

/** Stops when an agent answers with a StopMessage. */
export class StopMessageTermination extends TerminationCondition {
  #terminated = false;

  get terminated(): boolean {
    return this.#terminated;
  }

  check(messages: readonly AgentMessage[]): StopMessage | null {
    this.assertNotTerminated();
    if (!messages.some((message) => message.type === "StopMessage")) return null;
    this.#terminated = true;
    return stopMessage("StopMessageTermination", "Stop message received");
  }

  reset(): void {
    this.#terminated = false;
  }
}
