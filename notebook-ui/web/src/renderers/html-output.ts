import { css, html, LitElement } from "lit";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import { rendererBaseStyles, richTextStyles } from "./renderer-styles.ts";
import { sanitizeHtml } from "./sanitize.ts";

/** `text/html`, sanitised with DOMPurify and kept in a shadow root so its CSS stays inside. */
export class HtmlOutput extends LitElement {
  static properties = { data: { attribute: false } };
  static styles = [rendererBaseStyles, richTextStyles, css`.rich { overflow-x: auto; }`];
  declare data: unknown;
  mimeType = "text/html";
  metadata: Record<string, unknown> = {};

  render() {
    return html`<div class="rich">${unsafeHTML(sanitizeHtml(String(this.data ?? "")))}</div>`;
  }
}
customElements.define("ab-html-output", HtmlOutput);
