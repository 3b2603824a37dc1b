import { context, trace } from "@opentelemetry/api";
import type { Context, Span } from "@opentelemetry/api";
import { recordError } from "./tracer.ts";

/** What to do around a generator that runs inside a span. */
export interface SpanGeneratorHooks<T> {
  /** Called with each item before it is passed on. */
  onItem?(item: T): void;
}

/**
 * Drive `source` with `span` as the active span on every step, so that whatever the generator
 * starts (model calls, tools, a runtime's message loop, a team inside a team) becomes a child of
 * `span`, even when the consumer pulls items from another context. The span ends when the
 * generator finishes, throws, or the consumer stops early; a throw marks it failed.
 */
export function runGeneratorInSpan<T, R>(
  span: Span,
  source: AsyncGenerator<T, R, undefined>,
  hooks: SpanGeneratorHooks<T> = {},
): AsyncGenerator<T, R, undefined> {
  // The context of the call, not of the first `next()`: the span was started in it.
  return drive(trace.setSpan(context.active(), span), span, source, hooks);
}

async function* drive<T, R>(
  active: Context,
  span: Span,
  source: AsyncGenerator<T, R, undefined>,
  hooks: SpanGeneratorHooks<T>,
): AsyncGenerator<T, R, undefined> {
  let finished = false;
  try {
    for (;;) {
      const step = await context.with(active, () => source.next());
      if (step.done) {
        finished = true;
        return step.value;
      }
      if (hooks.onItem) {
        try {
          hooks.onItem(step.value);
        } catch {
          // Telemetry must never break a run.
        }
      }
      yield step.value;
    }
  } catch (error) {
    finished = true;
    recordError(span, error);
    throw error;
  } finally {
    try {
      // The consumer stopped early: let the source run its own cleanup in the span.
      if (!finished) await context.with(active, () => source.return(undefined as R));
    } finally {
      span.end();
    }
  }
}
