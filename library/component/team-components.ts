import { z } from "zod";
import type { BaseChatAgent } from "../agents/base-chat-agent.ts";
import type { TerminationCondition } from "../conditions/termination-condition.ts";
import type { ChatMessage } from "../messages/types.ts";
import type { ChatCompletionClient } from "../models/types.ts";
import type { BaseGroupChat, BaseGroupChatOptions } from "../teams/base-group-chat.ts";
import { DiGraph, type DiGraphEdge, type DiGraphNode } from "../teams/di-graph.ts";
import { GraphFlow } from "../teams/graph-flow.ts";
import { RoundRobinGroupChat } from "../teams/round-robin-group-chat.ts";
import { SelectorGroupChat, type CandidateFunc, type SelectorFunc } from "../teams/selector-group-chat.ts";
import { Swarm } from "../teams/swarm.ts";
import { defineComponent, type DumpContext, type LoadContext } from "./component-definition.ts";
import { referenceNameSchema } from "./component-references.ts";
import { nestedComponentSchema } from "./config-schemas.ts";

const teamShape = {
  participants: z.array(nestedComponentSchema).min(1),
  terminationCondition: nestedComponentSchema.optional(),
  maxTurns: z.number().int().min(1).optional(),
  emitTeamEvents: z.boolean().optional(),
};

const teamConfigSchema = z.strictObject(teamShape);
type TeamConfig = z.infer<typeof teamConfigSchema>;

function dumpTeam(team: BaseGroupChat, context: DumpContext): TeamConfig {
  return {
    participants: team.participants.map((agent, index) => context.dump(agent, `participants[${index}]`)),
    ...(team.terminationCondition ? { terminationCondition: context.dump(team.terminationCondition, "terminationCondition") } : {}),
    ...(team.maxTurns !== undefined ? { maxTurns: team.maxTurns } : {}),
    emitTeamEvents: team.emitTeamEvents,
  };
}

function loadTeamOptions(config: TeamConfig, context: LoadContext): BaseGroupChatOptions {
  return {
    participants: config.participants.map((agent, index) => context.load<BaseChatAgent>(agent, `participants[${index}]`, "agent")),
    terminationCondition: config.terminationCondition
      ? context.load<TerminationCondition>(config.terminationCondition, "terminationCondition", "termination")
      : undefined,
    maxTurns: config.maxTurns,
    emitTeamEvents: config.emitTeamEvents,
  };
}

export const roundRobinGroupChatComponent = defineComponent({
  provider: "agentbook.RoundRobinGroupChat",
  componentType: "team",
  componentVersion: 1,
  label: "RoundRobinGroupChat",
  description: "A team whose participants speak in turn, in the order given.",
  classes: [RoundRobinGroupChat],
  configSchema: teamConfigSchema,
  dump: (team: RoundRobinGroupChat, context) => dumpTeam(team, context),
  load: (config, context) => new RoundRobinGroupChat(loadTeamOptions(config, context)),
});

export const swarmComponent = defineComponent({
  provider: "agentbook.Swarm",
  componentType: "team",
  componentVersion: 1,
  label: "Swarm",
  description: "A team in which the speaker hands the conversation to the next one.",
  classes: [Swarm],
  configSchema: teamConfigSchema,
  dump: (team: Swarm, context) => dumpTeam(team, context),
  load: (config, context) => new Swarm(loadTeamOptions(config, context)),
});

const selectorConfigSchema = z.strictObject({
  ...teamShape,
  modelClient: nestedComponentSchema,
  selectorPrompt: z.string().optional(),
  allowRepeatedSpeaker: z.boolean().optional(),
  maxSelectorAttempts: z.number().int().min(1).optional(),
  selectorFunc: referenceNameSchema.optional(),
  candidateFunc: referenceNameSchema.optional(),
  modelClientStreaming: z.boolean().optional(),
});
type SelectorConfig = z.infer<typeof selectorConfigSchema>;

