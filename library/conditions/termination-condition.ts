import { UserError } from "../errors.ts";
import { createMessage } from "../messages/create.ts";
import type { AgentMessage, StopMessage } from "../messages/types.ts";

/** What `check` returns: the StopMessage saying why to stop, or null to go on. Custom conditions may be async. */
export type TerminationCheck = StopMessage | null | Promise<StopMessage | null>;

/** The StopMessage a condition returns; its `content` is the stop reason a run reports. */
export function stopMessage(source: string, content: string): StopMessage {
  return createMessage("StopMessage", { source, content });
}

/**
 * Decides when a team stops. The team calls `check` with the messages and events of each turn
 * (the task first); a condition keeps what it needs to know between calls. Once it returned a
 * StopMessage it is `terminated` and must be `reset()` before it is checked again; teams reset
 * their condition after every stop, so running the team again starts counting afresh.
 *
 * Write your own by extending it:
 *
 * ```ts
 * class QuestionTermination extends TerminationCondition {
 *   #done = false;
 *   get terminated() { return this.#done; }
 *   check(messages: AgentMessage[]) {
 *     this.assertNotTerminated();
 *     const asked = messages.find((m) => m.type === "TextMessage" && m.content.endsWith("?"));
 *     if (!asked) return null;
 *     this.#done = true;
 *     return stopMessage("QuestionTermination", `${asked.source} asked a question`);
 *   }
 *   reset() { this.#done = false; }
 * }
 * ```
 */
export abstract class TerminationCondition {
  /** True once the condition fired, until `reset()`. */
  abstract get terminated(): boolean;

  /** Look at the new messages of a turn; return a StopMessage to stop the team, or null. */
  abstract check(messages: readonly AgentMessage[]): TerminationCheck;

  /** Forget everything seen so far, as a new condition would. */
  abstract reset(): void | Promise<void>;

  /** Stop when this condition or `other` fires. */
  or(other: TerminationCondition): OrTerminationCondition {
    return new OrTerminationCondition(this, other);
  }

  /** Stop when this condition and `other` have both fired (not necessarily in the same turn). */
  and(other: TerminationCondition): AndTerminationCondition {
    return new AndTerminationCondition(this, other);
  }

  /** Throws when checked after firing without a reset. */
  protected assertNotTerminated(): void {
    if (this.terminated)
      throw new UserError(`${this.constructor.name} has already fired; call reset() before checking it again.`);
  }
}

function joinStops(stops: StopMessage[]): StopMessage {
  return stopMessage(stops.map((stop) => stop.source).join(", "), stops.map((stop) => stop.content).join(", "));
}

/** Fires when any of its conditions fires; the reasons of all that fired are joined with ", ". */
export class OrTerminationCondition extends TerminationCondition {
  /** The combined conditions. */
  readonly conditions: readonly TerminationCondition[];

  constructor(...conditions: TerminationCondition[]) {
    super();
    this.conditions = conditions;
  }

  get terminated(): boolean {
    return this.conditions.some((condition) => condition.terminated);
  }

  async check(messages: readonly AgentMessage[]): Promise<StopMessage | null> {
    this.assertNotTerminated();
    const results = await Promise.all(this.conditions.map((condition) => condition.check(messages)));
    const stops = results.filter((result): result is StopMessage => result !== null);
    return stops.length > 0 ? joinStops(stops) : null;
  }

  async reset(): Promise<void> {
    for (const condition of this.conditions) await condition.reset();
  }
}

/** Fires once all of its conditions have fired; the reasons are joined with ", ". */
export class AndTerminationCondition extends TerminationCondition {
  /** The combined conditions. */
  readonly conditions: readonly TerminationCondition[];
  #stops: StopMessage[] = [];

  constructor(...conditions: TerminationCondition[]) {
    super();
    this.conditions = conditions;
  }

  get terminated(): boolean {
    return this.conditions.every((condition) => condition.terminated);
  }

  async check(messages: readonly AgentMessage[]): Promise<StopMessage | null> {
    this.assertNotTerminated();
    const pending = this.conditions.filter((condition) => !condition.terminated);
    const results = await Promise.all(pending.map((condition) => condition.check(messages)));
    for (const result of results) if (result) this.#stops.push(result);
    return results.every((result) => result !== null) ? joinStops(this.#stops) : null;
  }

  async reset(): Promise<void> {
    for (const condition of this.conditions) await condition.reset();
    this.#stops = [];
  }
}
