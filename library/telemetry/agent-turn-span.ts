import { context, SpanKind, trace } from "@opentelemetry/api";
import type { Attributes, Span } from "@opentelemetry/api";
import type { CancellationToken } from "../core/cancellation-token.ts";
import { messageToText } from "../messages/convert.ts";
import type { AgentMessage, ChatMessage, Response } from "../messages/types.ts";
import type { ChatCompletionClient } from "../models/types.ts";
import { describeModelClient } from "./model-call-span.ts";
import { ATTR, EVENT, EVENT_ATTR, OPERATION } from "./semantic-conventions.ts";
import { runGeneratorInSpan } from "./span-generator.ts";
import { capturingContent, instrumentationEnabled } from "./telemetry-options.ts";
import { agentbookTracer, contentText } from "./tracer.ts";

/** The part of a chat agent a turn span needs (BaseChatAgent has it). */
export interface TracedAgent {
  readonly name: string;
  readonly description?: string;
  /** The agent's model, when it has one (AssistantAgent does). */
  readonly modelClient?: ChatCompletionClient;
  onMessagesStream(messages: ChatMessage[], cancellationToken: CancellationToken): AsyncGenerator<AgentMessage | Response, void, undefined>;
}

/** Attributes of a message event: who, what kind, when, how long; the text only with content capture. */
export function messageEventAttributes(message: ChatMessage): Attributes {
  const text = messageToText(message);
  const attributes: Attributes = {
    [EVENT_ATTR.messageId]: message.id,
    [EVENT_ATTR.messageType]: message.type,
    [EVENT_ATTR.messageSource]: message.source,
    [EVENT_ATTR.messageCreatedAt]: message.createdAt,
    [EVENT_ATTR.messageSize]: text.length,
  };
  if (message.type === "HandoffMessage") attributes[EVENT_ATTR.messageTarget] = message.target;
  if (capturingContent()) attributes[EVENT_ATTR.messageContent] = contentText(text);
  return attributes;
}

function isResponse(item: AgentMessage | Response): item is Response {
  return "chatMessage" in item;
}

/**
 * One turn of `agent` (`agent.onMessagesStream(messages, token)`) inside an
 * `invoke_agent {name}` span. The messages handed in and the message the agent answers with
 * become span events (message provenance), a HandoffMessage also a handoff event. Teams and
 * `agent.run()` take every turn through here, so every kind of agent is traced.
 */
export function tracedAgentTurn(
  agent: TracedAgent,
  messages: ChatMessage[],
  cancellationToken: CancellationToken,
): AsyncGenerator<AgentMessage | Response, void, undefined> {
  if (!instrumentationEnabled()) return agent.onMessagesStream(messages, cancellationToken);
  const attributes: Attributes = {
    [ATTR.spanKind]: "agent",
    [ATTR.operationName]: OPERATION.invokeAgent,
    [ATTR.agentName]: agent.name,
    [ATTR.agentInputMessages]: messages.length,
  };
  if (agent.description) attributes[ATTR.agentDescription] = agent.description;
  if (agent.modelClient && typeof agent.modelClient.create === "function") {
    const described = describeModelClient(agent.modelClient);
    attributes[ATTR.providerName] = described.providerName;
    attributes[ATTR.requestModel] = described.requestModel;
  }
  const span: Span = agentbookTracer().startSpan(`${OPERATION.invokeAgent} ${agent.name}`, { kind: SpanKind.INTERNAL, attributes });
  if (!span.isRecording()) {
    span.end();
    return agent.onMessagesStream(messages, cancellationToken);
  }
  for (const message of messages) span.addEvent(EVENT.messageReceived, messageEventAttributes(message));
  const source = context.with(trace.setSpan(context.active(), span), () => agent.onMessagesStream(messages, cancellationToken));
  return runGeneratorInSpan(span, source, {
    onItem(item) {
      if (!isResponse(item)) return;
      const answer = item.chatMessage;
      span.addEvent(EVENT.messageSent, messageEventAttributes(answer));
      if (answer.type === "HandoffMessage")
        span.addEvent(EVENT.handoff, { [EVENT_ATTR.handoffFrom]: agent.name, [EVENT_ATTR.handoffTo]: answer.target });
    },
  });
}