export const selectorGroupChatComponent = defineComponent({
  provider: "agentbook.SelectorGroupChat",
  componentType: "team",
  componentVersion: 1,
  label: "SelectorGroupChat",
  description: "A team in which a model (or a selector function) picks who speaks next.",
  classes: [SelectorGroupChat],
  configSchema: selectorConfigSchema,
  dump(team: SelectorGroupChat, context) {
    const config: SelectorConfig = {
      ...dumpTeam(team, context),
      modelClient: context.dump(team.modelClient, "modelClient"),
      selectorPrompt: team.selectorPrompt,
      allowRepeatedSpeaker: team.allowRepeatedSpeaker,
      maxSelectorAttempts: team.maxSelectorAttempts,
      modelClientStreaming: team.modelClientStreaming,
    };
    for (const key of ["selectorFunc", "candidateFunc"] as const) {
      const fn = team[key];
      if (!fn) continue;
      const name = context.functionName(fn);
      if (name) config[key] = name;
      else
        context.note(
          `${key} left out: it is a function, and functions are recorded by name only; the loaded team lets the model choose among all participants. ` +
            `To keep it, dump and load with { functions: { myName: fn } }.`,
        );
    }
    return config;
  },
  load: (config, context) =>
    new SelectorGroupChat({
      ...loadTeamOptions(config, context),
      modelClient: context.load<ChatCompletionClient>(config.modelClient, "modelClient", "model"),
      selectorPrompt: config.selectorPrompt,
      allowRepeatedSpeaker: config.allowRepeatedSpeaker,
      maxSelectorAttempts: config.maxSelectorAttempts,
      selectorFunc: config.selectorFunc ? context.function<SelectorFunc>(config.selectorFunc, "selectorFunc") : undefined,
      candidateFunc: config.candidateFunc ? context.function<CandidateFunc>(config.candidateFunc, "candidateFunc") : undefined,
      modelClientStreaming: config.modelClientStreaming,
    }),
});

const edgeSchema = z
  .strictObject({
    target: z.string().min(1),
    /** Followed when the source's message contains this text. */
    condition: z.string().optional(),
    /** Followed when the registered function of this name returns true for the message. */
    conditionFunction: referenceNameSchema.optional(),
  })
  .refine((edge) => edge.condition === undefined || edge.conditionFunction === undefined, {
    message: "has both condition and conditionFunction; keep one",
  });

const graphSchema = z.strictObject({
  nodes: z.record(
    z.string(),
    z.strictObject({ name: z.string().optional(), activation: z.enum(["all", "any"]).optional(), edges: z.array(edgeSchema).optional() }),
  ),
  entryPoint: z.string().optional(),
});
type GraphConfig = z.infer<typeof graphSchema>;

function dumpGraph(graph: DiGraph, context: DumpContext): GraphConfig {
  const nodes: GraphConfig["nodes"] = {};
  for (const [name, node] of Object.entries(graph.nodes)) {
    const edges = node.edges.map((edge, index) => {
      if (edge.condition === undefined) return { target: edge.target };
      if (typeof edge.condition === "string") return { target: edge.target, condition: edge.condition };
      const conditionFunction = context.functionName(edge.condition);
      // Dropping a condition would change where the graph goes (and could make a loop endless).
      if (conditionFunction === undefined)
        throw context.error(
          `graph.nodes.${name}.edges[${index}]`,
          `the edge ${name} -> ${edge.target} has a function condition, and a dump records functions by name only. ` +
            'Name it: dumpComponent(team, { functions: { approved: condition } }), or use a text condition (addEdge(a, b, { condition: "APPROVE" })).',
        );
      return { target: edge.target, conditionFunction };
    });
    nodes[name] = { name, activation: node.activation, edges };
  }
  return { nodes, ...(graph.entryPoint !== undefined ? { entryPoint: graph.entryPoint } : {}) };
}

function loadGraph(config: GraphConfig, context: LoadContext): DiGraph {
  const nodes: Record<string, DiGraphNode> = {};
  for (const [name, node] of Object.entries(config.nodes)) {
    const edges = (node.edges ?? []).map((edge, index): DiGraphEdge => {
      if (edge.conditionFunction !== undefined)
        return {
          target: edge.target,
          condition: context.function<(message: ChatMessage) => boolean>(edge.conditionFunction, `graph.nodes.${name}.edges[${index}].conditionFunction`),
        };
      return edge.condition !== undefined ? { target: edge.target, condition: edge.condition } : { target: edge.target };
    });
    nodes[name] = { name: node.name ?? name, activation: node.activation ?? "all", edges };
  }
  try {
    return new DiGraph({ nodes, entryPoint: config.entryPoint });
  } catch (error) {
    throw context.error("graph", (error as Error).message);
  }
}

export const graphFlowComponent = defineComponent({
  provider: "agentbook.GraphFlow",
  componentType: "team",
  componentVersion: 1,
  label: "GraphFlow",
  description: "A team that runs its participants along a directed graph.",
  classes: [GraphFlow],
  configSchema: z.strictObject({ ...teamShape, graph: graphSchema }),
  dump: (team: GraphFlow, context) => ({ ...dumpTeam(team, context), graph: dumpGraph(team.graph, context) }),
  load: (config, context) => new GraphFlow({ ...loadTeamOptions(config, context), graph: loadGraph(config.graph, context) }),
});

/** The teams agentbook can dump and load. */
export const teamComponents = [roundRobinGroupChatComponent, selectorGroupChatComponent, swarmComponent, graphFlowComponent];
