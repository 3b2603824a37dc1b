import { AgentbookError } from "../errors.ts";
import type { AgentId } from "./agent-id.ts";
import type { CancellationToken } from "./cancellation-token.ts";
import type { TopicId } from "./topic-id.ts";

/** Return this from an intervention handler to drop the message. */
export const DropMessage: unique symbol = Symbol.for("agentbook.DropMessage");
export type DropMessage = typeof DropMessage;

/** What `onSend` knows about a direct message. */
export interface SendInterventionContext {
  sender?: AgentId;
  recipient: AgentId;
  messageId: string;
  cancellationToken: CancellationToken;
}

/** What `onPublish` knows about a published message. */
export interface PublishInterventionContext {
  sender?: AgentId;
  topicId: TopicId;
  messageId: string;
  cancellationToken: CancellationToken;
}

/** What `onResponse` knows about a reply: `sender` answered, `recipient` asked. */
export interface ResponseInterventionContext {
  sender: AgentId;
  recipient?: AgentId;
  messageId: string;
}

type Intervened = unknown | DropMessage | Promise<unknown | DropMessage>;

/**
 * Sees every message before it is delivered, in queue order, and may return it unchanged,
 * return a changed message, or return DropMessage. Use it for logging, policy checks or
 * human approval of tool calls. A dropped `sendMessage` rejects with MessageDroppedError.
 */
export interface InterventionHandler {
  onSend?(message: unknown, context: SendInterventionContext): Intervened;
  onPublish?(message: unknown, context: PublishInterventionContext): Intervened;
  onResponse?(message: unknown, context: ResponseInterventionContext): Intervened;
}

/** An intervention handler that passes everything through; extend it and override what you need. */
export class DefaultInterventionHandler implements InterventionHandler {
  onSend(message: unknown, _context: SendInterventionContext): Intervened {
    return message;
  }
  onPublish(message: unknown, _context: PublishInterventionContext): Intervened {
    return message;
  }
  onResponse(message: unknown, _context: ResponseInterventionContext): Intervened {
    return message;
  }
}

/** An intervention handler dropped a message that a sender was waiting on. */
export class MessageDroppedError extends AgentbookError {}
