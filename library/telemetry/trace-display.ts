/**
 * A span tree as a notebook output: the `application/vnd.agentbook.trace+json` payload for the
 * agentbook UI, a waterfall in `text/html` (every string escaped) for JupyterLab, VS Code and
 * GitHub, and an indented tree in `text/plain`.
 */
import { TRACE_MIME } from "../display/payloads.ts";
import type { MimeBundle, TracePayload, TraceSpan } from "../display/payloads.ts";
import { escapeHtml } from "../display/safe-markdown.ts";
import { formatMs, formatUsd } from "./format.ts";
import type { PriceTable } from "./model-prices.ts";
import type { RecordedSpan } from "./recorded-span.ts";
import { ATTR } from "./semantic-conventions.ts";
import type { SessionSummary } from "./session-stats.ts";
import { numberAttr, spanCost, spanKindOf } from "./span-session-events.ts";

/** The trace payload of `spans`: times relative to the first span, tokens and cost on model calls. */
export function tracePayload(spans: readonly RecordedSpan[], prices: Readonly<PriceTable>, title?: string): TracePayload {
  const origin = spans.length ? Math.min(...spans.map((span) => span.startTimeMs)) : 0;
  const traceSpans: TraceSpan[] = spans.map((span) => {
    const attributes: TraceSpan["attributes"] = {};
    for (const [key, value] of Object.entries(span.attributes))
      attributes[key] = Array.isArray(value) ? value.map((item) => String(item)).join(", ") : value;
    const out: TraceSpan = {
      spanId: span.spanId,
      name: span.name,
      kind: spanKindOf(span) ?? span.kind,
      startMs: span.startTimeMs - origin,
      durationMs: span.durationMs,
      status: span.status,
      attributes,
    };
    if (span.parentSpanId) out.parentSpanId = span.parentSpanId;
    if (spanKindOf(span) === "model") {
      out.inputTokens = numberAttr(span.attributes, ATTR.usageInputTokens) ?? 0;
      out.outputTokens = numberAttr(span.attributes, ATTR.usageOutputTokens) ?? 0;
      const cost = spanCost(span, prices);
      if (cost !== undefined) out.costUsd = cost;
    }
    return out;
  });
  return { version: 1, traceId: spans[0]?.traceId ?? "", ...(title ? { title } : {}), spans: traceSpans };
}

/** Spans in tree order (parents before children, siblings by start), with their depth. */
export function spanTree(spans: readonly TraceSpan[]): Array<{ span: TraceSpan; depth: number }> {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | undefined, TraceSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(span);
  }
  for (const list of children.values()) list.sort((a, b) => a.startMs - b.startMs);
  const out: Array<{ span: TraceSpan; depth: number }> = [];
  const visit = (parent: string | undefined, depth: number) => {
    for (const span of children.get(parent) ?? []) {
      out.push({ span, depth });
      visit(span.spanId, depth + 1);
    }
  };
  visit(undefined, 0);
  return out;
}

const COLORS: Record<string, string> = {
  team: "#7e57c2",
  agent: "#1e88e5",
  model: "#43a047",
  tool: "#fb8c00",
  memory: "#00897b",
  code: "#6d4c41",
};

function tokensText(span: TraceSpan): string {
  return span.inputTokens !== undefined ? `${span.inputTokens} in / ${span.outputTokens ?? 0} out` : "";
}

/** Summary lines of a session, for the fallbacks. */
function summaryLines(summary: SessionSummary): string[] {
  const lines = [
    `${summary.spans} spans, ${formatMs(summary.durationMs)}; ${summary.tokens.total.calls} model calls, ` +
      `${summary.tokens.total.inputTokens} input + ${summary.tokens.total.outputTokens} output tokens, ${formatUsd(summary.cost.totalUsd)}` +
      (summary.cost.unpricedModels.length ? ` (no price for ${summary.cost.unpricedModels.join(", ")})` : ""),
  ];
  for (const [agent, stats] of Object.entries(summary.latency.agents))
    lines.push(`agent ${agent}: ${stats.count} turns, p50 ${formatMs(stats.p50Ms)}, p95 ${formatMs(stats.p95Ms)}`);
  for (const [model, stats] of Object.entries(summary.latency.models))
    lines.push(`model ${model}: ${stats.count} calls, p50 ${formatMs(stats.p50Ms)}, p95 ${formatMs(stats.p95Ms)}`);
  if (summary.tools.calls)
    lines.push(`tools: ${summary.tools.calls} calls, ${summary.tools.errors} errors (${(summary.tools.errorRate * 100).toFixed(0)}%)`);
  if (summary.memory.queries)
    lines.push(`memory: ${summary.memory.queries} queries, hit rate ${(summary.memory.hitRate * 100).toFixed(0)}%, p50 ${formatMs(summary.memory.latency.p50Ms)}`);
  return lines;
}

