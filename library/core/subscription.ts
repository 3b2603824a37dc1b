import type { AgentId } from "./agent-id.ts";
import type { TopicId } from "./topic-id.ts";

/**
 * Decides which agents receive a message published to a topic. A runtime asks every
 * subscription whether it matches the topic and, if so, which agent instance gets it.
 */
export interface Subscription {
  /** Unique id, used by `removeSubscription`. */
  readonly id: string;
  /** True when messages on `topicId` go to this subscription's agent type. */
  isMatch(topicId: TopicId): boolean;
  /** The agent instance that receives a message on `topicId` (only called when `isMatch`). */
  mapToAgent(topicId: TopicId): AgentId;
}
