import type { CancellationToken } from "../core/cancellation-token.ts";
import { UserError } from "../errors.ts";
import type { AgentMessage, ChatMessage, HandoffMessage } from "../messages/types.ts";
import { BaseGroupChat } from "./base-group-chat.ts";
import type { BaseGroupChatOptions } from "./base-group-chat.ts";
import { BaseGroupChatManager } from "./base-group-chat-manager.ts";
import type { GroupChatManagerConfig } from "./base-group-chat-manager.ts";
import type { GroupChatManagerState } from "./team-state.ts";

/** Saved state of a swarm manager: the base state and who holds the conversation. */
export interface SwarmManagerState extends GroupChatManagerState {
  type: "SwarmManagerState";
  /** The participant the conversation was last handed to. */
  currentSpeaker: string;
}

function lastHandoff(messages: readonly AgentMessage[]): HandoffMessage | undefined {
  return messages.findLast((message): message is HandoffMessage => message.type === "HandoffMessage");
}

/** Gives the turn to whoever the last HandoffMessage named; the first participant starts. */
export class SwarmGroupChatManager extends BaseGroupChatManager {
  #currentSpeaker: string;

  constructor(config: GroupChatManagerConfig) {
    super(config);
    this.#currentSpeaker = this.participantNames[0]!;
  }

  /** A run may only start when the conversation is in a participant's hands. */
  override async validateGroupState(messages: ChatMessage[] | null): Promise<void> {
    const fromTask = lastHandoff(messages ?? []);
    if (fromTask) {
      if (!this.participantNames.includes(fromTask.target))
        throw new UserError(
          `The task hands off to "${fromTask.target}", who is not in this Swarm (${this.participantNames.join(", ")}); address the HandoffMessage to one of them.`,
        );
      return;
    }
    const pending = lastHandoff(this.messageThread);
    if (pending && !this.participantNames.includes(pending.target))
      throw new UserError(
        `The conversation was handed off to "${pending.target}", who is not in this Swarm (${this.participantNames.join(", ")}). ` +
          `To answer, run the team with a HandoffMessage from "${pending.target}" to a participant as the task, for example ` +
          `createMessage("HandoffMessage", { source: "${pending.target}", target: "${pending.source}", content: "...", context: [] }).`,
      );
  }

  selectSpeaker(thread: readonly AgentMessage[], _cancellationToken?: CancellationToken): string {
    const handoff = lastHandoff(thread);
    if (handoff) {
      if (!this.participantNames.includes(handoff.target))
        throw new UserError(
          `"${handoff.source}" handed off to "${handoff.target}", who is not in this Swarm (${this.participantNames.join(", ")}). ` +
            `Add an agent named "${handoff.target}", or stop on it with new HandoffTermination("${handoff.target}") to hand control to a human.`,
        );
      this.#currentSpeaker = handoff.target;
    }
    return this.#currentSpeaker;
  }

  override async reset(): Promise<void> {
    await super.reset();
    this.#currentSpeaker = this.participantNames[0]!;
  }

  override async saveState(): Promise<SwarmManagerState> {
    return { ...(await super.saveState()), type: "SwarmManagerState", currentSpeaker: this.#currentSpeaker };
  }

  override async loadState(state: Record<string, unknown>): Promise<void> {
    const current = (state as Partial<SwarmManagerState>).currentSpeaker;
    if (typeof current !== "string" || !this.participantNames.includes(current))
      throw new UserError(
        `The saved swarm state names "${String(current)}" as the current speaker, who is not a participant; load it into a Swarm with the same participants.`,
      );
    await super.loadState(state);
    this.#currentSpeaker = current;
  }
}

/** Options of Swarm. */
export type SwarmOptions = BaseGroupChatOptions;

/**
 * A team driven by hand-offs: the first participant starts, and whoever a HandoffMessage names
 * speaks next (and keeps speaking until it hands off in turn). Agents hand off by calling the
 * `transfer_to_<name>` tools their `handoffs` option gives them. A hand-off to someone outside
 * the team is an error, unless a HandoffTermination stops the run there: that is how control
 * goes to a human, who answers by running the team again with a HandoffMessage as the task.
 *
 * ```ts
 * const alice = new AssistantAgent({ name: "alice", modelClient, handoffs: ["bob", "user"] });
 * const bob = new AssistantAgent({ name: "bob", modelClient, handoffs: ["alice"] });
 * const team = new Swarm({
 *   participants: [alice, bob],
 *   terminationCondition: new HandoffTermination("user").or(new TextMentionTermination("TERMINATE")),
 * });
 * const first = await team.run({ task: "What is Bob's birthday?" }); // stops: handed to user
 * await team.run({ task: createMessage("HandoffMessage", { source: "user", target: "alice", content: "It is in June.", context: [] }) });
 * ```
 */
export class Swarm extends BaseGroupChat {
  constructor(options: SwarmOptions) {
    super(options, "SwarmGroupChatManager");
    const first = this.participants[0]!;
    if (!first.producedMessageTypes.includes("HandoffMessage"))
      throw new UserError(
        `The first participant of a Swarm ("${first.name}") starts the conversation and must be able to hand off; give it handoffs (an AssistantAgent with handoffs: [...]).`,
      );
  }

  protected createGroupChatManager(config: GroupChatManagerConfig): SwarmGroupChatManager {
    return new SwarmGroupChatManager(config);
  }
}
