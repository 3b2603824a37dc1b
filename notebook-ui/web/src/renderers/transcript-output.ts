import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { repeat } from "lit/directives/repeat.js";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import type { AgentMessage, ToolCallExecutionEvent, ToolCallRequestEvent } from "../../../../library/messages/types.ts";
import type { FunctionExecutionResult, Image } from "../../../../library/models/types.ts";
import type { TranscriptEntry, TranscriptPayload } from "../../../../library/display/payloads.ts";
import { formatCount, formatDuration, hueOf, initialsOf, prettyJsonText } from "./format.ts";
import { renderMarkdown } from "./markdown.ts";
import { rendererBaseStyles, richTextStyles } from "./renderer-styles.ts";
import "./json-tree.ts";

const CHAT_TYPES = new Set(["TextMessage", "MultiModalMessage", "StopMessage", "HandoffMessage", "ToolCallSummaryMessage", "StructuredMessage"]);
const IMAGE_TYPES = /^image\/(?:png|jpeg|gif|webp)$/;
const HUMAN_SOURCES = new Set(["user", "human", "user_proxy"]);

function isHuman(source: string): boolean {
  return HUMAN_SOURCES.has(source.toLowerCase());
}

function avatar(source: string): TemplateResult {
  const hue = hueOf(source);
  return html`<div class="avatar" style="background:hsl(${hue} 70% 92%);color:hsl(${hue} 55% 32%)" aria-hidden="true">${initialsOf(source)}</div>`;
}

function tokens(entry: TranscriptEntry): string {
  const usage = entry.message.modelsUsage;
  if (!usage || usage.promptTokens + usage.completionTokens === 0) return "";
  return `${formatCount(usage.promptTokens)} in · ${formatCount(usage.completionTokens)} out`;
}

/**
 * `application/vnd.agentbook.transcript+json`: a run of agents as a chat. One bubble per
 * message, coloured per agent; tool calls as collapsible cards with their arguments and
 * results; handoffs and speaker selection as dividers; the message being streamed grows at the
 * bottom; tokens and latency on every message and in the header.
 */
