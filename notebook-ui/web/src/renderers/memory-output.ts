import { css, html, LitElement, nothing } from "lit";
import type { MemoryPayload } from "../../../../library/display/payloads.ts";
import { formatDuration } from "./format.ts";
import { renderMarkdown } from "./markdown.ts";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import { rendererBaseStyles, richTextStyles } from "./renderer-styles.ts";

/** `application/vnd.agentbook.memory+json`: a memory query and its ranked hits with scores and metadata. */
export class MemoryOutput extends LitElement {
  static properties = { data: { attribute: false } };
  static styles = [
    rendererBaseStyles,
    richTextStyles,
    css`
      .memory { border: 1px solid var(--ab-border, #e4e7ec); border-radius: 10px; overflow: hidden; background: #fff; }
      header { padding: 8px 14px; background: #fbfbfd; border-bottom: 1px solid var(--ab-border, #e4e7ec); font-size: 12.5px; color: var(--ab-muted, #667085); display: flex; gap: 10px; flex-wrap: wrap; align-items: baseline; }
      header .name { font-weight: 600; color: #0e7490; }
      header .query { color: var(--ab-text, #1f2328); font-weight: 600; }
      ol { list-style: none; margin: 0; padding: 6px 14px 10px; counter-reset: hit; }
      li { display: grid; grid-template-columns: 64px minmax(0, 1fr); gap: 12px; padding: 8px 0; border-bottom: 1px solid #f0f1f4; }
      li:last-child { border-bottom: 0; }
      .score { font-variant-numeric: tabular-nums; font-size: 12px; color: var(--ab-muted, #667085); }
      .bar { height: 4px; border-radius: 2px; background: #e4e7ec; margin-top: 4px; overflow: hidden; }
      .bar span { display: block; height: 100%; background: #06b6d4; }
      .chips { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 4px; }
      .chip { font-size: 11px; background: #f2f4f7; border-radius: 999px; padding: 0 8px; color: #475467; }
      .none { padding: 10px 14px; color: var(--ab-muted, #667085); font-style: italic; }
    `,
  ];
  declare data: MemoryPayload | undefined;
  mimeType = "application/vnd.agentbook.memory+json";
  metadata: Record<string, unknown> = {};

  render() {
    const payload = this.data;
    if (!payload || !Array.isArray(payload.hits)) return html`<pre>Memory payload is missing its hits.</pre>`;
    const top = Math.max(1e-9, ...payload.hits.map((hit) => hit.score ?? 0));
    return html`<section class="memory" aria-label="memory query">
      <header>
        <span class="name">${payload.memory}</span>
        <span>query</span><span class="query">${payload.query}</span>
        <span>${payload.hits.length} ${payload.hits.length === 1 ? "hit" : "hits"}</span>
        ${payload.durationMs !== undefined ? html`<span>${formatDuration(payload.durationMs)}</span>` : nothing}
      </header>
      ${payload.hits.length === 0
        ? html`<div class="none">Nothing matched.</div>`
        : html`<ol>
            ${payload.hits.map(
              (hit) => html`<li>
                <div class="score">
                  ${hit.score !== undefined ? hit.score.toFixed(3) : "–"}
                  ${hit.score !== undefined ? html`<div class="bar"><span style="width:${Math.max(0, Math.min(100, (hit.score / top) * 100))}%"></span></div>` : nothing}
                </div>
                <div>
                  ${hit.mimeType === "text/markdown"
                    ? html`<div class="rich">${unsafeHTML(renderMarkdown(hit.content))}</div>`
                    : html`<pre>${hit.content}</pre>`}
                  <div class="chips">
                    ${hit.source ? html`<span class="chip">source: ${hit.source}</span>` : nothing}
                    ${Object.entries(hit.metadata ?? {}).map(([key, value]) => html`<span class="chip">${key}: ${typeof value === "string" ? value : JSON.stringify(value)}</span>`)}
                  </div>
                </div>
              </li>`,
            )}
          </ol>`}
    </section>`;
  }
}
customElements.define("ab-memory-output", MemoryOutput);
