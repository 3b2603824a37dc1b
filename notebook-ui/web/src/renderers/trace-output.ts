import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import type { TracePayload, TraceSpan } from "../../../../library/display/payloads.ts";
import { formatCost, formatCount, formatDuration } from "./format.ts";
import { rendererBaseStyles } from "./renderer-styles.ts";

interface SpanNode {
  span: TraceSpan;
  children: SpanNode[];
}

function buildTree(spans: TraceSpan[]): SpanNode[] {
  const nodes = new Map(spans.map((span) => [span.spanId, { span, children: [] as SpanNode[] }]));
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parentSpanId ? nodes.get(node.span.parentSpanId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const byStart = (a: SpanNode, b: SpanNode) => a.span.startMs - b.span.startMs;
  for (const node of nodes.values()) node.children.sort(byStart);
  return roots.sort(byStart);
}

/** `application/vnd.agentbook.trace+json`: a span tree as a waterfall with latency, tokens and cost. */
export class TraceOutput extends LitElement {
  static properties = { data: { attribute: false } };
  static styles = [
    rendererBaseStyles,
    css`
      .trace { border: 1px solid var(--ab-border, #e4e7ec); border-radius: 10px; overflow: hidden; background: #fff; font-size: 12.5px; }
      header { padding: 8px 14px; background: #fbfbfd; border-bottom: 1px solid var(--ab-border, #e4e7ec); color: var(--ab-muted, #667085); display: flex; gap: 14px; flex-wrap: wrap; }
      header .title { color: var(--ab-text, #1f2328); font-weight: 600; }
      .grid { padding: 4px 0 8px; }
      details > summary { list-style: none; cursor: pointer; display: grid; grid-template-columns: minmax(180px, 34%) minmax(0, 1fr) 170px; gap: 10px; align-items: center; padding: 3px 14px; }
      details > summary::-webkit-details-marker { display: none; }
      details > summary:hover { background: #f8f9fb; }
      .name { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
      .name .kind { color: var(--ab-muted, #667085); font-size: 11px; margin-left: 6px; }
      .toggle { display: inline-block; width: 12px; color: var(--ab-muted, #667085); }
      .lane { position: relative; height: 14px; background: #f5f6f8; border-radius: 3px; }
      .lane span { position: absolute; top: 2px; bottom: 2px; border-radius: 2px; background: #818cf8; min-width: 2px; }
      .error .lane span { background: #f04438; }
      .error .name { color: #b42318; }
      .numbers { font-variant-numeric: tabular-nums; color: var(--ab-muted, #667085); text-align: right; white-space: nowrap; }
      .attributes { margin: 2px 14px 6px; padding: 6px 10px; background: #f8f9fb; border-radius: 6px; font-family: var(--ab-mono, monospace); font-size: 11.5px; }
      .attributes div { overflow-wrap: anywhere; }
    `,
  ];
  declare data: TracePayload | undefined;
  mimeType = "application/vnd.agentbook.trace+json";
  metadata: Record<string, unknown> = {};

  #row(node: SpanNode, depth: number, origin: number, total: number): TemplateResult {
    const { span } = node;
    const left = ((span.startMs - origin) / total) * 100;
    const width = (span.durationMs / total) * 100;
    const tokens = (span.inputTokens ?? 0) + (span.outputTokens ?? 0);
    const numbers = [formatDuration(span.durationMs), tokens ? `${formatCount(tokens)} tok` : "", formatCost(span.costUsd)].filter(Boolean).join(" · ");
    const attributes = Object.entries(span.attributes ?? {});
    return html`<details class="span ${span.status === "error" ? "error" : ""}" data-span-id=${span.spanId} ?open=${depth < 2}>
        <summary>
          <span class="name" style="padding-left:${depth * 14}px"
            ><span class="toggle">${node.children.length ? "▾" : ""}</span>${span.name}${span.kind ? html`<span class="kind">${span.kind}</span>` : nothing}</span
          >
          <span class="lane"><span style="left:${left}%;width:${width}%"></span></span>
          <span class="numbers">${numbers}</span>
        </summary>
        ${attributes.length ? html`<div class="attributes">${attributes.map(([key, value]) => html`<div>${key} = ${String(value)}</div>`)}</div>` : nothing}
        ${node.children.map((child) => this.#row(child, depth + 1, origin, total))}
      </details>`;
  }

  render() {
    const payload = this.data;
    if (!payload || !Array.isArray(payload.spans)) return html`<pre>Trace payload is missing its spans.</pre>`;
    const roots = buildTree(payload.spans);
    const origin = Math.min(...payload.spans.map((span) => span.startMs));
    const end = Math.max(...payload.spans.map((span) => span.startMs + span.durationMs));
    const total = Math.max(1, end - origin);
    const tokens = payload.spans.reduce((sum, span) => sum + (span.inputTokens ?? 0) + (span.outputTokens ?? 0), 0);
    const cost = payload.spans.reduce((sum, span) => sum + (span.costUsd ?? 0), 0);
    return html`<section class="trace" aria-label="trace">
      <header>
        <span class="title">${payload.title ?? `trace ${payload.traceId}`}</span>
        <span>${payload.spans.length} spans</span>
        <span>${formatDuration(payload.spans.length ? total : 0)}</span>
        ${tokens ? html`<span>${formatCount(tokens)} tokens</span>` : nothing}
        ${cost ? html`<span>${formatCost(cost)}</span>` : nothing}
      </header>
      <div class="grid">${roots.map((root) => this.#row(root, 0, origin, total))}</div>
    </section>`;
  }
}
customElements.define("ab-trace-output", TraceOutput);
