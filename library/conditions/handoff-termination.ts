import { UserError } from "../errors.ts";
import type { AgentMessage, StopMessage } from "../messages/types.ts";
import { stopMessage, TerminationCondition } from "./termination-condition.ts";

/** Stops when an agent hands off to `target` (for example "user", to wait for a human). */
export class HandoffTermination extends TerminationCondition {
  /** The hand-off target that ends the run. */
  readonly target: string;
  #terminated = false;

  constructor(target: string) {
    super();
    if (typeof target !== "string" || target.length === 0)
      throw new UserError('HandoffTermination needs the target name, for example new HandoffTermination("user").');
    this.target = target;
  }

  get terminated(): boolean {
    return this.#terminated;
  }

  check(messages: readonly AgentMessage[]): StopMessage | null {
    this.assertNotTerminated();
    const handoff = messages.find((message) => message.type === "HandoffMessage" && message.target === this.target);
    if (!handoff) return null;
    this.#terminated = true;
    return stopMessage("HandoffTermination", `Handoff to ${this.target} from ${handoff.source} detected.`);
  }

  reset(): void {
    this.#terminated = false;
  }
}
