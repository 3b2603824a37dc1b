import type { Agent, AgentFactory, AgentStateRecord, AgentType } from "./agent.ts";
import type { AgentId } from "./agent-id.ts";
import type { CancellationToken } from "./cancellation-token.ts";
import type { Subscription } from "./subscription.ts";
import type { TopicId } from "./topic-id.ts";

/** Options of `sendMessage`. */
export interface SendMessageOptions {
  /** The agent sending it (agents pass their own id; BaseAgent does it for you). */
  sender?: AgentId;
  /** Cancel to give up waiting; the handler sees the same token. */
  cancellationToken?: CancellationToken;
  /** Id of this delivery; a random UUID by default. */
  messageId?: string;
}

/** Options of `publishMessage`. */
export interface PublishMessageOptions {
  /** The agent publishing it; it does not receive its own message. */
  sender?: AgentId;
  /** Passed to every handler of the message. */
  cancellationToken?: CancellationToken;
  /** Id of this delivery; a random UUID by default. */
  messageId?: string;
}

/** Options of `register`. */
export interface RegisterOptions {
  /** Subscriptions to add for the new type (a function gets the type name). */
  subscriptions?: Array<Subscription | ((agentType: string) => Subscription)>;
}

/**
 * What agents and teams need from a runtime. SingleThreadedAgentRuntime is the in-process
 * implementation; a distributed runtime would implement the same interface.
 */
export interface AgentRuntime {
  /** True between `start()` and `stop()`: messages are being processed. */
  readonly isRunning: boolean;
  /** Register how to make agents of `type`; instances are created lazily, one per key. */
  registerFactory(type: string, factory: AgentFactory): Promise<AgentType>;
  /** `registerFactory` plus the subscriptions the type needs. */
  register(type: string, factory: AgentFactory, options?: RegisterOptions): Promise<AgentType>;
  /** Add an already constructed agent under `agentId`. */
  registerAgentInstance(agent: Agent, agentId: AgentId): Promise<AgentId>;
  /** Route topics matching `subscription` to its agents. */
  addSubscription(subscription: Subscription): Promise<void>;
  /** Remove the subscription with this id. Recipients are found when a message leaves the queue, so queued messages are affected too. */
  removeSubscription(id: string): Promise<void>;
  /** Deliver `message` to one agent and resolve with its handler's return value (rejects with the handler's error). */
  sendMessage(message: unknown, recipient: AgentId, options?: SendMessageOptions): Promise<unknown>;
  /** Deliver `message` to every agent subscribed to `topicId`; no reply. Resolves once queued. */
  publishMessage(message: unknown, topicId: TopicId, options?: PublishMessageOptions): Promise<void>;
  /** State of one agent (creating it if needed). */
  agentSaveState(agentId: AgentId): Promise<AgentStateRecord>;
  /** Restore one agent (creating it if needed). */
  agentLoadState(agentId: AgentId, state: AgentStateRecord): Promise<void>;
  /** State of every agent created so far, keyed by "type/key". */
  saveState(): Promise<Record<string, AgentStateRecord>>;
  /** Restore what `saveState` returned. */
  loadState(state: Record<string, AgentStateRecord>): Promise<void>;
  /** The agent object behind `agentId` (created if needed). */
  getUnderlyingAgentInstance<A extends Agent = Agent>(agentId: AgentId): Promise<A>;
}
