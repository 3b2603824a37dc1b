/**
 * What a session's spans add up to: latency per agent and per model, tokens and cost, tool error
 * rate, memory hit rate, and who said what to whom. Pure functions of the recorded spans, so a
 * session loaded from JSONL answers exactly as it did live.
 */
import type { PriceTable } from "./model-prices.ts";
import type { RecordedSpan } from "./recorded-span.ts";
import { ATTR, EVENT, EVENT_ATTR } from "./semantic-conventions.ts";
import { numberAttr, spanCost, spanKindOf, stringAttr } from "./span-session-events.ts";

/** Latency of a kind of operation. */
export interface LatencyStats {
  count: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  totalMs: number;
}

/** Tokens and cost of some model calls. */
export interface TokenStats {
  /** Model calls counted (cache hits excluded). */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Dollars; calls whose model has no price count as 0 and are listed in `SessionSummary.cost.unpricedModels`. */
  costUsd: number;
}

/** Calls and errors of a tool, or of all tools. */
export interface ToolStats {
  calls: number;
  errors: number;
  /** errors / calls (0 without calls). */
  errorRate: number;
  latency: LatencyStats;
}

/** Queries and hits of a memory, or of all memories. */
export interface MemoryStats {
  queries: number;
  /** Queries that found at least one item. */
  queriesWithHits: number;
  /** queriesWithHits / queries (0 without queries). */
  hitRate: number;
  /** Items found, over all queries. */
  items: number;
  latency: LatencyStats;
}

/** The numbers of a session. */
export interface SessionSummary {
  /** From the first span's start to the last span's end. */
  durationMs: number;
  spans: number;
  latency: {
    /** Turn latency (`invoke_agent` spans) by agent name. */
    agents: Record<string, LatencyStats>;
    /** Model call latency (`chat` spans) by requested model. */
    models: Record<string, LatencyStats>;
  };
  tokens: {
    agents: Record<string, TokenStats>;
    models: Record<string, TokenStats>;
    total: TokenStats;
    /** Model calls a ChatCompletionCache answered (no tokens spent). */
    cachedCalls: number;
  };
  cost: {
    totalUsd: number;
    /** Models without a price in the table; add them with `setTelemetryOptions({ prices })`. */
    unpricedModels: string[];
  };
  tools: ToolStats & { byTool: Record<string, ToolStats> };
  memory: MemoryStats & { byMemory: Record<string, MemoryStats> };
  /** Failed operations (cancellations excluded). */
  errors: number;
}

/** One message: who said it, when, and who it was handed to. */
export interface ProvenanceEntry {
  messageId: string;
  messageType: string;
  /** Who said it ("user" for a task). */
  from: string;
  /** ISO time it was said (its creation time when no agent turn produced it, as for a task). */
  sentAt: string;
  /** Agents it was handed to, with when, in order. */
  to: Array<{ agent: string; at: string }>;
  /** For a HandoffMessage, the agent that takes over. */
  target?: string;
  size: number;
  /** The text, with content capture only. */
  content?: string;
}

/** A thought a model returned. */
export interface ThoughtEntry {
  at: string;
  agent?: string;
  model: string;
  size: number;
  content?: string;
}

/** Nearest-rank percentile (0..100) of `values`; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Latency statistics of `durations` (milliseconds). */
export function latencyStats(durations: readonly number[]): LatencyStats {
  const totalMs = durations.reduce((sum, value) => sum + value, 0);
  return {
    count: durations.length,
    p50Ms: durations.length ? percentile(durations, 50) : 0,
    p95Ms: durations.length ? percentile(durations, 95) : 0,
    meanMs: durations.length ? totalMs / durations.length : 0,
    totalMs,
  };
}

function group<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(item);
  }
  return groups;
}

function mapGroups<T, R>(groups: Map<string, T[]>, make: (items: T[]) => R): Record<string, R> {
  const out: Record<string, R> = {};
  for (const [key, items] of [...groups].sort(([a], [b]) => a.localeCompare(b))) out[key] = make(items);
  return out;
}

/** The agent each span ran under: its own `gen_ai.agent.name`, else its nearest ancestor's. */
export function agentsBySpan(spans: readonly RecordedSpan[]): Map<string, string | undefined> {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const memo = new Map<string, string | undefined>();
  const resolve = (span: RecordedSpan, depth = 0): string | undefined => {
    if (memo.has(span.spanId)) return memo.get(span.spanId);
    const own = stringAttr(span.attributes, ATTR.agentName);
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    const agent = own ?? (parent && depth < 64 ? resolve(parent, depth + 1) : undefined);
    memo.set(span.spanId, agent);
    return agent;
  };
  for (const span of spans) resolve(span);
  return memo;
}

function tokenStats(calls: readonly RecordedSpan[], prices: Readonly<PriceTable>, unpriced: Set<string>): TokenStats {
  const stats: TokenStats = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
  for (const span of calls) {
    if (span.attributes[ATTR.cached] === true) continue;
    stats.calls++;
    stats.inputTokens += numberAttr(span.attributes, ATTR.usageInputTokens) ?? 0;
    stats.outputTokens += numberAttr(span.attributes, ATTR.usageOutputTokens) ?? 0;
    const cost = spanCost(span, prices);
    if (cost === undefined) unpriced.add(stringAttr(span.attributes, ATTR.requestModel) ?? "unknown");
    else stats.costUsd += cost;
  }
  return stats;
}

function toolStats(spans: readonly RecordedSpan[]): ToolStats {
  const errors = spans.filter((span) => span.status === "error").length;
  return { calls: spans.length, errors, errorRate: spans.length ? errors / spans.length : 0, latency: latencyStats(spans.map((s) => s.durationMs)) };
}

