/**
 * The state behind a session dashboard: session events folded, one at a time, into the
 * `application/vnd.agentbook.dashboard+json` payload (counters, the latency gauge, the
 * conversation, the event stream, chart series). Pure and cheap per event, so a dashboard
 * keeps up with a team producing many messages a second; lists are capped at the front.
 */
import type { DashboardEvent, DashboardMessage, DashboardPayload } from "../display/payloads.ts";
import { formatShortMs } from "./format.ts";
import type { SessionEvent } from "./session-events.ts";
import { percentile } from "./session-stats.ts";

/** Model-call latency thresholds of the gauge, in milliseconds. */
export interface LatencyThresholds {
  /** At or above this a call is slow (amber). Default 2,000. */
  warnMs: number;
  /** At or above this a call is too slow (red). Default 5,000. */
  alertMs: number;
}

/** Options of the dashboard state. */
export interface DashboardStateOptions {
  title: string;
  sessionId: string;
  tags: readonly string[];
  latencyThresholds?: Partial<LatencyThresholds>;
  /** Messages kept in the conversation (default 200). */
  maxMessages?: number;
  /** Lines kept in the event stream (default 500). */
  maxEvents?: number;
  /** Model calls kept for the latency chart (default 1,000). */
  maxLatencyPoints?: number;
}

export const DEFAULT_LATENCY_THRESHOLDS: LatencyThresholds = { warnMs: 2000, alertMs: 5000 };

/** Folds session events into a dashboard payload. */
export class DashboardState {
  readonly #options: Required<Omit<DashboardStateOptions, "latencyThresholds">>;
  readonly #thresholds: LatencyThresholds;
  #status: DashboardPayload["status"] = "live";
  #endState: DashboardPayload["endState"];
  #elapsedMs = 0;
  readonly #active = new Map<string, number>();
  readonly #counters: DashboardPayload["counters"] = { messages: 0, modelCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, toolCalls: 0, toolErrors: 0, errors: 0 };
  readonly #latencies: number[] = [];
  #conversation: DashboardMessage[] = [];
  readonly #byMessageId = new Map<string, DashboardMessage>();
  #events: DashboardEvent[] = [];
  #latencyPoints: DashboardPayload["series"]["modelLatency"] = [];
  readonly #tokensByAgent = new Map<string, { agent: string; inputTokens: number; outputTokens: number; costUsd: number }>();
  readonly #dropped = { conversation: 0, events: 0, modelLatency: 0 };

