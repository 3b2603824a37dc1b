import { randomUUID } from "node:crypto";
import type { BaseChatAgent } from "../agents/base-chat-agent.ts";
import type { TerminationCondition } from "../conditions/termination-condition.ts";
import { AgentId } from "../core/agent-id.ts";
import type { AgentRuntime } from "../core/agent-runtime.ts";
import { AsyncQueue } from "../core/async-queue.ts";
import { CancellationToken } from "../core/cancellation-token.ts";
import { SingleThreadedAgentRuntime } from "../core/single-threaded-agent-runtime.ts";
import { TypeSubscription } from "../core/type-subscription.ts";
import { UserError } from "../errors.ts";
import { taskToMessages } from "../messages/create.ts";
import type { AgentMessage, RunOptions, TaskResult, TaskRunner } from "../messages/types.ts";
import { tracedTeamRun } from "../telemetry/team-run-span.ts";
import type { BaseGroupChatManager, GroupChatManagerConfig } from "./base-group-chat-manager.ts";
import { ChatAgentContainer } from "./chat-agent-container.ts";
import type { GroupChatStart, GroupChatTermination } from "./group-chat-events.ts";
import type { ChatAgentContainerState, TeamState } from "./team-state.ts";

/** Options every group chat team takes. */
export interface BaseGroupChatOptions {
  /** The agents of the team; names must be unique. */
  participants: BaseChatAgent[];
  /** When to stop; without it (and without `maxTurns`) the team runs until cancelled. */
  terminationCondition?: TerminationCondition;
  /** Stop after this many turns. */
  maxTurns?: number;
  /**
   * A runtime to run on instead of the team's own one, for example to watch every message with an
   * intervention handler. You start and stop it; the team only registers its agents in it.
   */
  runtime?: AgentRuntime;
  /** Put a SelectSpeakerEvent in the stream whenever the manager picks speakers (default false). */
  emitTeamEvents?: boolean;
}

/**
 * The base of group chat teams. A team is agents in a runtime: one manager that runs the
 * conversation and one container per participant, talking over topics (a group topic everyone
 * hears, one topic per participant to ask it to speak, an output topic for the run's stream).
 *
 * To add a team (SelectorGroupChat, Swarm, GraphFlow...):
 * 1. subclass BaseGroupChatManager and implement `selectSpeaker(thread)` (plus `reset`,
 *    `saveState`, `loadState` for any state of your own, calling `super`; and
 *    `validateGroupState` if some tasks are invalid for your team);
 * 2. subclass BaseGroupChat, pass your options on to `super`, and implement
 *    `createGroupChatManager(config)` to return your manager with `config` and your options.
 * Running, streaming, termination, turn limits, pause, cancellation and state come from the bases.
 */
export abstract class BaseGroupChat implements TaskRunner {
  /** The participants, in order. */
  readonly participants: readonly BaseChatAgent[];
  /** The condition that stops a run. */
  readonly terminationCondition?: TerminationCondition;
  /** The turn limit of a run. */
  readonly maxTurns?: number;
  /** Tells this team's agents and topics apart from other teams' in a shared runtime. */
  readonly teamId: string = randomUUID();
  readonly #managerName: string;
  readonly #emitTeamEvents: boolean;
  readonly #runtime: AgentRuntime;
  readonly #embeddedRuntime: boolean;
  readonly #output = new AsyncQueue<AgentMessage | GroupChatTermination>();
  #initialized?: Promise<void>;
  #running = false;
  /** A cancelled run's own runtime finishing what was in flight; the next call waits for it. */
  #draining: Promise<void> = Promise.resolve();

  constructor(options: BaseGroupChatOptions, managerName = "GroupChatManager") {
    if (!options || !Array.isArray(options.participants) || options.participants.length === 0)
      throw new UserError(`${new.target.name} needs at least one participant: { participants: [agent, ...] }.`);
    for (const [index, agent] of options.participants.entries()) {
      if (agent && typeof agent.onMessagesStream === "function" && typeof agent.name === "string") continue;
      const isTeam = agent && typeof (agent as { runStream?: unknown }).runStream === "function";
      throw new UserError(
        isTeam
          ? `Participant ${index} is a team; a team takes part in another team as an agent: wrap it in new SocietyOfMindAgent({ name, team, modelClient }).`
          : `Participant ${index} is not a chat agent; participants are agents such as AssistantAgent, UserProxyAgent or a BaseChatAgent subclass.`,
      );
    }
    const names = options.participants.map((agent) => agent.name);
    const duplicates = names.filter((name, index) => names.indexOf(name) !== index);
    if (duplicates.length)
      throw new UserError(`Participant names must be unique in a team; ${[...new Set(duplicates)].join(", ")} appears more than once.`);
    if (names.includes(managerName))
      throw new UserError(`"${managerName}" is the name of the team's manager; rename that participant.`);
    if (options.maxTurns !== undefined && !(Number.isInteger(options.maxTurns) && options.maxTurns > 0))
      throw new UserError(`maxTurns must be a whole number of at least 1; got ${options.maxTurns}.`);
    this.participants = [...options.participants];
    this.terminationCondition = options.terminationCondition;
    this.maxTurns = options.maxTurns;
    this.#managerName = managerName;
    this.#emitTeamEvents = options.emitTeamEvents ?? false;
    this.#embeddedRuntime = options.runtime === undefined;
    this.#runtime = options.runtime ?? new SingleThreadedAgentRuntime();
  }