function memoryStats(spans: readonly RecordedSpan[]): MemoryStats {
  const hits = spans.map((span) => numberAttr(span.attributes, ATTR.memoryHits) ?? 0);
  const queriesWithHits = hits.filter((count) => count > 0).length;
  return {
    queries: spans.length,
    queriesWithHits,
    hitRate: spans.length ? queriesWithHits / spans.length : 0,
    items: hits.reduce((sum, count) => sum + count, 0),
    latency: latencyStats(spans.map((span) => span.durationMs)),
  };
}

/** The numbers of a set of spans, costed at `prices`. */
export function summarizeSpans(spans: readonly RecordedSpan[], prices: Readonly<PriceTable>): SessionSummary {
  const of = (kind: string) => spans.filter((span) => spanKindOf(span) === kind);
  const agentOf = agentsBySpan(spans);
  const turns = of("agent");
  const calls = of("model").filter((span) => !span.unfinished);
  const tools = of("tool").filter((span) => !span.unfinished);
  const memories = of("memory").filter((span) => !span.unfinished);
  const unpriced = new Set<string>();
  const modelOf = (span: RecordedSpan) => stringAttr(span.attributes, ATTR.requestModel) ?? "unknown";
  const total = tokenStats(calls, prices, unpriced);
  const start = Math.min(...spans.map((span) => span.startTimeMs));
  const end = Math.max(...spans.map((span) => span.endTimeMs));
  return {
    durationMs: spans.length ? end - start : 0,
    spans: spans.length,
    latency: {
      agents: mapGroups(group(turns, (span) => stringAttr(span.attributes, ATTR.agentName)), (items) => latencyStats(items.map((s) => s.durationMs))),
      models: mapGroups(group(calls, modelOf), (items) => latencyStats(items.map((s) => s.durationMs))),
    },
    tokens: {
      agents: mapGroups(group(calls, (span) => agentOf.get(span.spanId)), (items) => tokenStats(items, prices, new Set())),
      models: mapGroups(group(calls, modelOf), (items) => tokenStats(items, prices, new Set())),
      total,
      cachedCalls: calls.filter((span) => span.attributes[ATTR.cached] === true).length,
    },
    cost: { totalUsd: total.costUsd, unpricedModels: [...unpriced].sort() },
    tools: { ...toolStats(tools), byTool: mapGroups(group(tools, (span) => stringAttr(span.attributes, ATTR.toolName)), toolStats) },
    memory: { ...memoryStats(memories), byMemory: mapGroups(group(memories, (span) => stringAttr(span.attributes, ATTR.dataSourceId)), memoryStats) },
    errors: spans.filter((span) => span.status === "error").length,
  };
}

/** Every message handed between agents, in the order it was said: who said it, and to whom and when it was handed. */
export function messageProvenance(spans: readonly RecordedSpan[]): ProvenanceEntry[] {
  const entries = new Map<string, ProvenanceEntry>();
  const happenings = spans
    .filter((span) => spanKindOf(span) === "agent")
    .flatMap((span) => span.events.map((event) => ({ span, event })))
    .filter(({ event }) => event.name === EVENT.messageSent || event.name === EVENT.messageReceived)
    .sort((a, b) => a.event.timeMs - b.event.timeMs);
  for (const { span, event } of happenings) {
    const e = event.attributes;
    const messageId = stringAttr(e, EVENT_ATTR.messageId) ?? "";
    let entry = entries.get(messageId);
    if (!entry) {
      const content = stringAttr(e, EVENT_ATTR.messageContent);
      const target = stringAttr(e, EVENT_ATTR.messageTarget);
      entry = {
        messageId,
        messageType: stringAttr(e, EVENT_ATTR.messageType) ?? "",
        from: stringAttr(e, EVENT_ATTR.messageSource) ?? "",
        sentAt:
          event.name === EVENT.messageSent
            ? new Date(event.timeMs).toISOString()
            : (stringAttr(e, EVENT_ATTR.messageCreatedAt) ?? new Date(event.timeMs).toISOString()),
        to: [],
        size: numberAttr(e, EVENT_ATTR.messageSize) ?? 0,
        ...(target ? { target } : {}),
        ...(content !== undefined ? { content } : {}),
      };
      entries.set(messageId, entry);
    }
    if (event.name === EVENT.messageReceived)
      entry.to.push({ agent: stringAttr(span.attributes, ATTR.agentName) ?? "", at: new Date(event.timeMs).toISOString() });
  }
  return [...entries.values()].sort((a, b) => a.sentAt.localeCompare(b.sentAt));
}

/** Every thought a model returned, in order. */
export function thoughtsOf(spans: readonly RecordedSpan[]): ThoughtEntry[] {
  const agentOf = agentsBySpan(spans);
  return spans
    .filter((span) => spanKindOf(span) === "model")
    .flatMap((span) =>
      span.events
        .filter((event) => event.name === EVENT.thought)
        .map((event) => {
          const content = stringAttr(event.attributes, EVENT_ATTR.thoughtContent);
          const agent = agentOf.get(span.spanId);
          return {
            timeMs: event.timeMs,
            entry: {
              at: new Date(event.timeMs).toISOString(),
              ...(agent ? { agent } : {}),
              model: stringAttr(span.attributes, ATTR.requestModel) ?? "",
              size: numberAttr(event.attributes, EVENT_ATTR.thoughtSize) ?? 0,
              ...(content !== undefined ? { content } : {}),
            } satisfies ThoughtEntry,
          };
        }),
    )
    .sort((a, b) => a.timeMs - b.timeMs)
    .map(({ entry }) => entry);
}
