import { Marked } from "marked";
import { sanitizeHtml } from "./sanitize.ts";

const marked = new Marked({ gfm: true, breaks: false, async: false });

const cache = new Map<string, string>();
const CACHE_LIMIT = 2000;

/**
 * Markdown to sanitised HTML. Results are cached by source, so a transcript that re-renders on
 * every streamed token does not parse its old messages again.
 */
export function renderMarkdown(source: string): string {
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  const html = sanitizeHtml(marked.parse(source) as string);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(source, html);
  return html;
}