/** The trace as an indented tree of text. */
export function traceText(payload: TracePayload, summary?: SessionSummary): string {
  const lines = [`${payload.title ?? "trace"} (${payload.spans.length} spans)`];
  if (summary) lines.push(...summaryLines(summary).map((line) => `  ${line}`));
  for (const { span, depth } of spanTree(payload.spans)) {
    const extras = [formatMs(span.durationMs), tokensText(span), span.costUsd !== undefined ? formatUsd(span.costUsd) : "", span.status === "error" ? "ERROR" : ""]
      .filter(Boolean)
      .join("  ");
    lines.push(`${"  ".repeat(depth + 1)}${span.name}  ${extras}`);
  }
  return lines.join("\n");
}

/** The trace as a waterfall table; every string from the spans is escaped. */
export function traceHtml(payload: TracePayload, summary?: SessionSummary): string {
  const rows = spanTree(payload.spans);
  const end = Math.max(1e-6, ...payload.spans.map((span) => span.startMs + span.durationMs));
  const cell = "padding:2px 6px;border-bottom:1px solid #eee;white-space:nowrap";
  const body = rows
    .map(({ span, depth }) => {
      const left = (span.startMs / end) * 100;
      const width = Math.max(0.3, (span.durationMs / end) * 100);
      const color = span.status === "error" ? "#e53935" : (COLORS[span.kind ?? ""] ?? "#90a4ae");
      const title = escapeHtml(`${span.name}: ${formatMs(span.durationMs)} from ${formatMs(span.startMs)}`);
      return (
        `<tr><td style="${cell};padding-left:${6 + depth * 14}px">${escapeHtml(span.name)}${span.status === "error" ? " ⚠" : ""}</td>` +
        `<td style="${cell};text-align:right">${escapeHtml(formatMs(span.durationMs))}</td>` +
        `<td style="${cell};text-align:right">${escapeHtml(tokensText(span))}</td>` +
        `<td style="${cell};text-align:right">${span.costUsd !== undefined ? escapeHtml(formatUsd(span.costUsd)) : ""}</td>` +
        `<td style="${cell};width:40%"><div style="position:relative;height:10px;background:#f3f3f3" title="${title}">` +
        `<div style="position:absolute;left:${left.toFixed(2)}%;width:${width.toFixed(2)}%;height:10px;background:${color}"></div></div></td></tr>`
      );
    })
    .join("");
  const header = `<div style="font-weight:bold;margin-bottom:4px">${escapeHtml(payload.title ?? "trace")} (${payload.spans.length} spans)</div>`;
  const facts = summary ? `<ul style="margin:0 0 6px 0">${summaryLines(summary).map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>` : "";
  return (
    `<div class="agentbook-trace" style="font:12px/1.4 system-ui,sans-serif">${header}${facts}` +
    `<table style="border-collapse:collapse;width:100%"><thead><tr>` +
    ["span", "time", "tokens", "cost", "timeline"].map((name) => `<th style="${cell};text-align:left">${name}</th>`).join("") +
    `</tr></thead><tbody>${body}</tbody></table></div>`
  );
}

/** The MIME bundle of a trace: agentbook's JSON payload with HTML and text fallbacks. */
export function traceMimeBundle(payload: TracePayload, summary?: SessionSummary): MimeBundle {
  return { [TRACE_MIME]: payload, "text/html": traceHtml(payload, summary), "text/plain": traceText(payload, summary) };
}
