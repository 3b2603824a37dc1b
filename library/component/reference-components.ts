/**
 * Things that are code, recorded by name: a dump writes the name, a load looks the object up in
 * the references passed to `loadComponent`. Nothing is ever built from code in the JSON.
 */
import { z } from "zod";
import type { CodeExecutor } from "../code/code-executor.ts";
import type { Memory } from "../memory/memory.ts";
import type { Tool } from "../tools/tool.ts";
import { defineComponent, type LoadContext } from "./component-definition.ts";
import type { ComponentModel, ComponentType } from "./component-model.ts";
import { referenceNameSchema } from "./component-references.ts";
import { nestedComponentSchema } from "./config-schemas.ts";

function isTool(value: unknown): value is Tool {
  const tool = value as Tool;
  return typeof tool?.runJson === "function" && typeof tool.name === "string" && typeof tool.schema === "object";
}

function isMemory(value: unknown): value is Memory {
  const memory = value as Memory;
  return typeof memory?.query === "function" && typeof memory.updateContext === "function" && typeof memory.name === "string";
}

function isCodeExecutor(value: unknown): value is CodeExecutor {
  return typeof (value as CodeExecutor)?.executeCodeBlocks === "function";
}

const nameSchema = z.strictObject({ name: referenceNameSchema });

export const toolReferenceComponent = defineComponent({
  provider: "agentbook.ToolReference",
  componentType: "tool",
  componentVersion: 1,
  label: "ToolReference",
  description: "A tool, by name; loading takes it from the tools passed to loadComponent.",
  accepts: isTool,
  configSchema: nameSchema,
  dump: (tool: Tool) => ({ name: tool.name }),
  load: (config, context) => context.tool(config.name, "name"),
});

export const memoryReferenceComponent = defineComponent({
  provider: "agentbook.MemoryReference",
  componentType: "memory",
  componentVersion: 1,
  label: "MemoryReference",
  description: "A memory, by name; loading takes it from the memories passed to loadComponent.",
  accepts: isMemory,
  configSchema: nameSchema,
  dump: (memory: Memory) => ({ name: memory.name }),
  load: (config, context) => context.memory(config.name, "name"),
});

export const codeExecutorReferenceComponent = defineComponent({
  provider: "agentbook.CodeExecutorReference",
  componentType: "code_executor",
  componentVersion: 1,
  label: "CodeExecutorReference",
  description: "A code executor, by name; loading takes it from the codeExecutors passed to loadComponent.",
  accepts: isCodeExecutor,
  configSchema: nameSchema,
  dump: (executor: CodeExecutor, context) => ({ name: context.codeExecutorName(executor) }),
  load: (config, context) => context.codeExecutor(config.name, "name"),
});

/** A nested component, or (for hand-written JSON) just the name of a referenced object. */
export const componentOrNameSchema = z.union([referenceNameSchema, nestedComponentSchema]);

/** Load an entry that is a component or a bare name of a tool, memory or code executor. */
export function loadComponentOrName<T>(
  entry: string | ComponentModel,
  field: string,
  type: Extract<ComponentType, "tool" | "memory" | "code_executor">,
  context: LoadContext,
): T {
  if (typeof entry !== "string") return context.load<T>(entry, field, type);
  if (type === "tool") return context.tool(entry, field) as T;
  if (type === "memory") return context.memory(entry, field) as T;
  return context.codeExecutor(entry, field) as T;
}

/** The components recorded by name. */
export const referenceComponents = [toolReferenceComponent, memoryReferenceComponent, codeExecutorReferenceComponent];