  constructor(options: DashboardStateOptions) {
    this.#options = {
      title: options.title,
      sessionId: options.sessionId,
      tags: [...options.tags],
      maxMessages: options.maxMessages ?? 200,
      maxEvents: options.maxEvents ?? 500,
      maxLatencyPoints: options.maxLatencyPoints ?? 1000,
    };
    this.#thresholds = { ...DEFAULT_LATENCY_THRESHOLDS, ...options.latencyThresholds };
  }

  #level(ms: number | undefined): DashboardPayload["latency"]["level"] {
    if (ms === undefined) return "none";
    return ms >= this.#thresholds.alertMs ? "alert" : ms >= this.#thresholds.warnMs ? "warn" : "ok";
  }

  #line(event: SessionEvent, text: string, level: DashboardEvent["level"] = "info", agent?: string): void {
    // In the order things happened: a speaker selection, say, is reported when its team run ends.
    let at = this.#events.length;
    while (at > 0 && this.#events[at - 1]!.elapsedMs > event.elapsedMs) at--;
    this.#events.splice(at, 0, { seq: event.seq, elapsedMs: event.elapsedMs, type: event.type, ...(agent ? { agent } : {}), text, level });
    if (this.#events.length > this.#options.maxEvents) {
      const drop = this.#events.length - this.#options.maxEvents;
      this.#events = this.#events.slice(drop);
      this.#dropped.events += drop;
    }
  }

  /** The conversation entry of a message, made on first sight (whichever event names it first). */
  #message(event: SessionEvent & { messageId: string; messageType: string; from: string; size: number; content?: string }): DashboardMessage {
    let entry = this.#byMessageId.get(event.messageId);
    if (!entry) {
      entry = { seq: event.seq, elapsedMs: event.elapsedMs, messageId: event.messageId, messageType: event.messageType, from: event.from, to: [], size: event.size };
      this.#counters.messages++;
      this.#byMessageId.set(event.messageId, entry);
      this.#conversation.push(entry);
      if (this.#conversation.length > this.#options.maxMessages) {
        const gone = this.#conversation.splice(0, this.#conversation.length - this.#options.maxMessages);
        for (const old of gone) this.#byMessageId.delete(old.messageId);
        this.#dropped.conversation += gone.length;
      }
    }
    if (event.content !== undefined && entry.content === undefined) entry.content = event.content;
    return entry;
  }

  /** Fold one event in. */
  apply(event: SessionEvent): void {
    this.#elapsedMs = Math.max(this.#elapsedMs, event.elapsedMs);
    switch (event.type) {
      case "session_start":
        this.#line(event, `session started${event.tags.length ? ` (${event.tags.join(", ")})` : ""}`);
        return;
      case "agent_turn_start":
        this.#active.set(event.agent, (this.#active.get(event.agent) ?? 0) + 1);
        this.#line(event, "takes a turn", "info", event.agent);
        return;
      case "agent_turn": {
        const left = (this.#active.get(event.agent) ?? 1) - 1;
        if (left > 0) this.#active.set(event.agent, left);
        else this.#active.delete(event.agent);
        this.#line(event, `ended its turn in ${formatShortMs(event.latencyMs)}${event.error ? ` with ${event.error}` : ""}`, event.error ? "error" : "info", event.agent);
        return;
      }
      case "message":
        if (event.target) this.#message(event).target = event.target;
        else this.#message(event);
        return;
      case "message_received": {
        const entry = this.#message(event);
        if (!entry.to.includes(event.to)) entry.to.push(event.to);
        return;
      }
      case "thought":
        this.#line(event, event.content ?? `(${event.size} characters of reasoning; turn on captureContent to see them)`, "thought", event.agent);
        return;
      case "model_call": {
        const model = event.responseModel ?? event.requestModel;
        this.#counters.modelCalls++;
        this.#counters.inputTokens += event.inputTokens;
        this.#counters.outputTokens += event.outputTokens;
        this.#counters.costUsd += event.costUsd ?? 0;
        this.#latencies.push(event.latencyMs);
        this.#latencyPoints.push({ elapsedMs: event.elapsedMs, latencyMs: event.latencyMs, model, ...(event.agent ? { agent: event.agent } : {}), ...(event.error ? { error: true } : {}) });
        if (this.#latencyPoints.length > this.#options.maxLatencyPoints) {
          this.#latencyPoints = this.#latencyPoints.slice(1);
          this.#dropped.modelLatency++;
        }
        const agent = event.agent ?? "(no agent)";
        const tokens = this.#tokensByAgent.get(agent) ?? { agent, inputTokens: 0, outputTokens: 0, costUsd: 0 };
        tokens.inputTokens += event.inputTokens;
        tokens.outputTokens += event.outputTokens;
        tokens.costUsd += event.costUsd ?? 0;
        this.#tokensByAgent.set(agent, tokens);
        const level = event.error ? "error" : this.#level(event.latencyMs) === "ok" ? "info" : "warn";
        const ttfc = event.timeToFirstChunkMs !== undefined ? `, first chunk ${formatShortMs(event.timeToFirstChunkMs)}` : "";
        const text = `${model}: ${formatShortMs(event.latencyMs)}${ttfc}, ${event.inputTokens} in / ${event.outputTokens} out${event.cached ? " (cached)" : ""}${event.error ? `, failed: ${event.error}` : ""}`;
        this.#line(event, text, level, event.agent);
        return;
      }
      case "tool_call": {
        this.#counters.toolCalls++;
        if (event.isError) this.#counters.toolErrors++;
        const args = event.arguments ?? `${event.argumentsSize} characters`;
        const outcome = event.isError ? `failed: ${event.errorType ?? "error"}${event.result ? ` (${event.result})` : ""}` : (event.result ?? `${event.resultSize} characters`);
        this.#line(event, `${event.tool}(${args}) → ${outcome} in ${formatShortMs(event.latencyMs)}`, event.isError ? "error" : "info", event.agent);
        return;
      }
      case "memory_query":
        this.#line(event, `${event.memory}: ${event.hits} hit${event.hits === 1 ? "" : "s"} in ${formatShortMs(event.latencyMs)}${event.error ? `, failed: ${event.error}` : ""}`, event.error ? "error" : "info", event.agent);
        return;
      case "code_execution": {
        const failed = event.error !== undefined || (event.exitCode !== undefined && event.exitCode !== 0);
        this.#line(event, `${event.executor} ran ${event.languages.join(", ") || "code"}: exit ${event.exitCode ?? "?"} in ${formatShortMs(event.latencyMs)}${event.error ? ` (${event.error})` : ""}`, failed ? "error" : "info", event.agent);
        return;
      }
      case "handoff":
        this.#line(event, `hands over to ${event.to}`, "info", event.from);
        return;
      case "speaker_selection":
        this.#line(event, `${event.team} picked ${event.speakers.join(", ")}`);
        return;
      case "team_run":
        this.#line(event, `${event.team} stopped after ${formatShortMs(event.latencyMs)}${event.stopReason ? `: ${event.stopReason}` : ""}${event.error ? `, failed: ${event.error}` : ""}`, event.error ? "error" : "info");
        return;
      case "error":
        this.#counters.errors++;
        this.#line(event, `${event.operation} failed: ${event.errorType}${event.message ? `: ${event.message}` : ""}`, "error", event.agent);
        return;
      case "session_end":
        this.#status = "ended";
        this.#endState = event.endState;
        this.#active.clear();
        this.#line(event, `session ended: ${event.endState}`, event.endState === "Fail" ? "error" : "info");
        return;
    }
  }

  /** The payload as it stands (a snapshot: later events do not change it). */
  payload(): DashboardPayload {
    const last = this.#latencies.at(-1);
    const clone = <T extends object>(items: readonly T[]) => items.map((item) => ({ ...item }));
    return {
      version: 1,
      title: this.#options.title,
      sessionId: this.#options.sessionId,
      tags: [...this.#options.tags],
      status: this.#status,
      ...(this.#endState ? { endState: this.#endState } : {}),
      elapsedMs: this.#elapsedMs,
      activeAgents: [...this.#active.keys()],
      counters: { ...this.#counters },
      latency: {
        ...(last !== undefined ? { lastMs: last, p50Ms: percentile(this.#latencies, 50), p95Ms: percentile(this.#latencies, 95) } : {}),
        warnMs: this.#thresholds.warnMs,
        alertMs: this.#thresholds.alertMs,
        level: this.#level(last),
      },
      conversation: this.#conversation.map((entry) => ({ ...entry, to: [...entry.to] })),
      events: clone(this.#events),
      series: { modelLatency: clone(this.#latencyPoints), tokensByAgent: clone([...this.#tokensByAgent.values()]) },
      dropped: { ...this.#dropped },
    };
  }
}
