import { z } from "zod";
import {
  AssistantAgent,
  DEFAULT_ASSISTANT_SYSTEM_MESSAGE,
  type ToolCallSummaryFormatter,
} from "../agents/assistant-agent.ts";
import { Handoff } from "../agents/handoff.ts";
import { SocietyOfMindAgent } from "../agents/society-of-mind-agent.ts";
import { UserProxyAgent, type InputFunc } from "../agents/user-proxy-agent.ts";
import { CodeExecutorAgent, type ApprovalFunc } from "../code/code-executor-agent.ts";
import type { CodeExecutor } from "../code/code-executor.ts";
import type { Memory } from "../memory/memory.ts";
import type { ChatCompletionContext } from "../model-context/chat-completion-context.ts";
import type { ChatCompletionClient, ParseableSchema } from "../models/types.ts";
import type { Team } from "../teams/team.ts";
import type { Tool } from "../tools/tool.ts";
import { defineComponent, type DumpContext } from "./component-definition.ts";
import { referenceNameSchema } from "./component-references.ts";
import { nestedComponentSchema } from "./config-schemas.ts";
import { componentOrNameSchema, loadComponentOrName } from "./reference-components.ts";

/** A zod schema (what `z.toJSONSchema` can describe), as opposed to any object with `safeParse`. */
function isZodSchema(value: unknown): value is z.ZodType {
  return typeof value === "object" && value !== null && "_zod" in value;
}

/** `fn` by its registered name, or undefined with a note saying how to keep it. */
function functionByName(fn: unknown, field: string, consequence: string, context: DumpContext): string | undefined {
  if (typeof fn !== "function") return undefined;
  const name = context.functionName(fn as (...args: unknown[]) => unknown);
  if (name === undefined)
    context.note(
      `${field} left out: it is a function, and functions are recorded by name only. ${consequence} ` +
        `To keep it, dump and load with { functions: { myName: fn } }.`,
    );
  return name;
}

const handoffSchema = z.union([
  z.string().min(1),
  z.strictObject({ target: z.string().min(1), description: z.string().optional(), name: z.string().optional(), message: z.string().optional() }),
]);

const assistantAgentConfigSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  systemMessage: z.string().nullable().optional(),
  modelClient: nestedComponentSchema,
  tools: z.array(componentOrNameSchema).optional(),
  handoffs: z.array(handoffSchema).optional(),
  modelContext: nestedComponentSchema.optional(),
  memory: z.array(componentOrNameSchema).optional(),
  modelClientStream: z.boolean().optional(),
  reflectOnToolUse: z.boolean().optional(),
  maxToolIterations: z.number().int().min(1).optional(),
  toolCallSummaryFormat: z.string().optional(),
  toolCallSummaryFormatter: referenceNameSchema.optional(),
  outputContentType: z.record(z.string(), z.unknown()).optional(),
  outputContentTypeFormat: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});
type AssistantAgentConfig = z.infer<typeof assistantAgentConfigSchema>;

