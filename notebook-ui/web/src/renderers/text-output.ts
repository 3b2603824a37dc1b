import { css, html, LitElement } from "lit";
import { parseAnsi } from "./ansi.ts";
import { rendererBaseStyles } from "./renderer-styles.ts";

/** Characters shown before a long output is folded (head and tail stay visible). */
const FOLD_AT = 100_000;

/** `text/plain` and streams: monospace, ANSI colours, very long outputs folded. */
export class TextOutput extends LitElement {
  static properties = { data: { attribute: false }, stream: { type: String, reflect: true }, expanded: { state: true } };
  static styles = [
    rendererBaseStyles,
    css`
      :host([stream="stderr"]) pre { background: #fff5f5; color: #8a1c1c; padding: 4px 8px; border-radius: 4px; }
      .fold { color: var(--ab-muted, #667085); font: 12px var(--ab-font); margin: 4px 0; }
    `,
  ];
  declare data: unknown;
  /** "stdout" or "stderr" for stream outputs. */
  declare stream: string | undefined;
  declare expanded: boolean;
  mimeType = "text/plain";
  metadata: Record<string, unknown> = {};

  constructor() {
    super();
    this.expanded = false;
  }

  #spans(text: string) {
    return parseAnsi(text).map((span) =>
      span.classes.length === 0 && !span.style ? span.text : html`<span class=${span.classes.join(" ")} style=${span.style}>${span.text}</span>`,
    );
  }

  render() {
    const text = typeof this.data === "string" ? this.data : String(this.data ?? "");
    if (text.length <= FOLD_AT || this.expanded) return html`<pre>${this.#spans(text)}</pre>`;
    const head = text.slice(0, FOLD_AT / 2);
    const tail = text.slice(-FOLD_AT / 2);
    return html`<pre>${this.#spans(head)}</pre>
      <div class="fold">
        … ${(text.length - FOLD_AT).toLocaleString("en-US")} characters folded.
        <button class="link" @click=${() => (this.expanded = true)}>Show all</button>
      </div>
      <pre>${this.#spans(tail)}</pre>`;
  }
}
customElements.define("ab-text-output", TextOutput);
