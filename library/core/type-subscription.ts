import { randomUUID } from "node:crypto";
import { UserError } from "../errors.ts";
import { AgentId } from "./agent-id.ts";
import type { Subscription } from "./subscription.ts";
import type { TopicId } from "./topic-id.ts";

/** Options of a TypeSubscription. */
export interface TypeSubscriptionOptions {
  /** Topics of exactly this type match. */
  topicType: string;
  /** Agents of this type receive the messages. */
  agentType: string;
  /** Subscription id; a random UUID by default. */
  id?: string;
}

/**
 * Messages published to topics of `topicType` go to agents of `agentType`; the topic's source
 * becomes the agent key, so each conversation (source) gets its own agent instance.
 */
export class TypeSubscription implements Subscription {
  readonly id: string;
  /** Topic type this subscription matches. */
  readonly topicType: string;
  /** Agent type that receives the messages. */
  readonly agentType: string;

  constructor(options: TypeSubscriptionOptions) {
    if (!options || typeof options.topicType !== "string" || typeof options.agentType !== "string")
      throw new UserError('TypeSubscription needs { topicType, agentType }, for example { topicType: "default", agentType: "writer" }.');
    this.topicType = options.topicType;
    this.agentType = options.agentType;
    this.id = options.id ?? randomUUID();
  }

  isMatch(topicId: TopicId): boolean {
    return topicId.type === this.topicType;
  }

  mapToAgent(topicId: TopicId): AgentId {
    return new AgentId(this.agentType, topicId.source);
  }
}
