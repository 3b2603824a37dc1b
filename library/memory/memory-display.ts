import type { MemoryHit, MemoryPayload, MimeBundle } from "../display/payloads.ts";
import { DISPLAY, MEMORY_MIME } from "../display/payloads.ts";
import type { MemoryQueryResult } from "./memory.ts";
import { memoryContentToText } from "./memory.ts";
import type { MemoryContent } from "./memory-content.ts";

/** Longest content shown per hit in the HTML and text fallbacks (the JSON keeps it whole). */
const PREVIEW_CHARS = 500;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function preview(text: string): string {
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}

function sourceOf(metadata: Record<string, unknown> | undefined): string | undefined {
  const source = metadata?.source ?? metadata?.author;
  return typeof source === "string" ? source : undefined;
}

/** One query result item as a hit of the memory payload. */
export function memoryHit(item: MemoryContent & { score?: number }): MemoryHit {
  const hit: MemoryHit = { content: memoryContentToText(item), mimeType: item.mimeType };
  if (typeof item.score === "number") hit.score = item.score;
  if (item.metadata && Object.keys(item.metadata).length > 0) hit.metadata = item.metadata;
  const source = sourceOf(item.metadata);
  if (source !== undefined) hit.source = source;
  return hit;
}

/** The `application/vnd.agentbook.memory+json` payload of a query and what it found. */
export function memoryPayload(memory: string, query: string, result: MemoryQueryResult, durationMs?: number): MemoryPayload {
  const payload: MemoryPayload = { version: 1, memory, query, hits: result.results.map(memoryHit) };
  if (durationMs !== undefined) payload.durationMs = durationMs;
  return payload;
}

/** The payload as an HTML table (every value escaped), for front ends without the agentbook renderer. */
export function memoryPayloadToHtml(payload: MemoryPayload): string {
  const head =
    `<div class="agentbook-memory"><div><strong>${escapeHtml(payload.memory)}</strong>: ` +
    `${payload.hits.length} hit${payload.hits.length === 1 ? "" : "s"} for <q>${escapeHtml(payload.query)}</q>` +
    (payload.durationMs !== undefined ? ` in ${payload.durationMs.toFixed(1)} ms` : "") +
    "</div>";
  if (payload.hits.length === 0) return `${head}</div>`;
  const rows = payload.hits
    .map(
      (hit, index) =>
        `<tr><td>${index + 1}</td><td>${hit.score === undefined ? "" : hit.score.toFixed(3)}</td>` +
        `<td style="white-space:pre-wrap">${escapeHtml(preview(hit.content))}</td>` +
        `<td><code>${hit.metadata ? escapeHtml(JSON.stringify(hit.metadata)) : ""}</code></td></tr>`,
    )
    .join("");
  return `${head}<table><thead><tr><th>#</th><th>score</th><th>content</th><th>metadata</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** The payload as plain text, one numbered line per hit. */
export function memoryPayloadToText(payload: MemoryPayload): string {
  const lines = [`${payload.memory}: ${payload.hits.length} hit${payload.hits.length === 1 ? "" : "s"} for ${JSON.stringify(payload.query)}`];
  payload.hits.forEach((hit, index) => {
    const score = hit.score === undefined ? "" : ` (${hit.score.toFixed(3)})`;
    const meta = hit.metadata ? ` ${JSON.stringify(hit.metadata)}` : "";
    lines.push(`${index + 1}.${score} ${preview(hit.content).replace(/\s+/g, " ")}${meta}`);
  });
  return lines.join("\n");
}

/** The MIME bundle of a memory query: the agentbook JSON type plus escaped HTML and text fallbacks. */
export function memoryQueryBundle(payload: MemoryPayload): MimeBundle {
  return { [MEMORY_MIME]: payload, "text/html": memoryPayloadToHtml(payload), "text/plain": memoryPayloadToText(payload) };
}

/**
 * Make a query result render itself in a notebook: adds a non-enumerable `[DISPLAY]()` so
 * `JSON.stringify(result)` and `assert.deepEqual` still see only `{ results }`.
 */
export function displayableQueryResult<T extends MemoryQueryResult>(
  result: T,
  memory: string,
  query: string | MemoryContent,
  durationMs?: number,
): T {
  const queryText = typeof query === "string" ? query : memoryContentToText(query);
  Object.defineProperty(result, DISPLAY, {
    value: () => memoryQueryBundle(memoryPayload(memory, queryText, result, durationMs)),
    enumerable: false,
    configurable: true,
  });
  return result;
}
