import { SpanStatusCode, trace } from "@opentelemetry/api";
import type { Span, Tracer } from "@opentelemetry/api";
import { CancelledError, ModelClientError } from "../errors.ts";
import { ATTR, TRACER_NAME } from "./semantic-conventions.ts";
import { capturingContent } from "./telemetry-options.ts";

/**
 * The tracer agentbook's spans come from. Looked up on every call (it is cheap) so that a
 * provider registered or removed later is honoured; without one it is OpenTelemetry's no-op tracer.
 */
export function agentbookTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/** True for a cancellation (CancelledError, or an AbortError from a signal). */
export function isCancellation(error: unknown): boolean {
  return error instanceof CancelledError || (error instanceof Error && error.name === "AbortError");
}

/** A low-cardinality name for an error: its class name. */
export function errorTypeOf(error: unknown): string {
  if (!(error instanceof Error)) return "_OTHER";
  if (error.name && error.name !== "Error") return error.name;
  return error.constructor?.name || "Error";
}

/**
 * Mark `span` as failed with `error`: `error.type`, the HTTP status of a provider error, and the
 * message only when content capture is on (messages may quote model output or tool input).
 * A cancellation is not a failure: it is marked `agentbook.cancelled` and the status stays unset.
 */
export function recordError(span: Span, error: unknown): void {
  if (isCancellation(error)) {
    span.setAttribute(ATTR.cancelled, true);
    return;
  }
  const type = errorTypeOf(error);
  span.setAttribute(ATTR.errorType, type);
  if (error instanceof ModelClientError && error.status !== undefined) span.setAttribute("http.response.status_code", error.status);
  const message = error instanceof Error ? error.message : String(error);
  if (capturingContent()) span.setAttribute(ATTR.errorMessage, message);
  span.setStatus({ code: SpanStatusCode.ERROR, message: capturingContent() ? message : type });
}

/** `value` as text for a content attribute, cut at `limit` characters. */
export function contentText(value: unknown, limit = 16_384): string {
  let text: string;
  if (typeof value === "string") text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