export class TranscriptOutput extends LitElement {
  static properties = { data: { attribute: false } };
  static styles = [
    rendererBaseStyles,
    richTextStyles,
    css`
      :host { --bubble: #f4f5f8; }
      .transcript { border: 1px solid var(--ab-border, #e4e7ec); border-radius: 10px; background: var(--ab-surface, #fff); overflow: hidden; }
      header { display: flex; align-items: center; gap: 10px; padding: 8px 14px; border-bottom: 1px solid var(--ab-border, #e4e7ec); background: #fbfbfd; font-size: 12.5px; color: var(--ab-muted, #667085); flex-wrap: wrap; }
      header .title { color: var(--ab-text, #1f2328); font-weight: 600; font-size: 13px; }
      .status { display: inline-flex; align-items: center; gap: 6px; padding: 1px 9px; border-radius: 999px; font-weight: 600; font-size: 11.5px; text-transform: uppercase; letter-spacing: 0.03em; }
      .status::before { content: ""; width: 7px; height: 7px; border-radius: 50%; background: currentColor; }
      .status.running { color: #4338ca; background: #eef0ff; }
      .status.running::before { animation: pulse 1s ease-in-out infinite; }
      .status.done { color: #15803d; background: #ecfdf3; }
      .status.error { color: #b42318; background: #fef3f2; }
      .status.cancelled { color: #92400e; background: #fffaeb; }
      @keyframes pulse { 50% { opacity: 0.25; } }
      .stats { display: flex; gap: 12px; margin-left: auto; }
      .messages { padding: 10px 14px 12px; display: flex; flex-direction: column; gap: 2px; }
      .row { display: grid; grid-template-columns: 30px minmax(0, 1fr); column-gap: 10px; content-visibility: auto; contain-intrinsic-size: auto 60px; }
      .row > .avatar { grid-column: 1; grid-row: 1; }
      .row > .body { grid-column: 2; grid-row: 1; }
      .row.continued .avatar { visibility: hidden; height: 0; }
      .row.continued .who .name { display: none; }
      .row.continued .who:not(:has(.meta:not(:empty))) { display: none; }
      .row.continued { margin-top: -2px; }
      .row + .row:not(.continued) { margin-top: 8px; }
      .row.human { grid-template-columns: minmax(0, 1fr) 30px; }
      .row.human > .avatar { grid-column: 2; }
      .row.human > .body { grid-column: 1; align-items: flex-end; }
      .avatar { width: 28px; height: 28px; border-radius: 50%; display: grid; place-items: center; font-size: 11px; font-weight: 700; }
      .body { display: flex; flex-direction: column; align-items: flex-start; min-width: 0; gap: 4px; }
      .who { font-size: 12px; font-weight: 600; display: flex; gap: 8px; align-items: baseline; }
      .meta { font-weight: 400; color: var(--ab-muted, #667085); font-size: 11.5px; font-variant-numeric: tabular-nums; }
      .bubble { background: var(--bubble); border-radius: 4px 12px 12px 12px; padding: 7px 12px; max-width: min(760px, 100%); overflow-wrap: anywhere; }
      .row.human .bubble { background: #e9edff; border-radius: 12px 4px 12px 12px; }
      .bubble.stop { background: #fff7ed; }
      .bubble img { max-width: 320px; border-radius: 6px; display: block; margin: 4px 0; }
      .bubble.streaming::after { content: "▍"; color: var(--ab-accent, #4f46e5); animation: pulse 0.9s steps(1) infinite; }
      .plain { white-space: pre-wrap; }
      .card { border: 1px solid var(--ab-border, #e4e7ec); border-radius: 8px; background: #fff; width: min(760px, 100%); font-size: 12.5px; }
      .card + .card { margin-top: 2px; }
      .card > summary { cursor: pointer; padding: 5px 10px; display: flex; align-items: center; gap: 8px; list-style: none; }
      .card > summary::-webkit-details-marker { display: none; }
      .card > summary::before { content: "▸"; color: var(--ab-muted, #667085); transition: transform 0.1s; }
      .card[open] > summary::before { transform: rotate(90deg); }
      .card .fn { font-family: var(--ab-mono, monospace); font-weight: 600; color: #6d28d9; }
      .card .args-inline { font-family: var(--ab-mono, monospace); color: var(--ab-muted, #667085); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; flex: 1; }
      .card .result-badge { margin-left: auto; font-size: 11px; padding: 0 7px; border-radius: 999px; background: #ecfdf3; color: #15803d; white-space: nowrap; }
      .card .result-badge.error { background: #fef3f2; color: #b42318; }
      .card .result-badge.pending { background: #f2f4f7; color: var(--ab-muted, #667085); }
      .card .section { padding: 4px 12px 8px 28px; }
      .card .label { font-size: 11px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--ab-muted, #667085); margin: 4px 0 2px; }
      .card pre { background: var(--ab-code-bg, #f6f7f9); border-radius: 6px; padding: 6px 9px; max-height: 320px; overflow: auto; }
      .card.thought .fn { color: var(--ab-muted, #667085); font-weight: 500; font-style: italic; }
      .card.memory .fn { color: #0e7490; }
      .card.code .fn { color: #0f766e; }
      .divider { display: flex; align-items: center; gap: 10px; color: var(--ab-muted, #667085); font-size: 12px; margin: 8px 0 4px; content-visibility: auto; contain-intrinsic-size: auto 20px; }
      .divider::before, .divider::after { content: ""; flex: 1; border-top: 1px dashed var(--ab-border, #d0d5dd); }
      .divider strong { color: var(--ab-text, #1f2328); font-weight: 600; }
      footer { padding: 7px 14px; border-top: 1px solid var(--ab-border, #e4e7ec); font-size: 12.5px; color: var(--ab-muted, #667085); background: #fbfbfd; }
      footer.error { color: #b42318; background: #fef3f2; }
      .empty { color: var(--ab-muted, #667085); font-style: italic; padding: 4px 0; }
    `,
  ];
  declare data: TranscriptPayload | undefined;
  mimeType = "application/vnd.agentbook.transcript+json";
  metadata: Record<string, unknown> = {};

