import type { BaseChatAgent } from "../agents/base-chat-agent.ts";
import { UserError } from "../errors.ts";
import { DiGraph } from "./di-graph.ts";
import type { DiGraphNode, EdgeCondition, NodeActivation } from "./di-graph.ts";

/** Options of `DiGraphBuilder.addNode`. */
export interface AddNodeOptions {
  /** "all" (default): speak once every parent has spoken; "any": as soon as one has. */
  activation?: NodeActivation;
}

/** Options of `DiGraphBuilder.addEdge`. */
export interface AddEdgeOptions {
  /** Follow the edge only when the source's message contains this text, or passes this test. */
  condition?: EdgeCondition;
}

/**
 * Builds the graph of a GraphFlow step by step; `build()` checks it.
 *
 * ```ts
 * // writer -> critic; the critic sends it back until it says APPROVE, then the editor publishes
 * const graph = new DiGraphBuilder()
 *   .addNode(writer).addNode(critic).addNode(editor)
 *   .addEdge(writer, critic)
 *   .addEdge(critic, writer, { condition: (message) => !messageToText(message).includes("APPROVE") })
 *   .addEdge(critic, editor, { condition: "APPROVE" })
 *   .setEntryPoint(writer)
 *   .build();
 * const team = new GraphFlow({ participants: [writer, critic, editor], graph });
 * ```
 *
 * Several edges out of one node make a fan-out: their targets speak concurrently. A node with
 * several parents waits for all of them (activation "all"), or speaks after the first ("any");
 * a node that a loop returns to and that is also reached from outside the loop needs "any".
 */
export class DiGraphBuilder {
  readonly #nodes = new Map<string, Omit<DiGraphNode, "edges">>();
  readonly #agents = new Map<string, BaseChatAgent>();
  readonly #edges: Array<{ source: string; target: string; condition?: EdgeCondition }> = [];
  #entryPoint?: string;

  /** Add an agent as a node. */
  addNode(agent: BaseChatAgent, options: AddNodeOptions = {}): this {
    if (!agent || typeof agent.name !== "string")
      throw new UserError("builder.addNode needs an agent (an AssistantAgent, for example).");
    const known = this.#agents.get(agent.name);
    if (known && known !== agent) throw new UserError(`Two different agents are named "${agent.name}"; node names must be unique.`);
    if (!known) {
      this.#nodes.set(agent.name, { name: agent.name, activation: options.activation ?? "all" });
      this.#agents.set(agent.name, agent);
    }
    return this;
  }

  /** Add an edge: after `source` speaks, `target` may speak (when the condition holds). Both are checked by `build()`. */
  addEdge(source: BaseChatAgent | string, target: BaseChatAgent | string, options: AddEdgeOptions = {}): this {
    this.#edges.push({ source: nameOf(source), target: nameOf(target), condition: options.condition });
    return this;
  }

  /** Say which node speaks first (needed when every node has a parent). */
  setEntryPoint(node: BaseChatAgent | string): this {
    this.#entryPoint = nameOf(node);
    return this;
  }

  /** The checked graph; throws a UserError naming the problem (unknown node, no entry point, a cycle without exit). */
  build(): DiGraph {
    const nodes: Record<string, DiGraphNode> = {};
    for (const [name, node] of this.#nodes) nodes[name] = { ...node, edges: [] };
    for (const { source, target, condition } of this.#edges) {
      const node = nodes[source];
      if (!node)
        throw new UserError(
          `The edge ${source} -> ${target} starts at an unknown node "${source}"; add it with builder.addNode(agent) (nodes: ${Object.keys(nodes).join(", ") || "none"}).`,
        );
      node.edges.push(condition === undefined ? { target } : { target, condition });
    }
    return new DiGraph({ nodes, entryPoint: this.#entryPoint });
  }

  /** The agents added, in the order they were added: the participants of the GraphFlow. */
  getParticipants(): BaseChatAgent[] {
    return [...this.#agents.values()];
  }
}

function nameOf(node: BaseChatAgent | string): string {
  return typeof node === "string" ? node : node?.name;
}
