import type { AgentId } from "./agent-id.ts";
import type { AgentRuntime } from "./agent-runtime.ts";
import type { MessageContext } from "./message-context.ts";

/** Plain-JSON state of one core agent. */
export type AgentStateRecord = Record<string, unknown>;

/**
 * A core agent: something that lives in a runtime under an AgentId and handles messages.
 * Most agents extend RoutedAgent rather than implementing this directly.
 */
export interface Agent {
  /** Where the agent lives in its runtime. */
  readonly id: AgentId;
  /** What the agent does, for humans and routers. */
  readonly description?: string;
  /** Handle one message; for `sendMessage` the returned value is the reply. */
  onMessage(message: unknown, context: MessageContext): Promise<unknown>;
  /** Plain-JSON state, for `runtime.saveState()`. */
  saveState(): Promise<AgentStateRecord>;
  /** Restore what `saveState` returned. */
  loadState(state: AgentStateRecord): Promise<void>;
  /** Release resources; called by `runtime.close()`. */
  close(): Promise<void>;
}

/** What an agent factory is told about the instance it makes. */
export interface AgentInstantiation {
  /** The id the new agent lives under. */
  id: AgentId;
  /** The runtime it lives in. */
  runtime: AgentRuntime;
}

/** Makes the agent instance for one AgentId, the first time a message is addressed to it. */
export type AgentFactory<A extends Agent = Agent> = (instantiation: AgentInstantiation) => A | Promise<A>;

/** A registered agent type, as `registerFactory` returns it. */
export interface AgentType {
  type: string;
}