  /** Make this team's manager from `config` (and the subclass's own options). */
  protected abstract createGroupChatManager(config: GroupChatManagerConfig): BaseGroupChatManager;

  /** Whether the run's stream carries a SelectSpeakerEvent whenever the manager picks speakers. */
  get emitTeamEvents(): boolean {
    return this.#emitTeamEvents;
  }

  /** True while a run is in progress. */
  get isRunning(): boolean {
    return this.#running;
  }

  #groupTopicType(): string {
    return `group_topic_${this.teamId}`;
  }

  #outputTopicType(): string {
    return `output_topic_${this.teamId}`;
  }

  #managerType(): string {
    return `${this.#managerName}_${this.teamId}`;
  }

  #participantType(name: string): string {
    return `${name}_${this.teamId}`;
  }

  #managerId(): AgentId {
    return new AgentId(this.#managerType(), this.teamId);
  }

  #containerId(name: string): AgentId {
    return new AgentId(this.#participantType(name), this.teamId);
  }

  async #initialize(): Promise<void> {
    await this.#draining;
    this.#initialized ??= (async () => {
      const runtime = this.#runtime;
      const groupTopicType = this.#groupTopicType();
      const topics = { groupTopicType, managerTopicType: this.#managerType(), outputTopicType: this.#outputTopicType() };
      for (const agent of this.participants) {
        const type = this.#participantType(agent.name);
        await runtime.registerFactory(type, () => new ChatAgentContainer(agent, topics));
        await runtime.addSubscription(new TypeSubscription({ topicType: type, agentType: type }));
        await runtime.addSubscription(new TypeSubscription({ topicType: groupTopicType, agentType: type }));
      }
      const managerType = this.#managerType();
      const config: GroupChatManagerConfig = {
        name: this.#managerName,
        groupTopicType,
        outputTopicType: this.#outputTopicType(),
        participantTopicTypes: this.participants.map((agent) => this.#participantType(agent.name)),
        participantNames: this.participants.map((agent) => agent.name),
        participantDescriptions: this.participants.map((agent) => agent.description),
        outputQueue: this.#output,
        terminationCondition: this.terminationCondition,
        maxTurns: this.maxTurns,
        emitTeamEvents: this.#emitTeamEvents,
      };
      await runtime.registerFactory(managerType, () => this.createGroupChatManager(config));
      for (const topicType of [managerType, groupTopicType, this.#outputTopicType()])
        await runtime.addSubscription(new TypeSubscription({ topicType, agentType: managerType }));
    })();
    await this.#initialized;
  }

  /** Runs `work` with the runtime processing messages: the team's own runtime is started for it. */
  async #withRuntime<T>(work: () => Promise<T>): Promise<T> {
    await this.#initialize();
    const runtime = this.#runtime;
    if (!this.#embeddedRuntime) {
      if (!runtime.isRunning) throw new UserError("The runtime given to the team is not running; call runtime.start() first.");
      return work();
    }
    const single = runtime as SingleThreadedAgentRuntime;
    single.start();
    try {
      return await work();
    } finally {
      await single.stopWhenIdle();
    }
  }

  /** Run the team on a task (or, without one, continue the conversation) and return the result. */
  async run(options: RunOptions = {}): Promise<TaskResult> {
    let result: TaskResult | undefined;
    for await (const item of this.runStream(options)) if (item.type === "TaskResult") result = item;
    return result!;
  }

  /**
   * Run the team, yielding every message and event in order (streaming chunks included) and then
   * the TaskResult (chunks excluded). Without a task the conversation continues where it stopped.
   * Cancelling `cancellationToken` stops at once with a CancelledError; the team can be run
   * again and the interrupted turn is taken again. A participant that throws ends the stream with
   * a TeamRunError naming it.
   */
  runStream(options: RunOptions = {}): AsyncGenerator<AgentMessage | TaskResult, void, undefined> {
    return tracedTeamRun(this, () => this.#runStream(options));
  }

  async *#runStream(options: RunOptions): AsyncGenerator<AgentMessage | TaskResult, void, undefined> {
    if (Array.isArray(options.task) && options.task.length === 0)
      throw new UserError("The task list is empty; pass a string, a message, a non-empty list, or no task to continue.");
    const task = options.task === undefined ? null : taskToMessages(options.task);
    if (this.#running)
      throw new UserError(`${this.constructor.name} is already running; wait for the run to end (or cancel it) before starting another.`);
    this.#running = true;
    // Our own token, so that leaving the stream early also stops the turn in progress.
    const token = CancellationToken.any(options.cancellationToken);
    let completed = false;
    let embeddedStarted = false;
    try {
      await this.#initialize();
      if (this.#embeddedRuntime) {
        (this.#runtime as SingleThreadedAgentRuntime).start();
        embeddedStarted = true;
      } else if (!this.#runtime.isRunning) {
        throw new UserError("The runtime given to the team is not running; call runtime.start() before running the team.");
      }
      this.#output.clear();
      const start: GroupChatStart = { type: "GroupChatStart", messages: task, outputTaskMessages: options.outputTaskMessages };
      await this.#runtime.sendMessage(start, this.#managerId(), { cancellationToken: token });
      const messages: AgentMessage[] = [];
      let stopReason: string | undefined;
      for (;;) {
        const item = await this.#output.get(token);
        if (item.type === "GroupChatTermination") {
          if (item.error) throw item.error;
          stopReason = item.stopMessage.content;
          break;
        }
        yield item;
        if (item.type !== "ModelClientStreamingChunkEvent") messages.push(item);
      }
      completed = true;
      yield { type: "TaskResult", messages, stopReason };
    } finally {
      if (!completed) token.cancel("the run ended early");
      if (embeddedStarted) {
        const runtime = this.#runtime as SingleThreadedAgentRuntime;
        if (completed) await runtime.stopWhenIdle();
        // Return at once, but let the agents see the cancellation and the manager record where
        // the conversation stands before anything else uses the runtime.
        else this.#draining = runtime.stopWhenIdle().catch(() => undefined);
      }
      this.#running = false;
    }
  }

  /** Forget the conversation: every participant is reset, and so are the thread, turn count and termination condition. */
  async reset(): Promise<void> {
    if (this.#running) throw new UserError(`${this.constructor.name} is running; stop or cancel the run before resetting it.`);
    await this.#withRuntime(async () => {
      for (const agent of this.participants) await this.#runtime.sendMessage({ type: "GroupChatReset" }, this.#containerId(agent.name));
      await this.#runtime.sendMessage({ type: "GroupChatReset" }, this.#managerId());
    });
  }

  /**
   * Hold the run after the turn in progress, and tell each participant (`onPause`) so it can
   * stop long work. The run's stream waits until `resume()`.
   */
  async pause(): Promise<void> {
    await this.#control("GroupChatPause", "pause");
  }

  /** Go on after `pause()`. */
  async resume(): Promise<void> {
    await this.#control("GroupChatResume", "resume");
  }

  async #control(type: "GroupChatPause" | "GroupChatResume", verb: string): Promise<void> {
    if (!this.#running) throw new UserError(`${this.constructor.name} is not running; there is nothing to ${verb}.`);
    await this.#runtime.sendMessage({ type }, this.#managerId());
    for (const agent of this.participants) await this.#runtime.sendMessage({ type }, this.#containerId(agent.name));
  }

  /** The conversation as plain JSON: the manager's thread and counters, and each participant's state by name. */
  async saveState(): Promise<TeamState> {
    await this.#initialize();
    const agents: Record<string, ChatAgentContainerState> = {};
    for (const agent of this.participants)
      agents[agent.name] = (await this.#runtime.agentSaveState(this.#containerId(agent.name))) as ChatAgentContainerState;
    const manager = (await this.#runtime.agentSaveState(this.#managerId())) as TeamState["manager"];
    return { type: "TeamState", version: "1.0.0", team: this.constructor.name, manager, agents };
  }

  /** Restore what `saveState` returned (also into a newly built team with newly built agents); the next run continues it. */
  async loadState(state: TeamState): Promise<void> {
    if (this.#running) throw new UserError(`${this.constructor.name} is running; load state before or after a run.`);
    if (!state || state.type !== "TeamState" || typeof state.agents !== "object" || !state.manager)
      throw new UserError("team.loadState needs the object team.saveState() returned (type \"TeamState\").");
    const names = new Set(this.participants.map((agent) => agent.name));
    const strangers = Object.keys(state.agents).filter((name) => !names.has(name));
    if (strangers.length)
      throw new UserError(
        `The saved team has participants this team lacks: ${strangers.join(", ")} (this team has ${[...names].join(", ")}); build the team with the same participant names.`,
      );
    await this.#initialize();
    for (const [name, agentState] of Object.entries(state.agents))
      await this.#runtime.agentLoadState(this.#containerId(name), agentState);
    await this.#runtime.agentLoadState(this.#managerId(), state.manager);
  }
}
