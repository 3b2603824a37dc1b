import { html, LitElement } from "lit";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import { renderMarkdown } from "./markdown.ts";
import { rendererBaseStyles, richTextStyles } from "./renderer-styles.ts";

/** `text/markdown`, rendered with marked and sanitised with DOMPurify. */
export class MarkdownOutput extends LitElement {
  static properties = { data: { attribute: false } };
  static styles = [rendererBaseStyles, richTextStyles];
  declare data: unknown;
  mimeType = "text/markdown";
  metadata: Record<string, unknown> = {};

  render() {
    // renderMarkdown sanitises; the directive only inserts the already-clean HTML.
    return html`<div class="rich">${unsafeHTML(renderMarkdown(String(this.data ?? "")))}</div>`;
  }
}
customElements.define("ab-markdown-output", MarkdownOutput);
