/**
 * Markdown -> HTML that is safe to show without a sanitiser: raw HTML in the source is shown as
 * text, and links and images keep only http(s), mailto and inline-image URLs. Model output goes
 * through here before it lands in a `text/html` fallback.
 */
import { Marked, type Tokens } from "marked";

/** Escape text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const SAFE_LINK = /^(https?:|mailto:|#)/i;
const SAFE_IMAGE = /^(https?:|data:image\/(png|jpeg|gif|webp);base64,)/i;

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Link): string {
      const inner = this.parser.parseInline(token.tokens);
      if (!SAFE_LINK.test(token.href.trim())) return inner;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : "";
      return `<a href="${escapeHtml(token.href.trim())}"${title} rel="noopener noreferrer" target="_blank">${inner}</a>`;
    },
    image(token: Tokens.Image): string {
      if (!SAFE_IMAGE.test(token.href.trim())) return escapeHtml(token.text);
      return `<img src="${escapeHtml(token.href.trim())}" alt="${escapeHtml(token.text)}" style="max-width:100%">`;
    },
  },
});

/** Render markdown to HTML with raw HTML escaped and unsafe URLs dropped. */
export function markdownToSafeHtml(markdown: string): string {
  return marked.parse(markdown, { async: false }) as string;
}