export const assistantAgentComponent = defineComponent({
  provider: "agentbook.AssistantAgent",
  componentType: "agent",
  componentVersion: 1,
  label: "AssistantAgent",
  description: "An agent that answers with a model and can call tools.",
  classes: [AssistantAgent],
  configSchema: assistantAgentConfigSchema,
  dump(agent: AssistantAgent, context) {
    const options = agent.options;
    const config: AssistantAgentConfig = {
      name: agent.name,
      description: agent.description,
      systemMessage: options.systemMessage === undefined ? DEFAULT_ASSISTANT_SYSTEM_MESSAGE : options.systemMessage,
      modelClient: context.dump(agent.modelClient, "modelClient"),
    };
    if (agent.tools.length > 0) config.tools = agent.tools.map((tool, index) => context.dump(tool, `tools[${index}]`));
    if (options.handoffs?.length)
      config.handoffs = options.handoffs.map((spec) => {
        const { target, description, name, message } = new Handoff(spec);
        return { target, description, name, message };
      });
    config.modelContext = context.dump(agent.modelContext, "modelContext");
    const memories = options.memory === undefined ? [] : Array.isArray(options.memory) ? options.memory : [options.memory];
    if (memories.length > 0) config.memory = memories.map((memory, index) => context.dump(memory, `memory[${index}]`));
    config.modelClientStream = options.modelClientStream ?? false;
    config.reflectOnToolUse = options.reflectOnToolUse ?? options.outputContentType !== undefined;
    config.maxToolIterations = options.maxToolIterations ?? 1;
    config.toolCallSummaryFormat = options.toolCallSummaryFormat ?? "{result}";
    const formatter = functionByName(
      options.toolCallSummaryFormatter,
      "toolCallSummaryFormatter",
      "The loaded agent uses toolCallSummaryFormat instead.",
      context,
    );
    if (formatter) config.toolCallSummaryFormatter = formatter;
    if (options.outputContentType !== undefined) {
      if (isZodSchema(options.outputContentType)) config.outputContentType = z.toJSONSchema(options.outputContentType) as Record<string, unknown>;
      else context.note("outputContentType left out: it is not a zod schema, so it cannot be written as JSON Schema. Pass a z.object(...) to keep it.");
    }
    if (options.outputContentTypeFormat !== undefined) config.outputContentTypeFormat = options.outputContentTypeFormat;
    if (Object.keys(agent.metadata).length > 0) config.metadata = { ...agent.metadata };
    return config;
  },
  load(config, context) {
    let outputContentType: ParseableSchema | undefined;
    if (config.outputContentType) {
      try {
        outputContentType = z.fromJSONSchema(config.outputContentType as Parameters<typeof z.fromJSONSchema>[0]);
      } catch (error) {
        throw context.error(
          "outputContentType",
          `not a JSON Schema agentbook can read (${(error as Error).message}); write a JSON Schema object such as { "type": "object", "properties": { ... } }.`,
        );
      }
    }
    return new AssistantAgent({
      name: config.name,
      description: config.description,
      systemMessage: config.systemMessage,
      modelClient: context.load<ChatCompletionClient>(config.modelClient, "modelClient", "model"),
      tools: config.tools?.map((entry, index) => loadComponentOrName<Tool>(entry, `tools[${index}]`, "tool", context)),
      handoffs: config.handoffs,
      modelContext: config.modelContext ? context.load<ChatCompletionContext>(config.modelContext, "modelContext", "chat_completion_context") : undefined,
      memory: config.memory?.map((entry, index) => loadComponentOrName<Memory>(entry, `memory[${index}]`, "memory", context)),
      modelClientStream: config.modelClientStream,
      reflectOnToolUse: config.reflectOnToolUse,
      maxToolIterations: config.maxToolIterations,
      toolCallSummaryFormat: config.toolCallSummaryFormat,
      toolCallSummaryFormatter: config.toolCallSummaryFormatter
        ? context.function<ToolCallSummaryFormatter>(config.toolCallSummaryFormatter, "toolCallSummaryFormatter")
        : undefined,
      outputContentType,
      outputContentTypeFormat: config.outputContentTypeFormat,
      metadata: config.metadata,
    });
  },
});

export const userProxyAgentComponent = defineComponent({
  provider: "agentbook.UserProxyAgent",
  componentType: "agent",
  componentVersion: 1,
  label: "UserProxyAgent",
  description: "An agent that stands for a human: on its turn it asks for input.",
  classes: [UserProxyAgent],
  configSchema: z.strictObject({ name: z.string(), description: z.string().optional(), inputFunc: referenceNameSchema.optional() }),
  dump(agent: UserProxyAgent, context) {
    const inputFunc = functionByName(agent.options.inputFunc, "inputFunc", "The loaded agent asks with input() instead.", context);
    return { name: agent.name, description: agent.description, ...(inputFunc ? { inputFunc } : {}) };
  },
  load: (config, context) =>
    new UserProxyAgent({
      name: config.name,
      description: config.description,
      inputFunc: config.inputFunc ? context.function<InputFunc>(config.inputFunc, "inputFunc") : undefined,
    }),
});

const codeExecutorAgentConfigSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  codeExecutor: componentOrNameSchema,
  modelClient: nestedComponentSchema.optional(),
  modelContext: nestedComponentSchema.optional(),
  modelClientStream: z.boolean().optional(),
  maxRetriesOnError: z.number().int().min(0).optional(),
  systemMessage: z.string().nullable().optional(),
  sources: z.array(z.string()).optional(),
  supportedLanguages: z.array(z.string()).optional(),
  approvalFunc: referenceNameSchema.optional(),
});
type CodeExecutorAgentConfig = z.infer<typeof codeExecutorAgentConfigSchema>;

