import type { CancellationToken } from "../core/cancellation-token.ts";
import { UserError } from "../errors.ts";
import type { AgentMessage } from "../messages/types.ts";
import { BaseGroupChat } from "./base-group-chat.ts";
import type { BaseGroupChatOptions } from "./base-group-chat.ts";
import { BaseGroupChatManager } from "./base-group-chat-manager.ts";
import type { GroupChatManagerConfig } from "./base-group-chat-manager.ts";
import type { GroupChatManagerState } from "./team-state.ts";

/** Saved state of a round-robin manager: the base state and whose turn is next. */
export interface RoundRobinManagerState extends GroupChatManagerState {
  type: "RoundRobinManagerState";
  /** Index into the participants of the next speaker. */
  nextSpeakerIndex: number;
}

/** Picks the participants in order, starting over after the last one. */
export class RoundRobinGroupChatManager extends BaseGroupChatManager {
  #nextSpeakerIndex = 0;

  selectSpeaker(_thread: readonly AgentMessage[], _cancellationToken?: CancellationToken): string {
    const speaker = this.participantNames[this.#nextSpeakerIndex]!;
    this.#nextSpeakerIndex = (this.#nextSpeakerIndex + 1) % this.participantNames.length;
    return speaker;
  }

  override async reset(): Promise<void> {
    await super.reset();
    this.#nextSpeakerIndex = 0;
  }

  override async saveState(): Promise<RoundRobinManagerState> {
    return { ...(await super.saveState()), type: "RoundRobinManagerState", nextSpeakerIndex: this.#nextSpeakerIndex };
  }

  override async loadState(state: Record<string, unknown>): Promise<void> {
    const index = (state as Partial<RoundRobinManagerState>).nextSpeakerIndex;
    if (!Number.isInteger(index) || index! < 0 || index! >= this.participantNames.length)
      throw new UserError(
        `The saved round-robin state has nextSpeakerIndex ${String(index)}, which does not fit ${this.participantNames.length} participants; load it into a team with the same participants.`,
      );
    await super.loadState(state);
    this.#nextSpeakerIndex = index!;
  }
}

/** Options of RoundRobinGroupChat. */
export type RoundRobinGroupChatOptions = BaseGroupChatOptions;

/**
 * A team whose participants speak in turn, in the order given, each hearing everything the
 * others said. The simplest team, and the right one when the order of work is fixed.
 *
 * ```ts
 * const team = new RoundRobinGroupChat({
 *   participants: [writer, critic],
 *   terminationCondition: new TextMentionTermination("APPROVE").or(new MaxMessageTermination(10)),
 * });
 * await Console(team.runStream({ task: "Write a haiku about the sea." }));
 * ```
 */
export class RoundRobinGroupChat extends BaseGroupChat {
  constructor(options: RoundRobinGroupChatOptions) {
    super(options, "RoundRobinGroupChatManager");
  }

  protected createGroupChatManager(config: GroupChatManagerConfig): RoundRobinGroupChatManager {
    return new RoundRobinGroupChatManager(config);
  }
}
