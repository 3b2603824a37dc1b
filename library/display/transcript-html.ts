/**
 * The `text/html` fallback of a transcript: self-contained (inline styles, no scripts), every
 * piece of model or tool text escaped, readable in JupyterLab, VS Code and on GitHub.
 */
import type { AgentMessage } from "../messages/types.ts";
import type { TranscriptEntry, TranscriptPayload } from "./payloads.ts";
import { escapeHtml, markdownToSafeHtml } from "./safe-markdown.ts";
import { entryStats, formatDuration, messageBodyText, messageRole } from "./transcript-text.ts";

const ROLE_COLORS: Record<ReturnType<typeof messageRole>, string> = {
  user: "#2f6fdd",
  assistant: "#1f8a4c",
  tool: "#b26b00",
  system: "#7a5cc2",
};

const STATUS_LABELS: Record<TranscriptPayload["status"], string> = {
  running: "running…",
  done: "done",
  error: "failed",
  cancelled: "cancelled",
};

function code(text: string): string {
  return `<pre style="margin:2px 0;padding:4px 6px;background:rgba(127,127,127,.12);border-radius:3px;white-space:pre-wrap;word-break:break-word">${escapeHtml(text)}</pre>`;
}

function prettyArguments(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function messageBodyHtml(message: AgentMessage): string {
  switch (message.type) {
    case "ToolCallRequestEvent":
      return message.content.map((call) => `<div>call <b>${escapeHtml(call.name)}</b>${code(prettyArguments(call.arguments))}</div>`).join("");
    case "ToolCallExecutionEvent":
      return message.content
        .map((result) => `<div>${result.isError ? "error from" : "result of"} <b>${escapeHtml(result.name)}</b>${code(result.content)}</div>`)
        .join("");
    case "HandoffMessage":
      return `${markdownToSafeHtml(message.content)}<div><i>hand-off to</i> <b>${escapeHtml(message.target)}</b></div>`;
    case "MultiModalMessage":
      return message.content
        .map((part) =>
          typeof part === "string"
            ? markdownToSafeHtml(part)
            : /^image\/(png|jpeg|gif|webp)$/.test(part.mimeType) && /^[A-Za-z0-9+/=\s]*$/.test(part.data)
              ? `<img alt="image" style="max-width:100%" src="data:${part.mimeType};base64,${part.data.replace(/\s/g, "")}">`
              : "<i>[image]</i>",
        )
        .join("");
    case "CodeGenerationEvent":
    case "CodeExecutionEvent":
    case "SelectSpeakerEvent":
    case "MemoryQueryEvent":
      return code(messageBodyText(message));
    default:
      return markdownToSafeHtml(messageBodyText(message));
  }
}

function entryHtml(entry: TranscriptEntry): string {
  const message = entry.message;
  const role = messageRole(message);
  const color = ROLE_COLORS[role];
  return (
    `<div style="border-left:3px solid ${color};padding:2px 8px;margin:6px 0">` +
    `<div style="font-size:12px;opacity:.85"><b style="color:${color}">${escapeHtml(message.source)}</b> ` +
    `<span>${role} · ${escapeHtml(message.type)}</span> <span style="opacity:.7">${escapeHtml(entryStats(entry))}</span></div>` +
    `<div>${messageBodyHtml(message)}</div></div>`
  );
}

/** Render a transcript payload as one self-contained HTML fragment. */
export function transcriptToHtml(payload: TranscriptPayload): string {
  const summary = [
    STATUS_LABELS[payload.status],
    `${payload.entries.length} messages`,
    `${payload.usage.promptTokens} prompt / ${payload.usage.completionTokens} completion tokens`,
  ];
  if (payload.durationMs !== undefined) summary.push(formatDuration(payload.durationMs));
  const parts = [
    `<div class="agentbook-transcript" style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:14px;line-height:1.4">`,
    `<div style="font-weight:600">${escapeHtml(payload.title ?? "Transcript")} <span style="font-weight:400;opacity:.7">${escapeHtml(summary.join(" · "))}</span></div>`,
    ...payload.entries.map(entryHtml),
  ];
  if (payload.streaming)
    parts.push(
      `<div style="border-left:3px dashed #888;padding:2px 8px;margin:6px 0"><div style="font-size:12px"><b>${escapeHtml(payload.streaming.source)}</b> <span style="opacity:.7">typing…</span></div>` +
        `<div style="white-space:pre-wrap">${escapeHtml(payload.streaming.text)}</div></div>`,
    );
  if (payload.stopReason) parts.push(`<div style="opacity:.8"><i>Stop reason:</i> ${escapeHtml(payload.stopReason)}</div>`);
  if (payload.error) parts.push(`<div style="color:#c62828"><b>Error:</b> ${escapeHtml(payload.error)}</div>`);
  parts.push(`</div>`);
  return parts.join("");
}
