import { UserError } from "../errors.ts";
import type { AgentMessage, StopMessage } from "../messages/types.ts";
import { stopMessage, TerminationCondition } from "./termination-condition.ts";

/** Stops as soon as one of `sources` (agent names) has spoken. */
export class SourceMatchTermination extends TerminationCondition {
  /** Agent names whose answer ends the run. */
  readonly sources: readonly string[];
  #terminated = false;

  constructor(sources: readonly string[]) {
    super();
    if (!Array.isArray(sources) || sources.length === 0 || sources.some((source) => typeof source !== "string"))
      throw new UserError('SourceMatchTermination needs a list of agent names, for example new SourceMatchTermination(["critic"]).');
    this.sources = [...sources];
  }

  get terminated(): boolean {
    return this.#terminated;
  }

  check(messages: readonly AgentMessage[]): StopMessage | null {
    this.assertNotTerminated();
    const match = messages.find((message) => this.sources.includes(message.source));
    if (!match) return null;
    this.#terminated = true;
    return stopMessage("SourceMatchTermination", `'${match.source}' answered`);
  }

  reset(): void {
    this.#terminated = false;
  }
}
