import { css, html, LitElement } from "lit";
import { parseAnsi, stripAnsi } from "./ansi.ts";
import { rendererBaseStyles } from "./renderer-styles.ts";

/** The content of an `error` output. */
export interface ErrorData {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** An error with its traceback (ANSI colours kept). */
export class ErrorOutput extends LitElement {
  static properties = { data: { attribute: false } };
  static styles = [
    rendererBaseStyles,
    css`
      .box { border-left: 3px solid var(--ab-danger, #dc2626); background: #fff6f6; border-radius: 0 6px 6px 0; padding: 8px 12px; }
      .title { font-weight: 650; color: #b42318; font-family: var(--ab-mono, monospace); font-size: 12.5px; margin-bottom: 4px; overflow-wrap: anywhere; }
      pre { color: #3b1c1c; }
    `,
  ];
  declare data: ErrorData | undefined;
  mimeType = "application/vnd.jupyter.error";
  metadata: Record<string, unknown> = {};

  render() {
    const error = this.data ?? { ename: "Error", evalue: "", traceback: [] };
    const title = `${error.ename}${error.evalue ? `: ${error.evalue}` : ""}`;
    const plain = (line: string) => stripAnsi(line).trim();
    // Kernels often repeat "ename: evalue" as the first traceback line; show it once.
    const lines = error.traceback.length > 0 && plain(error.traceback[0]!) === title ? error.traceback.slice(1) : error.traceback;
    const body = lines.join("\n").trim() ? lines.join("\n") : "";
    return html`<div class="box" role="alert">
      <div class="title">${title}</div>
      ${body
        ? html`<pre>${parseAnsi(body).map((span) => html`<span class=${span.classes.join(" ")} style=${span.style}>${span.text}</span>`)}</pre>`
        : ""}
    </div>`;
  }
}
customElements.define("ab-error-output", ErrorOutput);
