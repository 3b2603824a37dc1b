import { css, html, LitElement } from "lit";
import { ifDefined } from "lit/directives/if-defined.js";
import { rendererBaseStyles } from "./renderer-styles.ts";

const BASE64 = /^[A-Za-z0-9+/=\s]*$/;

/**
 * `image/png`, `image/jpeg`, `image/gif` (base64) and `image/svg+xml` (text). SVG is shown
 * through an <img> data URL, where its scripts can never run.
 */
export class ImageOutput extends LitElement {
  static properties = { data: { attribute: false }, mimeType: { type: String }, metadata: { attribute: false } };
  static styles = [rendererBaseStyles, css`img { max-width: 100%; height: auto; display: block; }`];
  declare data: unknown;
  declare mimeType: string;
  declare metadata: Record<string, unknown>;

  constructor() {
    super();
    this.mimeType = "image/png";
    this.metadata = {};
  }

  #source(): string | null {
    const raw = String(this.data ?? "");
    if (this.mimeType === "image/svg+xml") return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(raw)}`;
    if (!BASE64.test(raw)) return null;
    return `data:${this.mimeType};base64,${raw.replace(/\s/g, "")}`;
  }

  render() {
    const source = this.#source();
    if (!source) return html`<pre>[${this.mimeType} output is not base64]</pre>`;
    const width = typeof this.metadata.width === "number" ? this.metadata.width : undefined;
    const height = typeof this.metadata.height === "number" ? this.metadata.height : undefined;
    return html`<img src=${source} width=${ifDefined(width)} height=${ifDefined(height)} alt="" />`;
  }
}
customElements.define("ab-image-output", ImageOutput);
