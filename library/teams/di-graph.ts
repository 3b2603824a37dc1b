import { UserError } from "../errors.ts";
import { messageToText } from "../messages/convert.ts";
import type { ChatMessage } from "../messages/types.ts";

/** When an edge is followed: a text the source's message must contain, or a test of that message. */
export type EdgeCondition = string | ((message: ChatMessage) => boolean);

/** How a node with several parents becomes ready: when all of them have spoken, or as soon as any has. */
export type NodeActivation = "all" | "any";

/** A directed edge: after its source speaks, `target` may speak (when `condition` holds). */
export interface DiGraphEdge {
  /** Name of the node the edge leads to. */
  target: string;
  /** Followed only when the source's message meets it; always followed when absent. */
  condition?: EdgeCondition;
}

/** A node: one participant, its outgoing edges and how it is activated. */
export interface DiGraphNode {
  /** The participant's name. */
  name: string;
  /** Outgoing edges, in the order they were added. */
  edges: DiGraphEdge[];
  /** "all" (default): ready once every parent has spoken; "any": once one has. */
  activation: NodeActivation;
}

/** What a DiGraph is made of. */
export interface DiGraphInit {
  /** The nodes by name. */
  nodes: Record<string, DiGraphNode>;
  /** The node that speaks first; by default every node without parents does. */
  entryPoint?: string;
}

/** True when `condition` lets the edge be followed after `message`. */
export function edgeConditionHolds(condition: EdgeCondition | undefined, message: ChatMessage): boolean {
  if (condition === undefined) return true;
  if (typeof condition === "string") return messageToText(message).includes(condition);
  return condition(message) === true;
}

/**
 * The execution graph of a GraphFlow: which participant may speak after which, on what
 * condition. Building one checks it: every edge must lead to a node, there must be a node to
 * start from, and every cycle must have a conditional edge on it (its way out). Make one with
 * DiGraphBuilder.
 */
export class DiGraph {
  /** The nodes by name. */
  readonly nodes: Readonly<Record<string, DiGraphNode>>;
  /** The node set as the one to start from, if one was. */
  readonly entryPoint?: string;
  /** True when the graph has loops (each with an exit condition). */
  readonly hasCycles: boolean;

  constructor(init: DiGraphInit) {
    const nodes = init?.nodes;
    if (!nodes || typeof nodes !== "object" || Object.keys(nodes).length === 0)
      throw new UserError("The graph has no nodes; add each participant with builder.addNode(agent).");
    for (const [name, node] of Object.entries(nodes)) {
      if (node.name !== name) throw new UserError(`Graph node "${name}" is named "${node.name}"; key each node by its name.`);
      if (node.activation !== "all" && node.activation !== "any")
        throw new UserError(`Node "${name}" has activation ${JSON.stringify(node.activation)}; use "all" or "any".`);
      for (const edge of node.edges) {
        if (!(edge.target in nodes))
          throw new UserError(
            `The edge ${name} -> ${edge.target} leads to an unknown node "${edge.target}"; add it with builder.addNode(agent) (nodes: ${Object.keys(nodes).join(", ")}).`,
          );
        if (edge.condition !== undefined && typeof edge.condition !== "string" && typeof edge.condition !== "function")
          throw new UserError(`The edge ${name} -> ${edge.target} has a condition that is neither a string nor a function of the message.`);
      }
    }
    if (init.entryPoint !== undefined && !(init.entryPoint in nodes))
      throw new UserError(`The entry point "${init.entryPoint}" is not a node of the graph (nodes: ${Object.keys(nodes).join(", ")}).`);
    this.nodes = nodes;
    this.entryPoint = init.entryPoint;
    if (this.startNodes().length === 0)
      throw new UserError(
        "The graph has no entry point: every node has a parent, so nothing can speak first. Call builder.setEntryPoint(agent) to say who starts.",
      );
    const endless = this.#unconditionalCycle();
    if (endless)
      throw new UserError(
        `The cycle ${endless.join(" -> ")} has no exit condition, so it would never end; give one of its edges a condition, for example addEdge(a, b, { condition: "REVISE" }).`,
      );
    this.hasCycles = this.#hasCycle(() => true);
  }

  /** Names of the nodes with an edge to `name`, one entry per edge. */
  parents(name: string): string[] {
    const found: string[] = [];
    for (const node of Object.values(this.nodes)) for (const edge of node.edges) if (edge.target === name) found.push(node.name);
    return found;
  }

  /** The nodes that speak first: the entry point, or every node without parents. */
  startNodes(): string[] {
    if (this.entryPoint !== undefined) return [this.entryPoint];
    return Object.keys(this.nodes).filter((name) => this.parents(name).length === 0);
  }

  /** A cycle made only of edges without conditions (one that nothing can leave), as a path, or undefined. */
  #unconditionalCycle(): string[] | undefined {
    let found: string[] | undefined;
    this.#hasCycle((edge) => edge.condition === undefined, (cycle) => (found = cycle));
    return found;
  }

  /** Depth-first search over the edges `follow` accepts; reports the first cycle met. */
  #hasCycle(follow: (edge: DiGraphEdge) => boolean, report?: (cycle: string[]) => void): boolean {
    const done = new Set<string>();
    const path: string[] = [];
    const visit = (name: string): boolean => {
      path.push(name);
      for (const edge of this.nodes[name]!.edges) {
        if (!follow(edge)) continue;
        const onPath = path.indexOf(edge.target);
        if (onPath >= 0) {
          report?.([...path.slice(onPath), edge.target]);
          return true;
        }
        if (!done.has(edge.target) && visit(edge.target)) return true;
      }
      path.pop();
      done.add(name);
      return false;
    };
    for (const name of Object.keys(this.nodes)) if (!done.has(name) && visit(name)) return true;
    return false;
  }
}
