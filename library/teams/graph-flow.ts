import type { CancellationToken } from "../core/cancellation-token.ts";
import { UserError } from "../errors.ts";
import { isChatMessage } from "../messages/create.ts";
import type { AgentMessage } from "../messages/types.ts";
import { BaseGroupChat } from "./base-group-chat.ts";
import type { BaseGroupChatOptions } from "./base-group-chat.ts";
import { BaseGroupChatManager } from "./base-group-chat-manager.ts";
import type { GroupChatManagerConfig, SpeakerSelection } from "./base-group-chat-manager.ts";
import { DiGraph, edgeConditionHolds } from "./di-graph.ts";
import type { GroupChatManagerState } from "./team-state.ts";

/** The stop reason of a GraphFlow run that went through its graph to the end. */
export const GRAPH_COMPLETE_STOP_REASON = "The graph is complete: no node is ready to speak.";

/** Saved state of a graph manager: the base state and where the graph's execution stands. */
export interface GraphFlowManagerState extends GroupChatManagerState {
  type: "GraphFlowManagerState";
  /** Nodes ready to speak in the next step, in order. */
  ready: string[];
  /** For each node, the parents that have spoken (with their edge condition met) since it last spoke. */
  satisfied: Record<string, string[]>;
  /** Nodes of the step in progress whose answer is awaited. */
  speaking: string[];
}

/** Runs the participants along a DiGraph: each step, every ready node speaks, concurrently. */
export class GraphFlowManager extends BaseGroupChatManager {
  readonly #graph: DiGraph;
  readonly #parents: Map<string, Set<string>>;
  #ready: string[] = [];
  #satisfied = new Map<string, Set<string>>();
  #speaking = new Set<string>();

  constructor(config: GroupChatManagerConfig, graph: DiGraph) {
    super(config);
    this.#graph = graph;
    this.#parents = new Map(Object.keys(graph.nodes).map((name) => [name, new Set(graph.parents(name))]));
    this.#restart();
  }

  /** Back to the entry point. */
  #restart(): void {
    this.#ready = this.#graph.startNodes();
    this.#satisfied = new Map();
    this.#speaking = new Set();
  }

  selectSpeaker(_thread: readonly AgentMessage[], _cancellationToken?: CancellationToken): SpeakerSelection {
    if (this.#ready.length === 0) return { stop: GRAPH_COMPLETE_STOP_REASON };
    const speakers = this.#ready;
    this.#ready = [];
    for (const name of speakers) {
      this.#satisfied.delete(name);
      this.#speaking.add(name);
    }
    return speakers;
  }

  /** After a node speaks, follow its edges whose condition its message meets. */
  override async updateMessageThread(messages: readonly AgentMessage[]): Promise<void> {
    await super.updateMessageThread(messages);
    const message = messages.at(-1);
    // Only a node's own answer moves the graph on (not the task, nor events of a nested team).
    if (!message || !isChatMessage(message) || !this.#speaking.delete(message.source)) return;
    for (const edge of this.#graph.nodes[message.source]!.edges) {
      if (!edgeConditionHolds(edge.condition, message)) continue;
      const target = edge.target;
      const satisfied = this.#satisfied.get(target) ?? new Set<string>();
      satisfied.add(message.source);
      this.#satisfied.set(target, satisfied);
      const node = this.#graph.nodes[target]!;
      const parents = this.#parents.get(target)!;
      const isReady = node.activation === "any" || [...parents].every((parent) => satisfied.has(parent));
      if (isReady && !this.#ready.includes(target)) this.#ready.push(target);
    }
  }

  protected override async onTerminated(): Promise<void> {
    this.#restart();
  }

  override async reset(): Promise<void> {
    await super.reset();
    this.#restart();
  }

  override async saveState(): Promise<GraphFlowManagerState> {
    return {
      ...(await super.saveState()),
      type: "GraphFlowManagerState",
      ready: [...this.#ready],
      satisfied: Object.fromEntries([...this.#satisfied].map(([name, parents]) => [name, [...parents]])),
      speaking: [...this.#speaking],
    };
  }

  override async loadState(state: Record<string, unknown>): Promise<void> {
    const saved = state as Partial<GraphFlowManagerState>;
    if (!Array.isArray(saved.ready) || !saved.satisfied || typeof saved.satisfied !== "object" || !Array.isArray(saved.speaking))
      throw new UserError("The saved state is not a GraphFlow's (ready, satisfied, speaking); pass what a GraphFlow's saveState() returned.");
    const names = [...saved.ready, ...saved.speaking, ...Object.keys(saved.satisfied), ...Object.values(saved.satisfied).flat()];
    const strangers = names.filter((name) => !(name in this.#graph.nodes));
    if (strangers.length)
      throw new UserError(`The saved graph state names nodes this graph lacks: ${[...new Set(strangers)].join(", ")}; load it into a GraphFlow with the same graph.`);
    await super.loadState(state);
    this.#ready = [...saved.ready];
    this.#satisfied = new Map(Object.entries(saved.satisfied).map(([name, parents]) => [name, new Set(parents)]));
    this.#speaking = new Set(saved.speaking);
  }
}

/** Options of GraphFlow. */
export interface GraphFlowOptions extends BaseGroupChatOptions {
  /** Who speaks after whom, on what condition (build it with DiGraphBuilder). */
  graph: DiGraph;
}

/**
 * A team that runs its participants along a directed graph: sequences, fan-outs (the targets of
 * a node's edges speak concurrently, in one step), fan-ins (activation "all" waits for every
 * parent, "any" for the first), branches on conditions, and loops that a condition ends. Every
 * participant hears the whole conversation. The run stops when no node is ready to speak (the
 * stop reason says so), or earlier by `terminationCondition` or `maxTurns` (a turn is one step);
 * after any stop the next run starts again at the entry point.
 *
 * ```ts
 * const builder = new DiGraphBuilder().addNode(researcher).addNode(writer).addNode(checker).addNode(editor)
 *   .addEdge(researcher, writer).addEdge(researcher, checker) // fan-out: both speak at once
 *   .addEdge(writer, editor).addEdge(checker, editor);        // fan-in: the editor waits for both
 * const team = new GraphFlow({ participants: builder.getParticipants(), graph: builder.build() });
 * ```
 */
export class GraphFlow extends BaseGroupChat {
  /** The execution graph. */
  readonly graph: DiGraph;

  constructor(options: GraphFlowOptions) {
    super(options, "GraphFlowManager");
    if (!(options.graph instanceof DiGraph))
      throw new UserError("GraphFlow needs a graph: build one with new DiGraphBuilder().addNode(...).addEdge(...).build().");
    const nodes = Object.keys(options.graph.nodes);
    const names = this.participants.map((agent) => agent.name);
    const missing = nodes.filter((name) => !names.includes(name));
    if (missing.length)
      throw new UserError(`The graph has nodes that are not participants: ${missing.join(", ")}; pass builder.getParticipants() as the participants.`);
    const outside = names.filter((name) => !nodes.includes(name));
    if (outside.length)
      throw new UserError(`Participants ${outside.join(", ")} are not nodes of the graph, so they would never speak; add them with builder.addNode(agent).`);
    this.graph = options.graph;
  }

  protected createGroupChatManager(config: GroupChatManagerConfig): GraphFlowManager {
    return new GraphFlowManager(config, this.graph);
  }
}