  #text(content: string): TemplateResult {
    return html`<div class="rich">${unsafeHTML(renderMarkdown(content))}</div>`;
  }

  #toolCard(call: { id: string; name: string; arguments: string }, result: FunctionExecutionResult | undefined): TemplateResult {
    const badge = result
      ? html`<span class="result-badge ${result.isError ? "error" : ""}">${result.isError ? "error" : "result"}</span>`
      : html`<span class="result-badge pending">running…</span>`;
    return html`<details class="card tool" data-call-id=${call.id}>
      <summary><span class="fn">${call.name}</span><span class="args-inline">${call.arguments}</span>${badge}</summary>
      <div class="section">
        <div class="label">Arguments</div>
        <pre class="arguments">${prettyJsonText(call.arguments)}</pre>
        ${result ? html`<div class="label">${result.isError ? "Error" : "Result"}</div><pre class="result">${prettyJsonText(result.content)}</pre>` : nothing}
      </div>
    </details>`;
  }

  #content(message: AgentMessage, results: Map<string, FunctionExecutionResult>, shownCalls: Set<string>): TemplateResult | typeof nothing {
    switch (message.type) {
      case "TextMessage":
        return html`<div class="bubble">${this.#text(message.content)}</div>`;
      case "StopMessage":
        return html`<div class="bubble stop">${this.#text(message.content)}</div>`;
      case "MultiModalMessage":
        return html`<div class="bubble">
          ${message.content.map((part) =>
            typeof part === "string"
              ? this.#text(part)
              : IMAGE_TYPES.test((part as Image).mimeType)
                ? html`<img alt="" src="data:${(part as Image).mimeType};base64,${(part as Image).data}" />`
                : html`<span class="meta">[${(part as Image).mimeType}]</span>`,
          )}
        </div>`;
      case "ToolCallSummaryMessage":
        return html`<div class="bubble"><div class="plain">${message.content}</div></div>`;
      case "StructuredMessage":
        return html`<div class="bubble"><ab-json-tree .data=${message.content} expand-depth="1"></ab-json-tree></div>`;
      case "ToolCallRequestEvent":
        return html`${(message as ToolCallRequestEvent).content.map((call) => {
          shownCalls.add(call.id);
          return this.#toolCard(call, results.get(call.id));
        })}`;
      case "ToolCallExecutionEvent": {
        const orphans = (message as ToolCallExecutionEvent).content.filter((result) => !shownCalls.has(result.callId));
        if (orphans.length === 0) return nothing;
        return html`${orphans.map((result) => this.#toolCard({ id: result.callId, name: result.name, arguments: "" }, result))}`;
      }
      case "ThoughtEvent":
        return html`<details class="card thought"><summary><span class="fn">thought</span></summary><div class="section"><div class="plain">${message.content}</div></div></details>`;
      case "MemoryQueryEvent":
        return html`<details class="card memory">
          <summary><span class="fn">memory</span><span class="args-inline">${message.content.length} ${message.content.length === 1 ? "item" : "items"} added to the context</span></summary>
          <div class="section">${message.content.map((item) => html`<pre>${typeof item.content === "string" ? item.content : JSON.stringify(item.content, null, 2)}</pre>`)}</div>
        </details>`;
      case "CodeGenerationEvent":
        return html`<details class="card code" open>
          <summary><span class="fn">code</span><span class="args-inline">${message.codeBlocks.map((block) => block.language).join(", ")}${message.retryAttempt ? ` · retry ${message.retryAttempt}` : ""}</span></summary>
          <div class="section">${message.codeBlocks.map((block) => html`<div class="label">${block.language}</div><pre>${block.code}</pre>`)}</div>
        </details>`;
      case "CodeExecutionEvent":
        return html`<details class="card code" open>
          <summary>
            <span class="fn">ran code</span>
            <span class="result-badge ${message.result.exitCode === 0 ? "" : "error"}">exit ${message.result.exitCode}</span>
          </summary>
          <div class="section"><pre>${message.result.output}</pre></div>
        </details>`;
      case "ModelClientStreamingChunkEvent":
        return nothing;
      default:
        return html`<div class="bubble"><ab-json-tree .data=${message} expand-depth="1"></ab-json-tree></div>`;
    }
  }

  #divider(message: AgentMessage): TemplateResult | null {
    if (message.type === "HandoffMessage")
      return html`<div class="divider handoff"><span>${message.source} handed off to <strong>${message.target}</strong>${message.content ? html` · ${message.content}` : nothing}</span></div>`;
    if (message.type === "SelectSpeakerEvent") return html`<div class="divider"><span>next speaker: <strong>${message.content.join(", ")}</strong></span></div>`;
    if (message.type === "UserInputRequestedEvent") return html`<div class="divider"><span>${message.source} is waiting for your input</span></div>`;
    return null;
  }

  render() {
    const payload = this.data;
    if (!payload || !Array.isArray(payload.entries)) return html`<pre>Transcript payload is missing its entries.</pre>`;
    const results = new Map<string, FunctionExecutionResult>();
    for (const entry of payload.entries) {
      if (entry.message.type === "ToolCallExecutionEvent") for (const result of entry.message.content) results.set(result.callId, result);
    }
    const shownCalls = new Set<string>();
    const requested = new Set(
      payload.entries.flatMap((entry) => (entry.message.type === "ToolCallRequestEvent" ? entry.message.content.map((call) => call.id) : [])),
    );
    // Streaming chunks are folded into `streaming`; results shown on their call's card need no row of their own.
    const visible = payload.entries.filter(
      (entry) =>
        entry.message.type !== "ModelClientStreamingChunkEvent" &&
        !(entry.message.type === "ToolCallExecutionEvent" && entry.message.content.every((result) => requested.has(result.callId))),
    );
    const usage = payload.usage ?? { promptTokens: 0, completionTokens: 0 };
    const chatCount = visible.filter((entry) => CHAT_TYPES.has(entry.message.type)).length;
    const toolCalls = visible.reduce((sum, entry) => sum + (entry.message.type === "ToolCallRequestEvent" ? entry.message.content.length : 0), 0);
    let previousSource: string | null = null;
    const rows = visible.map((entry) => {
      const divider = this.#divider(entry.message);
      const continued = !divider && previousSource === entry.message.source;
      previousSource = divider ? null : entry.message.source;
      return { entry, divider, continued };
    });
    const streaming = payload.streaming && payload.streaming.text ? payload.streaming : null;
    const streamingContinues = streaming !== null && previousSource === streaming.source;
    return html`<section class="transcript" aria-label="agent transcript">
      <header>
        <span class="status ${payload.status}">${payload.status}</span>
        <span class="title">${payload.title ?? "Agent run"}</span>
        <span class="stats">
          <span class="count">${chatCount} ${chatCount === 1 ? "message" : "messages"}</span>
          ${toolCalls ? html`<span class="calls">${toolCalls} tool ${toolCalls === 1 ? "call" : "calls"}</span>` : nothing}
          <span class="tokens">${formatCount(usage.promptTokens + usage.completionTokens)} tokens</span>
          ${payload.durationMs !== undefined ? html`<span class="duration">${formatDuration(payload.durationMs)}</span>` : nothing}
        </span>
      </header>
      <div class="messages">
        ${visible.length === 0 && !streaming ? html`<div class="empty">No messages yet.</div>` : nothing}
        ${repeat(
          rows,
          (row) => row.entry.message.id,
          ({ entry, divider, continued }) => {
            if (divider) return divider;
            const source = entry.message.source;
            const meta = [entry.elapsedMs !== undefined ? `+${formatDuration(entry.elapsedMs)}` : "", formatDuration(entry.durationMs), tokens(entry)]
              .filter(Boolean)
              .join(" · ");
            return html`<div class="row ${continued ? "continued" : ""} ${isHuman(source) ? "human" : ""}" data-type=${entry.message.type} data-source=${source}>
              ${avatar(source)}
              <div class="body">
                <div class="who"><span class="name">${source}</span><span class="meta">${meta}</span></div>
                ${this.#content(entry.message, results, shownCalls)}
              </div>
            </div>`;
          },
        )}
        ${streaming
          ? html`<div class="row streaming-row ${streamingContinues ? "continued" : ""}" data-source=${streaming.source}>
              ${avatar(streaming.source)}
              <div class="body">
                <div class="who"><span class="name">${streaming.source}</span><span class="meta">typing…</span></div>
                <div class="bubble streaming"><span class="plain">${streaming.text}</span></div>
              </div>
            </div>`
          : nothing}
      </div>
      ${payload.status === "error"
        ? html`<footer class="error">Error: ${payload.error ?? "the run failed"}</footer>`
        : payload.stopReason
          ? html`<footer>Stopped: ${payload.stopReason}</footer>`
          : nothing}
    </section>`;
  }
}
customElements.define("ab-transcript-output", TranscriptOutput);
