import { AsyncLocalStorage } from "node:async_hooks";
import type { AgentId } from "./agent-id.ts";

const handlerStorage = new AsyncLocalStorage<AgentId>();

/** Run `fn` as the message handler of `agentId`, so code inside it knows which agent it is. */
export function runInHandlerContext<T>(agentId: AgentId, fn: () => T): T {
  return handlerStorage.run(agentId, fn);
}

/** The agent whose message handler is running now, if any. */
export function currentHandlerAgentId(): AgentId | undefined {
  return handlerStorage.getStore();
}
