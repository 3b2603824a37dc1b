import { randomUUID } from "node:crypto";
import type { TerminationCondition } from "../conditions/termination-condition.ts";
import { stopMessage } from "../conditions/termination-condition.ts";
import type { AsyncQueue } from "../core/async-queue.ts";
import type { CancellationToken } from "../core/cancellation-token.ts";
import type { MessageContext } from "../core/message-context.ts";
import { RoutedAgent } from "../core/routed-agent.ts";
import { TopicId } from "../core/topic-id.ts";
import { AgentbookError, CancelledError, UserError } from "../errors.ts";
import { createMessage } from "../messages/create.ts";
import type { AgentMessage, ChatMessage, StopMessage } from "../messages/types.ts";
import { recordSpeakerSelection } from "../telemetry/team-run-span.ts";
import type {
  GroupChatAgentResponse,
  GroupChatErrorEvent,
  GroupChatMessage,
  GroupChatRequestPublish,
  GroupChatStart,
  GroupChatTermination,
} from "./group-chat-events.ts";
import { TeamRunError } from "./team-run-error.ts";
import type { GroupChatManagerState } from "./team-state.ts";

/** What a team tells the manager it creates. */
export interface GroupChatManagerConfig {
  /** The manager's name: the source of its SelectSpeakerEvents and stop messages. */
  name: string;
  /** Topic every participant and the manager listen on. */
  groupTopicType: string;
  /** Topic the turn messages are relayed on, to the team's stream. */
  outputTopicType: string;
  /** Each participant's own topic (where it is asked to speak), in participant order. */
  participantTopicTypes: string[];
  /** Participant names, in participant order. */
  participantNames: string[];
  /** Participant descriptions, in participant order (for selectors). */
  participantDescriptions: string[];
  /** Where the manager puts what the team's stream yields. */
  outputQueue: AsyncQueue<AgentMessage | GroupChatTermination>;
  terminationCondition?: TerminationCondition;
  maxTurns?: number;
  /** Put a SelectSpeakerEvent in the stream for every selection. */
  emitTeamEvents: boolean;
}

/**
 * What `selectSpeaker` returns: one participant name, several (they speak concurrently), or
 * `{ stop: reason }` to end the run because nobody is to speak (a finished graph).
 */
export type SpeakerSelection = string | string[] | { stop: string };

/**
 * Runs a group chat's conversation: keeps the thread, asks the selected participants to speak,
 * applies the termination condition and the turn limit after each turn, and reports the end to
 * the team. A new kind of team differs only in how it picks speakers: subclass this and
 * implement `selectSpeaker` (and, when it keeps its own state, `reset`, `saveState` and
 * `loadState`, calling `super`). See BaseGroupChat for the rest of a new team.
 */
export abstract class BaseGroupChatManager extends RoutedAgent {
  /** The manager's name. */
  readonly name: string;
  /** Participant names, in participant order. */
  readonly participantNames: readonly string[];
  /** Participant descriptions, in participant order. */
  readonly participantDescriptions: readonly string[];
  /** Whether SelectSpeakerEvents (and other manager events) go into the stream. */
  protected readonly emitTeamEvents: boolean;
  /** Turns taken since the last stop. */
  protected currentTurn = 0;
  /** Every message and event of the conversation so far (streaming chunks excluded). */
  protected messageThread: AgentMessage[] = [];
  readonly #config: GroupChatManagerConfig;
  readonly #topicOf: Map<string, string>;
  /** Participants asked to speak, by name, with the turn id their answer must carry. */
  #activeSpeakers = new Map<string, string>();
  #turnDelta: AgentMessage[] = [];
  #paused = false;
  #deferredTransition?: CancellationToken;

