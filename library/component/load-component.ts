import type { CodeExecutor } from "../code/code-executor.ts";
import { UserError } from "../errors.ts";
import type { Memory } from "../memory/memory.ts";
import "./builtin-components.ts";
import type { ComponentDefinition, LoadContext, NamedFunction } from "./component-definition.ts";
import { COMPONENT_SPEC_VERSION, componentModelSchema, type ComponentType } from "./component-model.ts";
import { memoriesOf, toolRegistryOf, type ComponentReferences } from "./component-references.ts";
import { componentDefinition, registeredProviders } from "./component-registry.ts";
import { configError, joinPath } from "./config-errors.ts";
import type { ToolRegistry } from "./tool-registry.ts";

/** Options of `loadComponent`: the objects the JSON refers to by name, and the kind expected. */
export interface LoadComponentOptions extends ComponentReferences {
  /** Refuse a component of another kind (for example "team" when a team is expected). */
  componentType?: ComponentType;
}

/** Providers of AutoGen's Python classes whose agentbook counterpart has another name. */
const RENAMED: Readonly<Record<string, string>> = {
  FunctionTool: "agentbook.ToolReference",
  PythonCodeExecutionTool: "agentbook.ToolReference",
};

function unknownProvider(provider: string, path: string, expectedType: ComponentType | undefined): UserError {
  const last = provider.split(".").at(-1) ?? provider;
  const suggestion = RENAMED[last] ?? (componentDefinition(`agentbook.${last}`) ? `agentbook.${last}` : undefined);
  const hint =
    suggestion === "agentbook.ToolReference"
      ? ` Tools are referenced by name, never loaded from code: use { "provider": "agentbook.ToolReference", "config": { "name": "<tool name>" } } and pass the tool to loadComponent.`
      : suggestion
        ? ` Did you mean "${suggestion}"?`
        : "";
  const known = registeredProviders(expectedType);
  return new UserError(
    `${joinPath(path, "provider")}: unknown provider "${provider}".${hint} ` +
      `Known${expectedType ? ` ${expectedType}` : ""} providers: ${known.join(", ")}. Register your own class with registerComponent().`,
  );
}

