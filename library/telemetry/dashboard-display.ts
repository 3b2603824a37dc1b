/**
 * A dashboard as a notebook output: the `application/vnd.agentbook.dashboard+json` payload
 * for the agentbook UI (gauge, charts, live conversation and event stream), with a static
 * `text/html` view (every string escaped) for JupyterLab, VS Code and GitHub, and `text/plain`
 * for terminals.
 */
import { DASHBOARD_MIME } from "../display/payloads.ts";
import type { DashboardPayload, MimeBundle } from "../display/payloads.ts";
import { escapeHtml } from "../display/safe-markdown.ts";
import { formatMs, formatUsd } from "./format.ts";

/** Lines of the event stream the fallbacks show (the UI shows them all). */
const FALLBACK_EVENTS = 12;

function headline(payload: DashboardPayload): string {
  const state = payload.status === "live" ? "live" : `ended (${payload.endState ?? "Indeterminate"})`;
  const working = payload.activeAgents.length ? `; working: ${payload.activeAgents.join(", ")}` : "";
  return `${payload.title}: ${state}, ${formatMs(payload.elapsedMs)}${payload.tags.length ? ` [${payload.tags.join(", ")}]` : ""}${working}`;
}

function counterLine(payload: DashboardPayload): string {
  const c = payload.counters;
  return (
    `${c.messages} messages · ${c.modelCalls} model calls · ${c.inputTokens} in / ${c.outputTokens} out tokens · ${formatUsd(c.costUsd)} · ` +
    `${c.toolCalls} tool calls (${c.toolErrors} failed) · ${c.errors} errors`
  );
}

function latencyLine(payload: DashboardPayload): string {
  const l = payload.latency;
  if (l.level === "none") return `model latency: no calls yet (warn ${formatMs(l.warnMs)}, alert ${formatMs(l.alertMs)})`;
  return `model latency: last ${formatMs(l.lastMs)} (${l.level}; warn ${formatMs(l.warnMs)}, alert ${formatMs(l.alertMs)}), p50 ${formatMs(l.p50Ms)}, p95 ${formatMs(l.p95Ms)}`;
}

function messageLine(message: DashboardPayload["conversation"][number]): string {
  const to = message.target ? ` → ${message.target}` : message.to.length ? ` → ${message.to.join(", ")}` : "";
  const text = message.content !== undefined ? message.content : `(${message.size} characters)`;
  return `${message.from}${to} [${message.messageType}]: ${text}`;
}

/** The dashboard as text. */
export function dashboardText(payload: DashboardPayload): string {
  const lines = [headline(payload), `  ${counterLine(payload)}`, `  ${latencyLine(payload)}`];
  if (payload.conversation.length) {
    lines.push(`  conversation${payload.dropped.conversation ? ` (+${payload.dropped.conversation} earlier)` : ""}:`);
    for (const message of payload.conversation) lines.push(`    ${messageLine(message).replace(/\n/g, "\n      ")}`);
  }
  const events = payload.events.slice(-FALLBACK_EVENTS);
  if (events.length) {
    lines.push(`  latest events:`);
    for (const event of events) lines.push(`    +${formatMs(event.elapsedMs)} ${event.level === "error" ? "ERROR " : ""}${event.agent ? `${event.agent}: ` : ""}${event.text.replace(/\n/g, " ")}`);
  }
  return lines.join("\n");
}

const LEVEL_COLORS = { none: "#98a2b3", ok: "#12b76a", warn: "#f79009", alert: "#f04438" } as const;

/** The dashboard as static HTML; every string from the payload is escaped. */
export function dashboardHtml(payload: DashboardPayload): string {
  const cell = "padding:2px 8px;border-bottom:1px solid #eee;vertical-align:top";
  const conversation = payload.conversation
    .map((message) => {
      const to = message.target ? ` → ${message.target}` : message.to.length ? ` → ${message.to.join(", ")}` : "";
      const text = message.content !== undefined ? message.content : `(${message.size} characters)`;
      return `<tr><td style="${cell};white-space:nowrap"><b>${escapeHtml(message.from)}</b>${escapeHtml(to)}</td><td style="${cell};white-space:pre-wrap">${escapeHtml(text)}</td></tr>`;
    })
    .join("");
  const events = payload.events
    .slice(-FALLBACK_EVENTS)
    .map((event) => {
      const style = event.level === "error" ? "color:#b42318;font-weight:bold" : event.level === "thought" ? "font-style:italic;color:#475467" : event.level === "warn" ? "color:#b54708" : "";
      return `<li style="${style}">+${escapeHtml(formatMs(event.elapsedMs))} ${event.agent ? `${escapeHtml(event.agent)}: ` : ""}${escapeHtml(event.text)}</li>`;
    })
    .join("");
  const color = LEVEL_COLORS[payload.latency.level];
  return (
    `<div class="agentbook-dashboard" style="font:12px/1.45 system-ui,sans-serif">` +
    `<div style="font-weight:bold">${escapeHtml(headline(payload))}</div>` +
    `<div>${escapeHtml(counterLine(payload))}</div>` +
    `<div><span style="display:inline-block;width:9px;height:9px;border-radius:50%;background:${color};margin-right:5px"></span>${escapeHtml(latencyLine(payload))}</div>` +
    (conversation
      ? `<div style="margin-top:6px;font-weight:bold">Conversation${payload.dropped.conversation ? ` (+${payload.dropped.conversation} earlier)` : ""}</div><table style="border-collapse:collapse;width:100%">${conversation}</table>`
      : "") +
    (events ? `<div style="margin-top:6px;font-weight:bold">Latest events</div><ul style="margin:0;padding-left:18px">${events}</ul>` : "") +
    `</div>`
  );
}

/** The MIME bundle of a dashboard. */
export function dashboardBundle(payload: DashboardPayload): MimeBundle {
  return { [DASHBOARD_MIME]: payload, "text/html": dashboardHtml(payload), "text/plain": dashboardText(payload) };
}
