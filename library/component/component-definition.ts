import type { z } from "zod";
import type { CodeExecutor } from "../code/code-executor.ts";
import type { UserError } from "../errors.ts";
import type { Memory } from "../memory/memory.ts";
import type { Tool } from "../tools/tool.ts";
import type { ComponentModel, ComponentType } from "./component-model.ts";

/** A function that a component refers to by name (a selector, an input function, a token provider...). */
export type NamedFunction = (...args: any[]) => unknown;

/** What a definition's `dump` may ask for while writing a config. */
export interface DumpContext {
  /** Where in the dump this component sits, for messages ("config.participants[1]"). */
  readonly path: string;
  /** Dump a nested component (a model client inside an agent, an agent inside a team). */
  dump(value: unknown, field: string): ComponentModel;
  /** The name `fn` was registered under in `functions`, or undefined (the caller then leaves it out with a note, or throws). */
  functionName(fn: NamedFunction): string | undefined;
  /** The name `executor` was registered under in `codeExecutors`; throws a UserError naming the fix when it was not. */
  codeExecutorName(executor: CodeExecutor): string;
  /** Record what the dump left out and how to put it back (it lands in the component's `notes`). */
  note(text: string): void;
  /** A UserError about `field` of this component's config, its full path in front ("config.participants[0].config.x: ..."). */
  error(field: string, message: string): UserError;
}

/** What a definition's `load` may ask for while building an object. */
export interface LoadContext {
  /** Where in the JSON this component sits, for messages ("config.participants[1]"). */
  readonly path: string;
  /** Load a nested component, checking it is of `expectedType`. */
  load<T = unknown>(json: unknown, field: string, expectedType: ComponentType): T;
  /** The function registered under `name` in `functions`; throws a UserError listing what is registered. */
  function<F extends NamedFunction = NamedFunction>(name: string, field: string): F;
  /** The tool registered under `name`; throws a UserError listing what is registered. */
  tool(name: string, field: string): Tool;
  /** The memory registered under `name`; throws a UserError listing what is registered. */
  memory(name: string, field: string): Memory;
  /** The code executor registered under `name`; throws a UserError listing what is registered. */
  codeExecutor(name: string, field: string): CodeExecutor;
  /** The value of environment variable `name`; throws a UserError naming the variable and the field when it is unset. */
  secret(name: string, field: string): string;
  /** A UserError about `field` of this component's config, its full path in front ("config.participants[0].config.x: ..."). */
  error(field: string, message: string): UserError;
}

/**
 * How one class becomes JSON and back. agentbook registers one per built-in class; register your
 * own with `registerComponent` to make a custom agent, condition or client loadable.
 */
export interface ComponentDefinition<T = unknown, Config extends Record<string, unknown> = Record<string, unknown>> {
  /** The name in the JSON, for example "agentbook.AssistantAgent". */
  provider: string;
  /** What kind of component the class is. */
  componentType: ComponentType;
  /** Version of the config this definition writes; loading refuses newer ones. */
  componentVersion: number;
  /** Short display name (the class name). */
  label: string;
  /** One line about the class, written into every dump. */
  description: string;
  /** Classes whose instances (exactly, not subclasses) this definition dumps. */
  classes?: ReadonlyArray<abstract new (...args: never[]) => unknown>;
  /** For definitions that dump by shape rather than class (any Tool, any Memory): checked after every exact class. */
  accepts?(value: unknown): boolean;
  /** The config as zod checks it before `load`; use strict objects so typos are reported. */
  configSchema: z.ZodType<Config>;
  /** The object's config as plain JSON; never a secret. */
  dump(value: T, context: DumpContext): Config;
  /** Build the object from a checked config. Never evaluates code from the JSON. */
  load(config: Config, context: LoadContext): T;
}

/** Type a definition without repeating its types (for `registerComponent`). */
export function defineComponent<T, Config extends Record<string, unknown>>(
  definition: ComponentDefinition<T, Config>,
): ComponentDefinition<T, Config> {
  return definition;
}