  constructor(config: GroupChatManagerConfig) {
    super("Group chat manager");
    if (config.maxTurns !== undefined && !(Number.isInteger(config.maxTurns) && config.maxTurns > 0))
      throw new UserError(`maxTurns must be a whole number of at least 1; got ${config.maxTurns}.`);
    if (config.participantNames.length !== config.participantTopicTypes.length)
      throw new UserError("A group chat manager needs one topic type per participant name.");
    this.#config = config;
    this.name = config.name;
    this.participantNames = [...config.participantNames];
    this.participantDescriptions = [...config.participantDescriptions];
    this.emitTeamEvents = config.emitTeamEvents;
    this.#topicOf = new Map(config.participantNames.map((name, index) => [name, config.participantTopicTypes[index]!]));

    this.handle<GroupChatStart>("GroupChatStart", (message, context) => this.#start(message, context), { kind: "rpc" });
    this.handle<GroupChatAgentResponse>("GroupChatAgentResponse", (message, context) => this.#onResponse(message, context));
    this.handle<GroupChatMessage>("GroupChatMessage", (message) => {
      if (message.turnId === undefined || this.#isCurrentTurn(message.turnId)) this.#config.outputQueue.put(message.message);
    });
    this.handle<GroupChatErrorEvent>("GroupChatErrorEvent", (message) => {
      if (!this.#isCurrentTurn(message.turnId)) return;
      const cause = message.error;
      const reason = cause instanceof Error ? cause.message : String(cause);
      // The failed speaker stays active: running the team again retries its turn.
      this.#turnDelta = [];
      this.#signalError(new TeamRunError(`Participant "${message.name}" failed: ${reason}`, { cause, agentName: message.name }));
    });
    this.handle("GroupChatReset", () => this.reset(), { kind: "rpc" });
    this.handle(
      "GroupChatPause",
      () => {
        this.#paused = true;
      },
      { sequential: false },
    );
    this.handle(
      "GroupChatResume",
      async () => {
        this.#paused = false;
        const token = this.#deferredTransition;
        if (!token) return;
        this.#deferredTransition = undefined;
        await this.runSequentially(() => this.#transitionOrFail(token));
      },
      { sequential: false },
    );
  }

  /**
   * Pick who speaks next from the thread: one name or several (they speak concurrently and the
   * turn ends when all have answered), or `{ stop: reason }` to end the run. Names must be
   * participant names. Pass `cancellationToken` to any model call, so that cancelling the run
   * stops the selection.
   */
  abstract selectSpeaker(
    thread: readonly AgentMessage[],
    cancellationToken: CancellationToken,
  ): SpeakerSelection | Promise<SpeakerSelection>;

  /**
   * Called when a run stops by the termination condition, the turn limit or a `{ stop }`
   * selection (not on errors or cancellation), after the condition was reset. Override to
   * reset per-run bookkeeping (GraphFlow goes back to its entry point).
   */
  protected async onTerminated(): Promise<void> {}

  /** Check the task before a run starts; throw a UserError to refuse it. Accepts anything by default. */
  async validateGroupState(_messages: ChatMessage[] | null): Promise<void> {}

  /** Add messages to the thread; override to keep extra bookkeeping. */
  async updateMessageThread(messages: readonly AgentMessage[]): Promise<void> {
    this.messageThread.push(...messages);
  }

  /** Forget the conversation: thread, turn count, pending speakers, termination condition. */
  async reset(): Promise<void> {
    this.messageThread = [];
    this.currentTurn = 0;
    this.#activeSpeakers.clear();
    this.#turnDelta = [];
    this.#deferredTransition = undefined;
    await this.#config.terminationCondition?.reset();
  }

  override async saveState(): Promise<GroupChatManagerState> {
    return {
      type: "GroupChatManagerState",
      version: "1.0.0",
      messageThread: structuredClone(this.messageThread),
      currentTurn: this.currentTurn,
      activeSpeakers: [...this.#activeSpeakers.keys()],
    };
  }

  override async loadState(state: Record<string, unknown>): Promise<void> {
    const saved = state as GroupChatManagerState;
    if (!saved || !Array.isArray(saved.messageThread) || typeof saved.currentTurn !== "number")
      throw new UserError("The manager state is not what a group chat's saveState() returned (messageThread, currentTurn, ...).");
    const unknown = (saved.activeSpeakers ?? []).filter((name) => !this.#topicOf.has(name));
    if (unknown.length) throw new UserError(`The saved state names speakers that are not participants: ${unknown.join(", ")}.`);
    this.messageThread = structuredClone(saved.messageThread);
    this.currentTurn = saved.currentTurn;
    this.#activeSpeakers = new Map((saved.activeSpeakers ?? []).map((name) => [name, randomUUID()]));
    this.#turnDelta = [];
  }

  // ---- the conversation -----------------------------------------------------------------------

  async #start(message: GroupChatStart, context: MessageContext): Promise<void> {
    this.#paused = false;
    this.#deferredTransition = undefined;
    const condition = this.#config.terminationCondition;
    if (condition?.terminated) {
      this.#signal(stopMessage(this.name, "The group chat has already terminated."));
      return;
    }
    await this.validateGroupState(message.messages);
    const task = message.messages ?? [];
    if (task.length > 0) {
      if (message.outputTaskMessages !== false) for (const item of task) this.#config.outputQueue.put(item);
      await this.publishMessage({ type: "GroupChatStart", messages: task } satisfies GroupChatStart, this.#topic(this.#config.groupTopicType), {
        cancellationToken: context.cancellationToken,
      });
      await this.updateMessageThread(task);
      if (await this.#applyTermination(task, false)) return;
    }
    // Speakers whose turn a cancelled run interrupted are asked again before anyone new.
    const interrupted = [...this.#activeSpeakers.keys()];
    if (interrupted.length > 0) await this.#requestTurns(interrupted, context.cancellationToken);
    else await this.#transition(context.cancellationToken);
  }

  async #onResponse(message: GroupChatAgentResponse, context: MessageContext): Promise<void> {
    // Answers to turns of an earlier, cancelled run are ignored.
    if (this.#activeSpeakers.get(message.name) !== message.turnId) return;
    try {
      const delta = [...(message.response.innerMessages ?? []), message.response.chatMessage].filter(
        (item) => item.type !== "ModelClientStreamingChunkEvent",
      );
      await this.updateMessageThread(delta);
      this.#turnDelta.push(...delta);
      this.#activeSpeakers.delete(message.name);
      if (this.#activeSpeakers.size > 0) return;
      const turnDelta = this.#turnDelta;
      this.#turnDelta = [];
      if (await this.#applyTermination(turnDelta, true)) return;
      await this.#transition(context.cancellationToken);
    } catch (error) {
      this.#turnDelta = [];
      this.#signalError(error);
    }
  }

  async #transitionOrFail(token: CancellationToken): Promise<void> {
    try {
      await this.#transition(token);
    } catch (error) {
      this.#signalError(error);
    }
  }

  async #transition(token: CancellationToken): Promise<void> {
    if (this.#paused) {
      this.#deferredTransition = token;
      return;
    }
    // Not raced with the token: a selection that was made (a round-robin index that moved on)
    // must be recorded as the pending turn, or a cancelled run would skip that speaker.
    const selected = await this.selectSpeaker(this.messageThread, token);
    if (selected && typeof selected === "object" && !Array.isArray(selected) && typeof selected.stop === "string") {
      await this.#config.terminationCondition?.reset();
      this.currentTurn = 0;
      await this.onTerminated();
      this.#signal(stopMessage(this.name, selected.stop));
      return;
    }
    const names = typeof selected === "string" ? [selected] : selected;
    if (!Array.isArray(names) || names.length === 0)
      throw new UserError(`${this.constructor.name}.selectSpeaker chose no speaker; it must return a participant name, a list of them, or { stop: reason }.`);
    for (const name of names)
      if (!this.#topicOf.has(name))
        throw new UserError(
          `${this.constructor.name}.selectSpeaker chose "${name}", which is not a participant (participants: ${this.participantNames.join(", ")}).`,
        );
    recordSpeakerSelection(names);
    if (this.emitTeamEvents) this.emitEvent(createMessage("SelectSpeakerEvent", { source: this.name, content: names }));
    await this.#requestTurns(names, token);
  }

  async #requestTurns(names: string[], token: CancellationToken): Promise<void> {
    this.#activeSpeakers.clear();
    for (const name of names) this.#activeSpeakers.set(name, randomUUID());
    for (const name of names)
      await this.publishMessage(
        { type: "GroupChatRequestPublish", turnId: this.#activeSpeakers.get(name)! } satisfies GroupChatRequestPublish,
        this.#topic(this.#topicOf.get(name)!),
        { cancellationToken: token },
      );
  }

  /** Check the condition and the turn limit; on a stop, reset both and tell the team. */
  async #applyTermination(delta: AgentMessage[], countsAsTurn: boolean): Promise<boolean> {
    const condition = this.#config.terminationCondition;
    if (condition) {
      const stop = await condition.check(delta);
      if (stop) {
        await condition.reset();
        this.currentTurn = 0;
        await this.onTerminated();
        this.#signal(stop);
        return true;
      }
    }
    if (countsAsTurn) this.currentTurn++;
    const maxTurns = this.#config.maxTurns;
    if (maxTurns !== undefined && this.currentTurn >= maxTurns) {
      await condition?.reset();
      this.currentTurn = 0;
      await this.onTerminated();
      this.#signal(stopMessage(this.name, `Maximum number of turns ${maxTurns} reached.`));
      return true;
    }
    return false;
  }

  #isCurrentTurn(turnId: string): boolean {
    for (const active of this.#activeSpeakers.values()) if (active === turnId) return true;
    return false;
  }

  #topic(type: string): TopicId {
    return new TopicId(type, this.id.key);
  }

  /** Put a message of the manager's own (a SelectSpeakerEvent, a selector's streamed chunk) in the stream and on the output topic. */
  protected emitEvent(message: AgentMessage): void {
    this.#config.outputQueue.put(message);
    void this.publishMessage({ type: "GroupChatMessage", message } satisfies GroupChatMessage, this.#topic(this.#config.outputTopicType));
  }

  #signal(stop: StopMessage, error?: Error): void {
    const termination: GroupChatTermination = { type: "GroupChatTermination", stopMessage: stop, error };
    this.#config.outputQueue.put(termination);
    void this.publishMessage(termination, this.#topic(this.#config.outputTopicType));
  }

  #signalError(error: unknown): void {
    // The run was cancelled: its caller already has a CancelledError and nobody reads the stream.
    if (error instanceof CancelledError) return;
    const wrapped =
      error instanceof AgentbookError ? error : new TeamRunError(`The group chat failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    this.#signal(stopMessage(this.name, "An error occurred in the group chat."), wrapped);
  }
}
