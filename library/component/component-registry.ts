import { UserError } from "../errors.ts";
import type { ComponentDefinition } from "./component-definition.ts";
import type { ComponentType } from "./component-model.ts";

const byProvider = new Map<string, ComponentDefinition>();
const byClass = new Map<unknown, ComponentDefinition>();
const byShape: ComponentDefinition[] = [];

/**
 * Make a class dumpable and loadable. agentbook registers its own classes; register yours to put
 * a custom agent, condition or model client into JSON:
 *
 * ```ts
 * registerComponent({
 *   provider: "myapp.QuestionTermination", componentType: "termination", componentVersion: 1,
 *   label: "QuestionTermination", description: "Stops when an agent asks a question.",
 *   classes: [QuestionTermination], configSchema: z.strictObject({}),
 *   dump: () => ({}), load: () => new QuestionTermination(),
 * });
 * ```
 */
export function registerComponent<T, Config extends Record<string, unknown>>(
  definition: ComponentDefinition<T, Config>,
  options: { replace?: boolean } = {},
): void {
  if (!definition || typeof definition.provider !== "string" || !/^[A-Za-z_][\w.-]*$/.test(definition.provider))
    throw new UserError(`registerComponent needs a provider name such as "myapp.MyAgent"; got ${JSON.stringify(definition?.provider)}.`);
  if (!definition.classes?.length && !definition.accepts)
    throw new UserError(`Component "${definition.provider}" needs classes (or an accepts function) to know which objects it dumps.`);
  if (byProvider.has(definition.provider) && !options.replace)
    throw new UserError(`A component named "${definition.provider}" is already registered; pass { replace: true } to replace it.`);
  const erased = definition as unknown as ComponentDefinition;
  const previous = byProvider.get(definition.provider);
  if (previous) {
    for (const [cls, known] of byClass) if (known === previous) byClass.delete(cls);
    const index = byShape.indexOf(previous);
    if (index >= 0) byShape.splice(index, 1);
  }
  byProvider.set(definition.provider, erased);
  for (const cls of definition.classes ?? []) byClass.set(cls, erased);
  if (definition.accepts) byShape.push(erased);
}

/** The definition registered under `provider`, if any. */
export function componentDefinition(provider: string): ComponentDefinition | undefined {
  return byProvider.get(provider);
}

/** The definition that dumps `value`: the one registered for its exact class, else the first that accepts its shape. */
export function componentDefinitionFor(value: unknown): ComponentDefinition | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const exact = byClass.get(Object.getPrototypeOf(value)?.constructor);
  if (exact) return exact;
  return byShape.find((definition) => definition.accepts!(value));
}

/** Registered provider names, optionally of one component type, sorted. */
export function registeredProviders(componentType?: ComponentType): string[] {
  return [...byProvider.values()]
    .filter((definition) => componentType === undefined || definition.componentType === componentType)
    .map((definition) => definition.provider)
    .sort();
}
