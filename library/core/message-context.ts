import type { AgentId } from "./agent-id.ts";
import type { CancellationToken } from "./cancellation-token.ts";
import type { TopicId } from "./topic-id.ts";

/** What a message handler knows about the message it is handling. */
export interface MessageContext {
  /** The agent that sent or published it; undefined when it came from outside any agent. */
  sender?: AgentId;
  /** The topic it was published to; undefined for a direct `sendMessage`. */
  topicId?: TopicId;
  /** True for `sendMessage` (the sender awaits the handler's return value), false for `publishMessage`. */
  isRpc: boolean;
  /** Cancelled when the sender gives up; pass it on to model calls and tools. */
  cancellationToken: CancellationToken;
  /** Unique id of this message delivery. */
  messageId: string;
}
