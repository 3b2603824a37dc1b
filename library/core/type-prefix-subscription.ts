import { randomUUID } from "node:crypto";
import { UserError } from "../errors.ts";
import { AgentId } from "./agent-id.ts";
import type { Subscription } from "./subscription.ts";
import type { TopicId } from "./topic-id.ts";

/** Options of a TypePrefixSubscription. */
export interface TypePrefixSubscriptionOptions {
  /** Topics whose type starts with this prefix match. */
  topicTypePrefix: string;
  /** Agents of this type receive the messages. */
  agentType: string;
  /** Subscription id; a random UUID by default. */
  id?: string;
}

/**
 * Like TypeSubscription, but matches every topic type that starts with `topicTypePrefix`
 * ("tasks." matches "tasks.new" and "tasks.done"). The topic's source becomes the agent key.
 */
export class TypePrefixSubscription implements Subscription {
  readonly id: string;
  /** Prefix of the topic types this subscription matches. */
  readonly topicTypePrefix: string;
  /** Agent type that receives the messages. */
  readonly agentType: string;

  constructor(options: TypePrefixSubscriptionOptions) {
    if (!options || typeof options.topicTypePrefix !== "string" || typeof options.agentType !== "string")
      throw new UserError('TypePrefixSubscription needs { topicTypePrefix, agentType }, for example { topicTypePrefix: "tasks.", agentType: "worker" }.');
    this.topicTypePrefix = options.topicTypePrefix;
    this.agentType = options.agentType;
    this.id = options.id ?? randomUUID();
  }

  isMatch(topicId: TopicId): boolean {
    return topicId.type.startsWith(this.topicTypePrefix);
  }

  mapToAgent(topicId: TopicId): AgentId {
    return new AgentId(this.agentType, topicId.source);
  }
}
