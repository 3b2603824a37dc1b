import { z } from "zod";
import type { CodeExecutor } from "../code/code-executor.ts";
import { UserError } from "../errors.ts";
import type { Memory } from "../memory/memory.ts";
import type { Tool } from "../tools/tool.ts";
import type { NamedFunction } from "./component-definition.ts";
import { ToolRegistry } from "./tool-registry.ts";

/**
 * The live objects a component refers to by name. Pass the same object to `dumpComponent` (so
 * functions and code executors get their names) and to `loadComponent` (so names become objects
 * again). Nothing in the JSON is ever evaluated: code only comes from here.
 */
export interface ComponentReferences {
  /** Tools by name (a list, a record keyed by tool name, or a ToolRegistry). */
  tools?: ToolRegistry | Iterable<Tool> | Readonly<Record<string, Tool>>;
  /** Functions by name: selectorFunc, candidateFunc, inputFunc, approvalFunc, edge conditions, token providers... */
  functions?: Readonly<Record<string, NamedFunction>>;
  /** Code executors by name, for CodeExecutorAgent. */
  codeExecutors?: Readonly<Record<string, CodeExecutor>>;
  /** Memories other than ListMemory (vector stores, databases), by their name. */
  memories?: Iterable<Memory> | Readonly<Record<string, Memory>>;
  /**
   * Where `apiKeyEnv` variables are read when loading (default `process.env`). A component names
   * a server and the variable whose value it sends there, so load only JSON you trust, or pass a
   * narrowed environment here.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A name that refers to a registered object. Code is not a name, so it is refused here. */
export const referenceNameSchema = z
  .string()
  .regex(
    /^[A-Za-z_$][\w$.:-]{0,127}$/,
    "is not a name; agentbook never evaluates code from JSON. Register the function, tool or executor in the references you pass to loadComponent and write its name here",
  );

/** An environment variable name. */
export const envNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name such as OPENAI_API_KEY");

/** The tools of `references` as a registry. */
export function toolRegistryOf(references: ComponentReferences): ToolRegistry {
  const tools = references.tools;
  if (tools instanceof ToolRegistry) return tools;
  return new ToolRegistry(tools ?? []);
}

/** The memories of `references` by name. */
export function memoriesOf(references: ComponentReferences): Map<string, Memory> {
  const memories = references.memories ?? [];
  if (Symbol.iterator in Object(memories)) return new Map([...(memories as Iterable<Memory>)].map((memory) => [memory.name, memory]));
  const byName = new Map(Object.entries(memories as Record<string, Memory>));
  for (const [key, memory] of byName)
    if (memory?.name !== key)
      throw new UserError(
        `The memory registered as "${key}" is named "${memory?.name}"; components refer to memories by their own name, so register it as "${memory?.name}" (or pass a list).`,
      );
  return byName;
}
