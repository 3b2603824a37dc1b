import { AsyncLocalStorage } from "node:async_hooks";
import type { AgentInstantiation } from "./agent.ts";

const instantiationStorage = new AsyncLocalStorage<AgentInstantiation>();

/**
 * While a runtime runs an agent factory, this tells the agent's constructor which id and
 * runtime it belongs to, so `class MyAgent extends RoutedAgent` needs no id parameter.
 */
export const AgentInstantiationContext = {
  /** Run `fn` (a factory) with `instantiation` as the current context. */
  run<T>(instantiation: AgentInstantiation, fn: () => T): T {
    return instantiationStorage.run(instantiation, fn);
  },
  /** The id and runtime of the agent being made now, if a factory is running. */
  current(): AgentInstantiation | undefined {
    return instantiationStorage.getStore();
  },
};
