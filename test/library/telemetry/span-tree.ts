/** Helpers to read a recorded span tree in telemetry tests. */
import assert from "node:assert/strict";
import type { RecordedSpan } from "agentbook";

/** The one span named `name` (fails unless there is exactly one). */
export function only(spans: readonly RecordedSpan[], name: string): RecordedSpan {
  const found = spans.filter((span) => span.name === name);
  assert.equal(found.length, 1, `expected one span named ${JSON.stringify(name)}, found ${found.length}: ${spans.map((s) => s.name).join(", ")}`);
  return found[0]!;
}

/** Spans named `name`, in start order. */
export function named(spans: readonly RecordedSpan[], name: string): RecordedSpan[] {
  return spans.filter((span) => span.name === name).sort((a, b) => a.startTimeMs - b.startTimeMs);
}

/** Children of `parent`, in start order. */
export function childrenOf(spans: readonly RecordedSpan[], parent: RecordedSpan): RecordedSpan[] {
  return spans.filter((span) => span.parentSpanId === parent.spanId).sort((a, b) => a.startTimeMs - b.startTimeMs);
}

/** The tree as indented names, children in start order, for whole-tree assertions. */
export function outline(spans: readonly RecordedSpan[]): string[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const lines: string[] = [];
  const visit = (span: RecordedSpan, depth: number) => {
    lines.push(`${"  ".repeat(depth)}${span.name}`);
    for (const child of childrenOf(spans, span)) visit(child, depth + 1);
  };
  for (const root of spans.filter((span) => !span.parentSpanId || !ids.has(span.parentSpanId)).sort((a, b) => a.startTimeMs - b.startTimeMs))
    visit(root, 0);
  return lines;
}
