import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { rendererBaseStyles } from "./renderer-styles.ts";

/** Children shown per page of a large array or object. */
const PAGE = 100;

/**
 * A collapsible JSON tree: objects and arrays open to `expandDepth` levels, each node toggles,
 * large containers show their first hundred children and a "more" button.
 */
export class JsonTree extends LitElement {
  static properties = { data: { attribute: false }, expandDepth: { type: Number, attribute: "expand-depth" } };
  static styles = [
    rendererBaseStyles,
    css`
      :host { font-family: var(--ab-mono, monospace); font-size: 12.5px; line-height: 1.6; }
      ul { list-style: none; margin: 0; padding-left: 18px; }
      .root { padding-left: 0; }
      summary { cursor: pointer; list-style: none; }
      summary::-webkit-details-marker { display: none; }
      summary::before { content: "▸"; display: inline-block; width: 14px; color: var(--ab-muted, #667085); transition: transform 0.1s; }
      details[open] > summary::before { transform: rotate(90deg); }
      .leaf { padding-left: 14px; }
      .key { color: #8250df; }
      .string { color: #0a7f58; white-space: pre-wrap; overflow-wrap: anywhere; }
      .number { color: #0969da; }
      .boolean, .null { color: #cf222e; }
      .meta { color: var(--ab-muted, #667085); }
    `,
  ];
  declare data: unknown;
  declare expandDepth: number;
  mimeType = "application/json";
  metadata: Record<string, unknown> = {};
  #shown = new WeakMap<object, number>();

  constructor() {
    super();
    this.expandDepth = 2;
  }

  #scalar(value: unknown): TemplateResult {
    if (value === null) return html`<span class="null">null</span>`;
    if (typeof value === "string") return html`<span class="string">${JSON.stringify(value)}</span>`;
    if (typeof value === "number") return html`<span class="number">${value}</span>`;
    if (typeof value === "boolean") return html`<span class="boolean">${value}</span>`;
    return html`<span class="meta">${String(value)}</span>`;
  }

  #node(key: string | null, value: unknown, depth: number): TemplateResult {
    const label = key === null ? nothing : html`<span class="key">${key}</span>: `;
    if (value === null || typeof value !== "object") return html`<li class="leaf">${label}${this.#scalar(value)}</li>`;
    const isArray = Array.isArray(value);
    const entries: Array<[string, unknown]> = isArray ? value.map((item, index) => [String(index), item]) : Object.entries(value);
    const summary = isArray ? `Array(${entries.length})` : `{${entries.length} ${entries.length === 1 ? "key" : "keys"}}`;
    if (entries.length === 0) return html`<li class="leaf">${label}<span class="meta">${isArray ? "[]" : "{}"}</span></li>`;
    const shown = this.#shown.get(value) ?? PAGE;
    return html`<li>
      <details ?open=${depth < this.expandDepth}>
        <summary>${label}<span class="meta">${summary}</span></summary>
        <ul>
          ${entries.slice(0, shown).map(([childKey, child]) => this.#node(childKey, child, depth + 1))}
          ${entries.length > shown
            ? html`<li class="leaf">
                <button
                  class="link"
                  @click=${() => {
                    this.#shown.set(value, shown + PAGE);
                    this.requestUpdate();
                  }}
                >
                  show ${Math.min(PAGE, entries.length - shown)} more of ${entries.length - shown}
                </button>
              </li>`
            : nothing}
        </ul>
      </details>
    </li>`;
  }

  render() {
    return html`<ul class="root">${this.#node(null, this.data, 0)}</ul>`;
  }
}
customElements.define("ab-json-tree", JsonTree);
