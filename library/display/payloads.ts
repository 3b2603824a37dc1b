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

/** The method a library object implements to render itself: `[DISPLAY]() -> MimeBundle`. */
export const DISPLAY = Symbol.for("agentbook.display");

/** MIME type -> data. Text types hold strings; JSON types hold JSON values. */
export type MimeBundle = Record<string, unknown>;

/** Something that renders itself in a notebook. */
export interface Displayable {
  [DISPLAY](): MimeBundle;
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