function knownFields(definition: ComponentDefinition): string[] | undefined {
  const shape = (definition.configSchema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : undefined;
}

function listed(names: Iterable<string>): string {
  const all = [...names].sort();
  return all.length ? all.join(", ") : "none";
}

/**
 * Build the object a component JSON declares (what `dumpComponent` wrote, or JSON written by
 * hand): a model client, agent, team, termination condition, model context, tool or memory.
 * `json` may be the parsed object or its text. Nothing in it is evaluated: tools, functions,
 * code executors and non-list memories are looked up by name in `options`, and API keys are read
 * from the environment variables the JSON names. Every problem is a UserError naming the field
 * and the fix.
 *
 * ```ts
 * const team = loadComponent<RoundRobinGroupChat>(json, { tools: [weatherTool], componentType: "team" });
 * await team.run({ task: "What is the weather in Paris?" });
 * ```
 */
export function loadComponent<T = unknown>(json: unknown, options: LoadComponentOptions = {}): T {
  let parsed = json;
  if (typeof json === "string") {
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new UserError(`loadComponent got text that is not JSON (${(error as Error).message}); pass the component object or its JSON text.`, {
        cause: error,
      });
    }
  }
  let tools: ToolRegistry | undefined;
  let memories: Map<string, Memory> | undefined;
  const env = options.env ?? process.env;
  // Errors that already say where they happened; any other UserError gets the component's place in front.
  const located = new WeakSet<Error>();
  const locate = (error: UserError): UserError => {
    located.add(error);
    return error;
  };
  const fail = (message: string, cause?: unknown): UserError => locate(new UserError(message, cause === undefined ? undefined : { cause }));

  const loadAt = (value: unknown, path: string, expectedType: ComponentType | undefined): unknown => {
    const where = path || "the component";
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw fail(
        `${where} must be a component: an object { "provider": "agentbook.<Class>", "config": { ... } }; got ${Array.isArray(value) ? "an array" : JSON.stringify(value)}.`,
      );
    const envelope = componentModelSchema.safeParse(value);
    if (!envelope.success) throw locate(configError(`The component at ${where}`, path, envelope.error, Object.keys(componentModelSchema.shape)));
    const { provider, version, component_type, component_version } = envelope.data;
    const definition = componentDefinition(provider);
    if (!definition) throw locate(unknownProvider(provider, path, expectedType));
    if (version != null && version > COMPONENT_SPEC_VERSION)
      throw fail(
        `${joinPath(path, "version")}: the component envelope is version ${version}, newer than this agentbook reads (${COMPONENT_SPEC_VERSION}); upgrade agentbook, or write "version": ${COMPONENT_SPEC_VERSION}.`,
      );
    if (component_type != null && component_type !== definition.componentType)
      throw fail(
        `${joinPath(path, "component_type")}: "${component_type}" does not match ${provider}, which is a "${definition.componentType}"; write "component_type": "${definition.componentType}" (or leave it out).`,
      );
    if (expectedType !== undefined && definition.componentType !== expectedType)
      throw fail(
        `${where}: a "${expectedType}" component is expected here, but ${provider} is a "${definition.componentType}"; use one of ${registeredProviders(expectedType).join(", ")}.`,
      );
    if (component_version != null && component_version > definition.componentVersion)
      throw fail(
        `${joinPath(path, "component_version")}: ${provider} config version ${component_version} is newer than this agentbook reads (${definition.componentVersion}); upgrade agentbook, or rewrite the config for version ${definition.componentVersion}.`,
      );
    const configPath = joinPath(path, "config");
    const config = definition.configSchema.safeParse(envelope.data.config);
    if (!config.success) throw locate(configError(`The config of ${provider} at ${where}`, configPath, config.error, knownFields(definition)));

    const fieldPath = (field: string) => joinPath(configPath, field);
    const context: LoadContext = {
      path,
      load: <C>(child: unknown, field: string, type: ComponentType) => loadAt(child, fieldPath(field), type) as C,
      function: <F extends NamedFunction>(name: string, field: string): F => {
        const fn = options.functions?.[name];
        if (typeof fn === "function") return fn as F;
        throw fail(
          `${fieldPath(field)}: no function named "${name}" is registered (registered: ${listed(Object.keys(options.functions ?? {}))}). ` +
            `Pass it when loading: loadComponent(json, { functions: { ${name}: yourFunction } }).`,
        );
      },
      tool: (name, field) => {
        tools ??= toolRegistryOf(options);
        try {
          return tools.get(name);
        } catch (error) {
          throw fail(`${fieldPath(field)}: ${(error as Error).message}`, error);
        }
      },
      memory: (name, field) => {
        memories ??= memoriesOf(options);
        const memory = memories.get(name);
        if (memory) return memory;
        throw fail(
          `${fieldPath(field)}: no memory named "${name}" is registered (registered: ${listed(memories.keys())}). ` +
            "Pass it when loading: loadComponent(json, { memories: [memory] }).",
        );
      },
      codeExecutor: (name, field): CodeExecutor => {
        const executor = options.codeExecutors?.[name];
        if (executor) return executor;
        throw fail(
          `${fieldPath(field)}: no code executor named "${name}" is registered (registered: ${listed(Object.keys(options.codeExecutors ?? {}))}). ` +
            `Pass it when loading: loadComponent(json, { codeExecutors: { ${name}: executor } }).`,
        );
      },
      error: (field, message) => fail(`${fieldPath(field)}: ${message}`),
      secret: (name, field) => {
        const secret = env[name];
        if (secret !== undefined && secret.trim() !== "") return secret;
        throw fail(
          `${name} is not set, and ${fieldPath(field)} says the API key comes from it: set ${name}, or change ${fieldPath(field)} to the variable that holds the key.`,
        );
      },
    };
    try {
      return definition.load(config.data, context);
    } catch (error) {
      // A constructor refusing the options (two participants with one name...) does not know where it sits.
      if (!(error instanceof UserError) || located.has(error)) throw error;
      throw fail(`${path ? `${path} (${provider})` : provider}: ${error.message}`, error);
    }
  };
  return loadAt(parsed, "", options.componentType) as T;
}
