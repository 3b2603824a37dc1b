/**
 * Builds a TranscriptPayload from the messages of a run, as they stream or all at once from a
 * TaskResult. Streaming chunks are folded into `streaming` until the full message arrives.
 */
import type { AgentMessage, TaskResult } from "../messages/types.ts";
import { addUsage, emptyUsage } from "../models/types.ts";
import type { TranscriptEntry, TranscriptPayload } from "./payloads.ts";

/** True for a value shaped like a TaskResult (plain objects qualify; no class needed). */
export function isTaskResult(value: unknown): value is TaskResult {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { type?: unknown }).type === "TaskResult" &&
    Array.isArray((value as { messages?: unknown }).messages)
  );
}

const MESSAGE_TYPES = new Set<string>([
  "TextMessage",
  "MultiModalMessage",
  "StopMessage",
  "HandoffMessage",
  "ToolCallSummaryMessage",
  "StructuredMessage",
  "ToolCallRequestEvent",
  "ToolCallExecutionEvent",
  "ModelClientStreamingChunkEvent",
  "ThoughtEvent",
  "UserInputRequestedEvent",
  "MemoryQueryEvent",
  "SelectSpeakerEvent",
  "CodeGenerationEvent",
  "CodeExecutionEvent",
]);

/** True for a chat message or event of a run (a known `type`, a string `source`, a `content`). */
export function isAgentMessage(value: unknown): value is AgentMessage {
  return (
    typeof value === "object" &&
    value !== null &&
    MESSAGE_TYPES.has((value as { type?: unknown }).type as string) &&
    typeof (value as { source?: unknown }).source === "string" &&
    "content" in value
  );
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Accumulates one run's transcript. */
export class TranscriptRecorder {
  readonly #title: string | undefined;
  readonly #now: () => number;
  readonly #startedMs: number;
  readonly #startedAt: string;
  readonly #entries: TranscriptEntry[] = [];
  #streaming: { source: string; text: string } | null = null;
  #status: TranscriptPayload["status"] = "running";
  #stopReason: string | undefined;
  #error: string | undefined;
  #durationMs: number | undefined;
  #lastElapsed = 0;

  /** `now` is injectable for tests; it returns milliseconds. */
  constructor(options: { title?: string; now?: () => number } = {}) {
    this.#title = options.title;
    this.#now = options.now ?? Date.now;
    this.#startedMs = this.#now();
    this.#startedAt = new Date(this.#startedMs).toISOString();
  }

  /** Add the next item of a run stream. Returns false when the item is not part of a transcript. */
  add(item: unknown): boolean {
    if (isTaskResult(item)) {
      this.#streaming = null;
      this.#stopReason = item.stopReason;
      this.#finish("done");
      return true;
    }
    if (!isAgentMessage(item)) return false;
    if (item.type === "ModelClientStreamingChunkEvent") {
      const text = this.#streaming?.source === item.source ? this.#streaming.text : "";
      this.#streaming = { source: item.source, text: text + item.content };
      return true;
    }
    if (this.#streaming?.source === item.source) this.#streaming = null;
    const elapsedMs = Math.max(0, this.#now() - this.#startedMs);
    this.#entries.push({ message: item, elapsedMs, durationMs: elapsedMs - this.#lastElapsed });
    this.#lastElapsed = elapsedMs;
    return true;
  }

  /** The run failed with `error`. */
  fail(error: unknown): void {
    this.#error = errorText(error);
    this.#streaming = null;
    this.#finish(error instanceof Error && error.name === "CancelledError" ? "cancelled" : "error");
  }

  /** The stream ended without a TaskResult. */
  end(): void {
    if (this.#status === "running") this.#finish("done");
  }

  get status(): TranscriptPayload["status"] {
    return this.#status;
  }

  #finish(status: TranscriptPayload["status"]): void {
    this.#status = status;
    this.#durationMs = Math.max(0, this.#now() - this.#startedMs);
  }

  /** A snapshot of the transcript so far (plain JSON). */
  payload(): TranscriptPayload {
    let usage = emptyUsage();
    for (const entry of this.#entries) if (entry.message.modelsUsage) usage = addUsage(usage, entry.message.modelsUsage);
    const payload: TranscriptPayload = {
      version: 1,
      status: this.#status,
      entries: [...this.#entries],
      streaming: this.#streaming ? { ...this.#streaming } : null,
      usage,
      startedAt: this.#startedAt,
    };
    if (this.#title !== undefined) payload.title = this.#title;
    if (this.#stopReason !== undefined) payload.stopReason = this.#stopReason;
    if (this.#error !== undefined) payload.error = this.#error;
    if (this.#durationMs !== undefined) payload.durationMs = this.#durationMs;
    return payload;
  }
}

/** The transcript of a finished run; timings come from the messages' `createdAt`. */
export function transcriptFromTaskResult(result: TaskResult, title?: string): TranscriptPayload {
  const messages = result.messages.filter((message) => message.type !== "ModelClientStreamingChunkEvent");
  const times = messages.map((message) => Date.parse(message.createdAt)).map((time) => (Number.isFinite(time) ? time : undefined));
  const start = times.find((time) => time !== undefined) ?? Date.now();
  let clock = start;
  let previous = 0;
  const recorder = new TranscriptRecorder({ title, now: () => clock });
  for (const [index, message] of messages.entries()) {
    clock = times[index] ?? start + previous;
    previous = clock - start;
    recorder.add(message);
  }
  recorder.add(result);
  return recorder.payload();
}
