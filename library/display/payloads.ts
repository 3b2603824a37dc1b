/**
 * The agentbook MIME types and their JSON payloads. The kernel writes them, the notebook UI
 * renders them; every bundle also carries `text/html` and `text/plain` fallbacks so the same
 * notebook reads well in JupyterLab, VS Code and on GitHub.
 */
import type { AgentMessage } from "../messages/types.ts";
import type { RequestUsage } from "../models/types.ts";

export const TRANSCRIPT_MIME = "application/vnd.agentbook.transcript+json";
export const MEMORY_MIME = "application/vnd.agentbook.memory+json";
export const TRACE_MIME = "application/vnd.agentbook.trace+json";
export const DASHBOARD_MIME = "application/vnd.agentbook.dashboard+json";

/** The method a library object implements to render itself: `[DISPLAY]() -> MimeBundle`. */
export const DISPLAY = Symbol.for("agentbook.display");

/** MIME type -> data. Text types hold strings; JSON types hold JSON values. */
export type MimeBundle = Record<string, unknown>;

/** Something that renders itself in a notebook. */
export interface Displayable {
  [DISPLAY](): MimeBundle;
}

/**
 * The method a library object implements to keep its output up to date after `display()`
 * showed it: it calls `update(bundle, final)` whenever it has something new (`final` for the
 * last one) and says how to stop the updates and when they are over.
 */
export const DISPLAY_LIVE = Symbol.for("agentbook.displayLive");

/** Updates in progress of a live output. */
export interface LiveDisplay {
  /** Stop sending updates. */
  stop(): void;
  /**
   * Settles when the work the display does itself is over (what awaiting `display()` waits
   * for): after the last frame of a replay, at once for a dashboard following an open session,
   * whose end is up to the user.
   */
  done: Promise<void>;
}

/** Something whose output keeps changing after it is shown (a live dashboard). */
export interface LiveDisplayable extends Displayable {
  [DISPLAY_LIVE](update: (bundle: MimeBundle, final: boolean) => void): LiveDisplay;
}

/** One message or event of a run, with when it arrived. */
export interface TranscriptEntry {
  /** The message as the library produced it (plain JSON). Streaming chunks are folded into `streaming`. */
  message: AgentMessage;
  /** Milliseconds from the start of the run to this message. */
  elapsedMs: number;
  /** Milliseconds since the previous entry (the latency of this step). */
  durationMs: number;
}

/** Payload of `application/vnd.agentbook.transcript+json`: a run, live-updated while it streams. */
export interface TranscriptPayload {
  version: 1;
  /** What ran: "team RoundRobinGroupChat", "agent assistant", ... */
  title?: string;
  status: "running" | "done" | "error" | "cancelled";
  entries: TranscriptEntry[];
  /** Text streamed so far for a message that is not complete yet, per source. */
  streaming?: { source: string; text: string } | null;
  stopReason?: string;
  /** Error text when status is "error". */
  error?: string;
  /** Sum of modelsUsage over the entries. */
  usage: RequestUsage;
  /** ISO time the run started. */
  startedAt: string;
  /** Total milliseconds, once finished. */
  durationMs?: number;
}

/** One hit of a memory query. */
export interface MemoryHit {
  content: string;
  mimeType: string;
  score?: number;
  metadata?: Record<string, unknown>;
  /** Where it came from (document path, agent that wrote it...). */
  source?: string;
}

/** Payload of `application/vnd.agentbook.memory+json`: a query and its hits. */
export interface MemoryPayload {
  version: 1;
  memory: string;
  query: string;
  hits: MemoryHit[];
  durationMs?: number;
}

/** One node of a span tree. */
export interface TraceSpan {
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: string;
  startMs: number;
  durationMs: number;
  status: "ok" | "error" | "unset";
  attributes: Record<string, string | number | boolean>;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

/** Payload of `application/vnd.agentbook.trace+json`: a span tree with latency, tokens and cost. */
export interface TracePayload {
  version: 1;
  traceId: string;
  title?: string;
  spans: TraceSpan[];
}

/** One message in a dashboard's conversation. */
export interface DashboardMessage {
  /** Session event number of the first event that mentioned it. */
  seq: number;
  /** Milliseconds from the session's start. */
  elapsedMs: number;
  messageId: string;
  messageType: string;
  /** Who said it. */
  from: string;
  /** The agents it was delivered to, as far as the session has seen. */
  to: string[];
  /** For a HandoffMessage, the agent that takes over. */
  target?: string;
  /** Characters of its text. */
  size: number;
  /** Its text, when the session captures content. */
  content?: string;
}

/** One line of a dashboard's event stream. */
export interface DashboardEvent {
  seq: number;
  elapsedMs: number;
  /** The session event type ("thought", "model_call", "tool_call", "error"...). */
  type: string;
  agent?: string;
  /** A one-line description ("gpt-4o: 812 ms, 120 in / 45 out"). */
  text: string;
  /** How to show it: errors stand out, thoughts read as the agent's reasoning. */
  level: "info" | "thought" | "warn" | "error";
}

/** One model call, for the latency chart. */
export interface DashboardLatencyPoint {
  elapsedMs: number;
  latencyMs: number;
  model: string;
  agent?: string;
  /** The call failed. */
  error?: boolean;
}

/** Payload of `application/vnd.agentbook.dashboard+json`: a session, live-updated while it runs. */
export interface DashboardPayload {
  version: 1;
  title: string;
  sessionId: string;
  tags: string[];
  /** "live" while the session is open. */
  status: "live" | "ended";
  endState?: "Success" | "Fail" | "Indeterminate";
  /** Milliseconds from the session's start to its latest event. */
  elapsedMs: number;
  /** Agents in the middle of a turn right now. */
  activeAgents: string[];
  counters: {
    messages: number;
    modelCalls: number;
    inputTokens: number;
    outputTokens: number;
    /** Dollars, over the calls whose model has a price. */
    costUsd: number;
    toolCalls: number;
    toolErrors: number;
    /** Failed operations of any kind (model calls, tools, code, agent turns). */
    errors: number;
  };
  /** Model-call latency for the gauge: the latest call against the thresholds, and p50 / p95 so far. */
  latency: {
    lastMs?: number;
    p50Ms?: number;
    p95Ms?: number;
    /** At or above this the gauge turns amber. */
    warnMs: number;
    /** At or above this the gauge turns red. */
    alertMs: number;
    /** Where the latest call falls; "none" before the first call. */
    level: "none" | "ok" | "warn" | "alert";
  };
  /** The latest messages (older ones are counted in `dropped`). */
  conversation: DashboardMessage[];
  /** The latest events, thoughts and errors (older ones are counted in `dropped`). */
  events: DashboardEvent[];
  /** Data for the charts: latency of each model call over the run, tokens per agent. */
  series: {
    modelLatency: DashboardLatencyPoint[];
    tokensByAgent: Array<{ agent: string; inputTokens: number; outputTokens: number; costUsd: number }>;
  };
  /** How many entries were left out at the front of each list to keep the payload small. */
  dropped: { conversation: number; events: number; modelLatency: number };
}
