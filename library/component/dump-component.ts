import type { CodeExecutor } from "../code/code-executor.ts";
import { UserError } from "../errors.ts";
import "./builtin-components.ts";
import type { DumpContext } from "./component-definition.ts";
import { COMPONENT_SPEC_VERSION, type ComponentModel } from "./component-model.ts";
import type { ComponentReferences } from "./component-references.ts";
import { componentDefinitionFor } from "./component-registry.ts";
import { joinPath } from "./config-errors.ts";

function describeValue(value: unknown): string {
  if (value === null || typeof value !== "object") return `a ${value === null ? "null" : typeof value}`;
  return `a ${Object.getPrototypeOf(value)?.constructor?.name ?? "plain object"}`;
}

/**
 * The declaration of `value` (a model client, agent, team, termination condition, model context,
 * tool or memory) as plain JSON in AutoGen's ComponentModel shape; `loadComponent` builds it back.
 * Configuration only: a conversation in progress is state (`saveState()`), not part of the dump.
 *
 * Never contains a secret: an API key is recorded as the environment variable that supplies it
 * (`"apiKeyEnv": "OPENAI_API_KEY"`). Tools are recorded by name; functions and code executors by
 * the name they have in `references` (a function without one is left out, with a note saying so).
 *
 * ```ts
 * const json = JSON.stringify(dumpComponent(team, { functions: { pickNext } }), null, 2);
 * ```
 */
export function dumpComponent(value: unknown, references: ComponentReferences = {}): ComponentModel {
  const functionNames = new Map<unknown, string>();
  for (const [name, fn] of Object.entries(references.functions ?? {})) if (!functionNames.has(fn)) functionNames.set(fn, name);
  const executorNames = new Map<unknown, string>();
  for (const [name, executor] of Object.entries(references.codeExecutors ?? {}))
    if (!executorNames.has(executor)) executorNames.set(executor, name);

  const dumpAt = (target: unknown, path: string): ComponentModel => {
    const definition = componentDefinitionFor(target);
    if (!definition)
      throw new UserError(
        `dumpComponent does not know how to dump ${describeValue(target)}${path ? ` (at ${path})` : ""}. ` +
          "agentbook dumps its own model clients, agents, teams, termination conditions, model contexts, memories and tools; " +
          "register a definition with registerComponent() for your own classes.",
      );
    const notes: string[] = [];
    const context: DumpContext = {
      path,
      dump: (child, field) => dumpAt(child, joinPath(joinPath(path, "config"), field)),
      functionName: (fn) => functionNames.get(fn),
      codeExecutorName: (executor: CodeExecutor) => {
        const name = executorNames.get(executor);
        if (name !== undefined) return name;
        throw new UserError(
          `${path || "dumpComponent"}: a code executor is recorded by name, and this one has none. ` +
            "Name it when dumping and loading: dumpComponent(agent, { codeExecutors: { local: executor } }).",
        );
      },
      note: (text) => notes.push(text),
      error: (field, message) => new UserError(`${joinPath(joinPath(path, "config"), field)}: ${message}`),
    };
    const config = definition.dump(target, context);
    return {
      provider: definition.provider,
      component_type: definition.componentType,
      version: COMPONENT_SPEC_VERSION,
      component_version: definition.componentVersion,
      description: definition.description,
      label: definition.label,
      config,
      ...(notes.length > 0 ? { notes } : {}),
    };
  };
  // Plain JSON out: no undefined fields, no shared references into live objects.
  return JSON.parse(JSON.stringify(dumpAt(value, ""))) as ComponentModel;
}
