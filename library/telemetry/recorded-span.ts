import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { AttributeValue, HrTime } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";

/** An attribute value as JSON keeps it. */
export type RecordedAttributeValue = string | number | boolean | Array<string | number | boolean | null>;

/** Something that happened at one moment inside a span (a message sent, a thought...). */
export interface RecordedSpanEvent {
  name: string;
  /** Epoch milliseconds (fractional). */
  timeMs: number;
  attributes: Record<string, RecordedAttributeValue>;
}

/** A finished span as plain JSON: what sessions keep, save as JSONL and load again. */
export interface RecordedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: "internal" | "client" | "server" | "producer" | "consumer";
  /** Epoch milliseconds (fractional). */
  startTimeMs: number;
  endTimeMs: number;
  durationMs: number;
  status: "ok" | "error" | "unset";
  /** The status description, when the span failed. */
  statusMessage?: string;
  attributes: Record<string, RecordedAttributeValue>;
  events: RecordedSpanEvent[];
  /** True when the session ended before the span did (its end is the session's end). */
  unfinished?: boolean;
}

const KINDS: Record<number, RecordedSpan["kind"]> = {
  [SpanKind.INTERNAL]: "internal",
  [SpanKind.CLIENT]: "client",
  [SpanKind.SERVER]: "server",
  [SpanKind.PRODUCER]: "producer",
  [SpanKind.CONSUMER]: "consumer",
};

/** Epoch milliseconds on the clock OpenTelemetry stamps spans with (which drifts from `Date.now()`). */
export function spanClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Epoch milliseconds of an OpenTelemetry time. */
export function hrTimeToMs(time: HrTime): number {
  return time[0] * 1000 + time[1] / 1e6;
}

function plainAttributes(attributes: Record<string, AttributeValue | undefined>): Record<string, RecordedAttributeValue> {
  const out: Record<string, RecordedAttributeValue> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value)
      ? value.map((item) => (item === undefined || item === null ? null : (item as string | number | boolean)))
      : (value as string | number | boolean);
  }
  return out;
}

/** A span as plain JSON. A span still running is cut at `endTimeMs` and marked unfinished. */
export function recordSpan(span: ReadableSpan, unfinishedAt?: number): RecordedSpan {
  const context = span.spanContext();
  const startTimeMs = hrTimeToMs(span.startTime);
  const unfinished = !span.ended;
  const endTimeMs = unfinished ? (unfinishedAt ?? spanClockMs()) : hrTimeToMs(span.endTime);
  const recorded: RecordedSpan = {
    traceId: context.traceId,
    spanId: context.spanId,
    name: span.name,
    kind: KINDS[span.kind] ?? "internal",
    startTimeMs,
    endTimeMs,
    durationMs: Math.max(0, endTimeMs - startTimeMs),
    status: span.status.code === SpanStatusCode.ERROR ? "error" : span.status.code === SpanStatusCode.OK ? "ok" : "unset",
    attributes: plainAttributes(span.attributes),
    events: span.events.map((event) => ({
      name: event.name,
      timeMs: hrTimeToMs(event.time),
      attributes: plainAttributes(event.attributes ?? {}),
    })),
  };
  if (span.parentSpanContext?.spanId) recorded.parentSpanId = span.parentSpanContext.spanId;
  if (span.status.code === SpanStatusCode.ERROR && span.status.message) recorded.statusMessage = span.status.message;
  if (unfinished) recorded.unfinished = true;
  return recorded;
}
