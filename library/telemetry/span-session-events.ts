/**
 * How finished spans become session events (see session-events.ts for the shapes). One span
 * gives the events it carries (messages, thoughts, handoffs, speaker selections) and one event
 * for the operation itself (model call, tool call, ...), plus an `error` event when it failed.
 */
import { findModelPrice, costOf } from "./model-prices.ts";
import type { PriceTable } from "./model-prices.ts";
import type { RecordedAttributeValue, RecordedSpan } from "./recorded-span.ts";
import { ATTR, EVENT, EVENT_ATTR } from "./semantic-conventions.ts";
import type { SessionEventInit } from "./session-events.ts";

type Attributes = Record<string, RecordedAttributeValue>;

/** A string attribute, or undefined. */
export function stringAttr(attributes: Attributes, key: string): string | undefined {
  const value = attributes[key];
  return typeof value === "string" ? value : undefined;
}

/** A number attribute, or undefined. */
export function numberAttr(attributes: Attributes, key: string): number | undefined {
  const value = attributes[key];
  return typeof value === "number" ? value : undefined;
}

function stringsAttr(attributes: Attributes, key: string): string[] {
  const value = attributes[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** What kind of agentbook span this is ("model", "tool", ...), or undefined for spans of other libraries. */
export function spanKindOf(span: RecordedSpan): string | undefined {
  return stringAttr(span.attributes, ATTR.spanKind);
}

/** Dollars a `chat` span cost at `prices`, undefined when its model has no price; 0 for a cache hit. */
export function spanCost(span: RecordedSpan, prices: Readonly<PriceTable>): number | undefined {
  if (span.attributes[ATTR.cached] === true) return 0;
  const requested = stringAttr(span.attributes, ATTR.requestModel) ?? "";
  const served = stringAttr(span.attributes, ATTR.responseModel);
  const price = (served && findModelPrice(served, prices)) || findModelPrice(requested, prices);
  if (!price) return undefined;
  return costOf(price, numberAttr(span.attributes, ATTR.usageInputTokens) ?? 0, numberAttr(span.attributes, ATTR.usageOutputTokens) ?? 0);
}

/** Everything a finished span reports. `agent` is the agent it ran under, when known. */
export function sessionEventsFromSpan(span: RecordedSpan, agent: string | undefined, prices: Readonly<PriceTable>): SessionEventInit[] {
  const a = span.attributes;
  const ids = { traceId: span.traceId, spanId: span.spanId };
  const events: SessionEventInit[] = [];
  const errorType = span.status === "error" ? (stringAttr(a, ATTR.errorType) ?? "_OTHER") : undefined;
  const kind = spanKindOf(span);

  for (const event of span.events) {
    const e = event.attributes;
    const timed = { ...ids, timeMs: event.timeMs };
    const content = stringAttr(e, EVENT_ATTR.messageContent);
    switch (event.name) {
      case EVENT.messageReceived:
        events.push({
          ...timed,
          type: "message_received",
          messageId: stringAttr(e, EVENT_ATTR.messageId) ?? "",
          messageType: stringAttr(e, EVENT_ATTR.messageType) ?? "",
          from: stringAttr(e, EVENT_ATTR.messageSource) ?? "",
          to: agent ?? "",
          size: numberAttr(e, EVENT_ATTR.messageSize) ?? 0,
          ...(content !== undefined ? { content } : {}),
        });
        break;
      case EVENT.messageSent: {
        const target = stringAttr(e, EVENT_ATTR.messageTarget);
        events.push({
          ...timed,
          type: "message",
          messageId: stringAttr(e, EVENT_ATTR.messageId) ?? "",
          messageType: stringAttr(e, EVENT_ATTR.messageType) ?? "",
          from: stringAttr(e, EVENT_ATTR.messageSource) ?? agent ?? "",
          size: numberAttr(e, EVENT_ATTR.messageSize) ?? 0,
          ...(target ? { target } : {}),
          ...(content !== undefined ? { content } : {}),
        });
        break;
      }
      case EVENT.thought: {
        const thought = stringAttr(e, EVENT_ATTR.thoughtContent);
        events.push({
          ...timed,
          type: "thought",
          ...(agent ? { agent } : {}),
          model: stringAttr(a, ATTR.requestModel) ?? "",
          size: numberAttr(e, EVENT_ATTR.thoughtSize) ?? 0,
          ...(thought !== undefined ? { content: thought } : {}),
        });
        break;
      }
      case EVENT.handoff:
        events.push({
          ...timed,
          type: "handoff",
          from: stringAttr(e, EVENT_ATTR.handoffFrom) ?? agent ?? "",
          to: stringAttr(e, EVENT_ATTR.handoffTo) ?? "",
        });
        break;
      case EVENT.speakerSelection:
        events.push({
          ...timed,
          type: "speaker_selection",
          team: stringAttr(a, ATTR.workflowName) ?? span.name,
          speakers: stringsAttr(e, EVENT_ATTR.speakers),
        });
        break;
    }
  }

  const ended = { ...ids, timeMs: span.endTimeMs };
  const latencyMs = span.durationMs;
  const failed = errorType ? { error: errorType } : {};
  switch (kind) {
    case "model": {
      const responseModel = stringAttr(a, ATTR.responseModel);
      const ttfc = numberAttr(a, ATTR.responseTimeToFirstChunk);
      const costUsd = errorType ? undefined : spanCost(span, prices);
      events.push({
        ...ended,
        type: "model_call",
        ...(agent ? { agent } : {}),
        provider: stringAttr(a, ATTR.providerName) ?? "",
        requestModel: stringAttr(a, ATTR.requestModel) ?? "",
        ...(responseModel ? { responseModel } : {}),
        latencyMs,
        ...(ttfc !== undefined ? { timeToFirstChunkMs: ttfc * 1000 } : {}),
        inputTokens: numberAttr(a, ATTR.usageInputTokens) ?? 0,
        outputTokens: numberAttr(a, ATTR.usageOutputTokens) ?? 0,
        ...(costUsd !== undefined ? { costUsd } : {}),
        finishReasons: stringsAttr(a, ATTR.responseFinishReasons),
        cached: a[ATTR.cached] === true,
        ...failed,
      });
      break;
    }
    case "tool": {
      const args = stringAttr(a, ATTR.toolCallArguments);
      const result = stringAttr(a, ATTR.toolCallResult);
      const toolError = stringAttr(a, ATTR.errorType);
      events.push({
        ...ended,
        type: "tool_call",
        ...(agent ? { agent } : {}),
        tool: stringAttr(a, ATTR.toolName) ?? "",
        callId: stringAttr(a, ATTR.toolCallId) ?? "",
        latencyMs,
        argumentsSize: numberAttr(a, ATTR.toolArgumentsSize) ?? 0,
        resultSize: numberAttr(a, ATTR.toolResultSize) ?? 0,
        isError: span.status === "error",
        ...(toolError ? { errorType: toolError } : {}),
        ...(args !== undefined ? { arguments: args } : {}),
        ...(result !== undefined ? { result } : {}),
      });
      break;
    }
    case "memory":
      events.push({
        ...ended,
        type: "memory_query",
        ...(agent ? { agent } : {}),
        memory: stringAttr(a, ATTR.dataSourceId) ?? "",
        hits: numberAttr(a, ATTR.memoryHits) ?? 0,
        latencyMs,
        ...failed,
      });
      break;
    case "code": {
      const exitCode = numberAttr(a, ATTR.codeExitCode);
      events.push({
        ...ended,
        type: "code_execution",
        ...(agent ? { agent } : {}),
        executor: stringAttr(a, ATTR.codeExecutor) ?? "",
        languages: stringsAttr(a, ATTR.codeLanguages),
        ...(exitCode !== undefined ? { exitCode } : {}),
        latencyMs,
        ...failed,
      });
      break;
    }
    case "agent":
      events.push({ ...ended, type: "agent_turn", agent: stringAttr(a, ATTR.agentName) ?? agent ?? "", latencyMs, ...failed });
      break;
    case "team": {
      const stopReason = stringAttr(a, ATTR.teamStopReason);
      events.push({
        ...ended,
        type: "team_run",
        team: stringAttr(a, ATTR.workflowName) ?? span.name,
        latencyMs,
        ...(stopReason ? { stopReason } : {}),
        ...failed,
      });
      break;
    }
  }
  if (errorType) {
    const message = stringAttr(a, ATTR.errorMessage);
    events.push({
      ...ended,
      type: "error",
      operation: span.name,
      errorType,
      ...(agent ? { agent } : {}),
      ...(message !== undefined ? { message } : {}),
    });
  }
  return events;
}