export const codeExecutorAgentComponent = defineComponent({
  provider: "agentbook.CodeExecutorAgent",
  componentType: "agent",
  componentVersion: 1,
  label: "CodeExecutorAgent",
  description: "Runs the code blocks it receives, or writes code with a model, runs it and reports.",
  classes: [CodeExecutorAgent],
  configSchema: codeExecutorAgentConfigSchema,
  dump(agent: CodeExecutorAgent, context) {
    const options = agent.options;
    const config: CodeExecutorAgentConfig = {
      name: agent.name,
      description: agent.description,
      codeExecutor: context.dump(agent.codeExecutor, "codeExecutor"),
    };
    if (options.modelClient) config.modelClient = context.dump(options.modelClient, "modelClient");
    config.modelContext = context.dump(agent.modelContext, "modelContext");
    config.modelClientStream = options.modelClientStream ?? false;
    config.maxRetriesOnError = options.maxRetriesOnError ?? 0;
    config.systemMessage = options.systemMessage === undefined ? CodeExecutorAgent.DEFAULT_SYSTEM_MESSAGE : options.systemMessage;
    if (options.sources) config.sources = [...options.sources];
    config.supportedLanguages = [...agent.supportedLanguages];
    if (options.approvalFunc) {
      const name = context.functionName(options.approvalFunc);
      // Leaving the approval out would let the loaded agent run code nobody approved.
      if (name === undefined)
        throw context.error(
          "approvalFunc",
          "the agent asks an approval function before running code, and a dump records functions by name only. " +
            "Name it so the loaded agent asks too: dumpComponent(agent, { functions: { approve: approvalFunc } }).",
        );
      config.approvalFunc = name;
    }
    return config;
  },
  load: (config, context) =>
    new CodeExecutorAgent({
      name: config.name,
      description: config.description,
      codeExecutor: loadComponentOrName<CodeExecutor>(config.codeExecutor, "codeExecutor", "code_executor", context),
      modelClient: config.modelClient ? context.load<ChatCompletionClient>(config.modelClient, "modelClient", "model") : undefined,
      modelContext: config.modelContext ? context.load<ChatCompletionContext>(config.modelContext, "modelContext", "chat_completion_context") : undefined,
      modelClientStream: config.modelClientStream,
      maxRetriesOnError: config.maxRetriesOnError,
      systemMessage: config.systemMessage,
      sources: config.sources,
      supportedLanguages: config.supportedLanguages,
      approvalFunc: config.approvalFunc ? context.function<ApprovalFunc>(config.approvalFunc, "approvalFunc") : undefined,
    }),
});

export const societyOfMindAgentComponent = defineComponent({
  provider: "agentbook.SocietyOfMindAgent",
  componentType: "agent",
  componentVersion: 1,
  label: "SocietyOfMindAgent",
  description: "An agent whose thinking is an inner team; its model writes the answer from the team's transcript.",
  classes: [SocietyOfMindAgent],
  configSchema: z.strictObject({
    name: z.string(),
    description: z.string().optional(),
    team: nestedComponentSchema,
    modelClient: nestedComponentSchema,
    instruction: z.string().optional(),
    responsePrompt: z.string().optional(),
    modelContext: nestedComponentSchema.optional(),
  }),
  dump: (agent: SocietyOfMindAgent, context) => ({
    name: agent.name,
    description: agent.description,
    team: context.dump(agent.team, "team"),
    modelClient: context.dump(agent.modelClient, "modelClient"),
    instruction: agent.instruction,
    responsePrompt: agent.responsePrompt,
    modelContext: context.dump(agent.modelContext, "modelContext"),
  }),
  load: (config, context) =>
    new SocietyOfMindAgent({
      name: config.name,
      description: config.description,
      team: context.load<Team>(config.team, "team", "team"),
      modelClient: context.load<ChatCompletionClient>(config.modelClient, "modelClient", "model"),
      instruction: config.instruction,
      responsePrompt: config.responsePrompt,
      modelContext: config.modelContext ? context.load<ChatCompletionContext>(config.modelContext, "modelContext", "chat_completion_context") : undefined,
    }),
});

/** The agents agentbook can dump and load. */
export const agentComponents = [assistantAgentComponent, userProxyAgentComponent, codeExecutorAgentComponent, societyOfMindAgentComponent];
