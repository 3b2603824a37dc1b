import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { repeat } from "lit/directives/repeat.js";
import { DASHBOARD_MIME, type DashboardEvent, type DashboardMessage, type DashboardPayload } from "../../../../library/display/payloads.ts";
import { createLatencyChart, createTokensChart, updateLatencyChart, updateTokensChart, type LatencyChart, type TokensChart } from "./dashboard-charts.ts";
import { formatClock, formatCost, formatCount, formatDuration, hueOf } from "./format.ts";
import { latencyGauge } from "./latency-gauge.ts";
import { rendererBaseStyles } from "./renderer-styles.ts";

/** The two lists that follow new entries. */
type ListName = "conversation" | "events";

/** How close to the bottom (px) still counts as "at the bottom" for following new entries. */
const FOLLOW_SLACK_PX = 24;

function isPayload(value: unknown): value is DashboardPayload {
  const payload = value as DashboardPayload | undefined;
  return typeof payload === "object" && payload !== null && typeof payload.counters === "object" && typeof payload.latency === "object";
}

function agentName(name: string): TemplateResult {
  return html`<span class="agent" style="color:hsl(${hueOf(name)} 55% 36%)">${name}</span>`;
}

/**
 * `application/vnd.agentbook.dashboard+json`: a live monitor of an agent session. Header with
 * status and who is working, counters, a latency gauge, latency and token charts (Chart.js),
 * the conversation and the event stream. The kernel replaces the payload several times a
 * second while the session runs; the element keeps its charts and scroll positions across
 * updates, and both lists follow new entries unless the user scrolled up to read.
 */
export class DashboardOutput extends LitElement {
  static properties = { data: { attribute: false } };
  static styles = [
    rendererBaseStyles,
    css`
      :host { container-type: inline-size; }
      .dashboard { border: 1px solid var(--ab-border, #e4e7ec); border-radius: 10px; background: var(--ab-surface, #fff); overflow: hidden; font-size: 12.5px; }
      header { display: flex; align-items: center; gap: 8px 12px; flex-wrap: wrap; padding: 8px 14px; border-bottom: 1px solid var(--ab-border, #e4e7ec); background: #fbfbfd; color: var(--ab-muted, #667085); }
      header .title { color: var(--ab-text, #1f2328); font-weight: 600; font-size: 13px; }
      .tag { font-size: 11px; background: #f2f4f7; color: #475467; border-radius: 999px; padding: 0 8px; }
      .status { display: inline-flex; align-items: center; gap: 5px; padding: 1px 9px; border-radius: 999px; font-weight: 600; font-size: 11.5px; white-space: nowrap; }
      .status.live { color: #4338ca; background: #eef0ff; }
      .status.live .dot { animation: pulse 1.1s ease-in-out infinite; }
      .status.ended { color: #475467; background: #f2f4f7; }
      .status.ended.success { color: #15803d; background: #ecfdf3; }
      .status.ended.fail { color: #b42318; background: #fef3f2; }
      @keyframes pulse { 50% { opacity: 0.2; } }
      .elapsed { font-variant-numeric: tabular-nums; }
      .working { margin-left: auto; }
      .working .agent { font-weight: 600; }
      .counters { display: flex; flex-wrap: wrap; gap: 1px; background: var(--ab-border, #e4e7ec); border-bottom: 1px solid var(--ab-border, #e4e7ec); }
      .counter { flex: 1 1 72px; background: var(--ab-surface, #fff); padding: 7px 10px; display: flex; flex-direction: column; min-width: 0; }
      .counter .value { font-size: 17px; font-weight: 650; font-variant-numeric: tabular-nums; color: var(--ab-text, #1f2328); white-space: nowrap; }
      .counter .label { font-size: 11px; color: var(--ab-muted, #667085); }
      .counter .sub { font-weight: 600; color: #b42318; white-space: nowrap; }
      .counter.alarm { background: #fef3f2; }
      .counter.alarm .value { color: #b42318; }
      .panels { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; padding: 12px 14px; }
      h3 { margin: 0 0 4px; font-size: 11.5px; font-weight: 600; color: var(--ab-muted, #667085); text-transform: uppercase; letter-spacing: 0.04em; }
      .gauge { margin: 0; display: flex; flex-direction: column; align-items: center; }
      .gauge svg { width: 100%; max-width: 210px; display: block; }
      .gauge text { font-size: 9px; fill: var(--ab-muted, #667085); }
      .gauge .needle line { stroke: #344054; stroke-width: 3; stroke-linecap: round; }
      .gauge .needle circle { fill: #344054; }
      .gauge figcaption { display: flex; flex-direction: column; align-items: center; line-height: 1.3; }
      .gauge .last { font-size: 20px; font-weight: 700; font-variant-numeric: tabular-nums; }
      .gauge .caption { color: var(--ab-muted, #667085); font-size: 11.5px; }
      .gauge .stats { font-variant-numeric: tabular-nums; color: #475467; font-size: 11.5px; }
      .chart { position: relative; height: 190px; min-width: 0; }
      .lists { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; padding: 0 14px 12px; }
      .list { max-height: 300px; overflow-y: auto; border: 1px solid #f0f1f4; border-radius: 8px; background: #fcfcfd; contain: content; overscroll-behavior: contain; }
      .earlier { padding: 4px 10px; color: var(--ab-muted, #667085); font-size: 11.5px; font-style: italic; border-bottom: 1px dashed var(--ab-border, #e4e7ec); }
      .empty { padding: 8px 10px; color: var(--ab-muted, #667085); font-style: italic; }
      .message { padding: 6px 10px; border-bottom: 1px solid #f0f1f4; }
      .message:last-child { border-bottom: 0; }
      .message .route { display: flex; gap: 6px; align-items: baseline; flex-wrap: wrap; }
      .message .agent { font-weight: 600; }
      .arrow { color: var(--ab-muted, #98a2b3); }
      .message .target { font-weight: 600; color: #b54708; }
      .type { font-size: 10.5px; color: var(--ab-muted, #667085); background: #f2f4f7; border-radius: 4px; padding: 0 5px; }
      .time { color: var(--ab-muted, #98a2b3); font-family: var(--ab-mono, monospace); font-size: 11px; font-variant-numeric: tabular-nums; }
      .message .time { margin-left: auto; }
      .content { margin-top: 2px; white-space: pre-wrap; overflow-wrap: anywhere; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 4; overflow: hidden; cursor: pointer; }
      .content.expanded { display: block; }
      .content.size { color: var(--ab-muted, #667085); font-style: italic; cursor: default; }
      .event { display: grid; grid-template-columns: 50px minmax(0, 1fr); gap: 8px; padding: 2px 10px; line-height: 1.45; }
      .event .text { overflow-wrap: anywhere; white-space: pre-wrap; }
      .event .agent { font-weight: 600; }
      .event.thought .text { font-style: italic; color: #475467; }
      .event.warn { background: #fffaeb; }
      .event.warn .text { color: #b54708; }
      .event.error { background: #fef3f2; }
      .event.error .text { color: #b42318; font-weight: 600; }
      @container (min-width: 720px) {
        .panels { grid-template-columns: 210px minmax(0, 1fr) minmax(0, 1fr); align-items: start; }
        .lists { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
      }
    `,
  ];
  declare data: DashboardPayload | undefined;
  mimeType = DASHBOARD_MIME;
  metadata: Record<string, unknown> = {};
  #latencyChart: LatencyChart | undefined;
  #tokensChart: TokensChart | undefined;
  /** The payload the charts show, so a re-render for another reason does not redraw them. */
  #charted: DashboardPayload | undefined;
  /** Per list: keep showing the newest entry (false once the user scrolls up to read). */
  #follow: Record<ListName, boolean> = { conversation: true, events: true };
  /** Per list: what the newest entry was at the last render, to scroll only when it changes. */
  #newest: Record<ListName, string> = { conversation: "", events: "" };
  /** Messages whose full text the user opened. */
  #expanded = new Set<string>();

  connectedCallback(): void {
    super.connectedCallback();
    // Moved in the page (outputs are re-ordered by moving their elements): the charts were
    // destroyed on the way out, and the lists lost their scroll positions.
    if (!this.hasUpdated) return;
    this.#syncCharts();
    this.#newest = { conversation: "", events: "" };
    this.#followNewest();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#destroyCharts();
  }

  #destroyCharts(): void {
    this.#latencyChart?.destroy();
    this.#tokensChart?.destroy();
    this.#latencyChart = this.#tokensChart = this.#charted = undefined;
  }

  protected updated(): void {
    this.#syncCharts();
    this.#followNewest();
  }

  #syncCharts(): void {
    const payload = this.data;
    if (!this.isConnected || !isPayload(payload)) return;
    const latencyCanvas = this.renderRoot.querySelector<HTMLCanvasElement>("canvas.latency");
    const tokensCanvas = this.renderRoot.querySelector<HTMLCanvasElement>("canvas.tokens");
    if (!latencyCanvas || !tokensCanvas) return;
    if (this.#latencyChart?.canvas !== latencyCanvas || this.#tokensChart?.canvas !== tokensCanvas) this.#destroyCharts();
    const font = getComputedStyle(this).fontFamily || "system-ui, sans-serif";
    if (!this.#latencyChart) this.#latencyChart = createLatencyChart(latencyCanvas, font);
    if (!this.#tokensChart) this.#tokensChart = createTokensChart(tokensCanvas, font);
    if (this.#charted === payload) return;
    this.#charted = payload;
    updateLatencyChart(this.#latencyChart, payload);
    updateTokensChart(this.#tokensChart, payload);
  }

  #followNewest(): void {
    const payload = this.data;
    if (!isPayload(payload)) return;
    const newest: Record<ListName, string> = {
      conversation: `${payload.dropped?.conversation ?? 0}:${payload.conversation?.length ?? 0}`,
      events: `${payload.dropped?.events ?? 0}:${payload.events?.length ?? 0}`,
    };
    for (const name of ["conversation", "events"] as const) {
      if (newest[name] === this.#newest[name]) continue;
      this.#newest[name] = newest[name];
      const list = this.renderRoot.querySelector<HTMLElement>(`.list.${name}`);
      if (list && this.#follow[name]) list.scrollTop = list.scrollHeight;
    }
  }

  #onScroll(name: ListName, event: Event): void {
    const list = event.currentTarget as HTMLElement;
    this.#follow[name] = list.scrollHeight - list.scrollTop - list.clientHeight <= FOLLOW_SLACK_PX;
  }

  #toggle(messageId: string): void {
    if (this.#expanded.has(messageId)) this.#expanded.delete(messageId);
    else this.#expanded.add(messageId);
    this.requestUpdate();
  }

  #status(payload: DashboardPayload): TemplateResult {
    if (payload.status === "live") return html`<span class="status live"><span class="dot">●</span> live</span>`;
    const end = payload.endState;
    return html`<span class="status ended ${end ? end.toLowerCase() : ""}">ended${end ? ` · ${end}` : ""}</span>`;
  }

  #counter(name: string, value: string, label: string, options: { alarm?: boolean; sub?: string } = {}): TemplateResult {
    return html`<div class="counter ${options.alarm ? "alarm" : ""}" data-counter=${name}>
      <span class="value">${value}</span>
      <span class="label">${label}${options.sub ? html`, <span class="sub">${options.sub}</span>` : nothing}</span>
    </div>`;
  }

  #message(message: DashboardMessage): TemplateResult {
    const expanded = this.#expanded.has(message.messageId);
    return html`<div class="message" data-message-id=${message.messageId}>
      <div class="route">
        ${agentName(message.from)}
        ${message.to.length ? html`<span class="arrow">→</span> <span class="to">${message.to.join(", ")}</span>` : nothing}
        ${message.target ? html`<span class="arrow">→</span> <span class="target">${message.target}</span>` : nothing}
        <span class="type">${message.messageType}</span>
        <span class="time">${formatClock(message.elapsedMs)}</span>
      </div>
      ${message.content !== undefined
        ? html`<div class="content ${expanded ? "expanded" : ""}" @click=${() => this.#toggle(message.messageId)}>${message.content}</div>`
        : html`<div class="content size">(${formatCount(message.size)} characters)</div>`}
    </div>`;
  }

  #event(event: DashboardEvent): TemplateResult {
    return html`<div class="event ${event.level}" data-type=${event.type}>
      <span class="time">${formatClock(event.elapsedMs)}</span>
      <span class="text">${event.agent ? html`${agentName(event.agent)} ` : nothing}${event.text}</span>
    </div>`;
  }

  render() {
    const payload = this.data;
    if (!isPayload(payload)) return html`<pre>Dashboard payload is missing its counters or latency.</pre>`;
    const counters = payload.counters;
    const conversation = payload.conversation ?? [];
    const events = payload.events ?? [];
    const dropped = payload.dropped ?? { conversation: 0, events: 0, modelLatency: 0 };
    const active = payload.activeAgents ?? [];
    return html`<section class="dashboard" aria-label="session dashboard">
      <header>
        <span class="title">${payload.title}</span>
        ${(payload.tags ?? []).map((tag) => html`<span class="tag">${tag}</span>`)}
        ${this.#status(payload)}
        <span class="elapsed" title="elapsed">${formatDuration(payload.elapsedMs)}</span>
        <span class="working">
          ${active.length
            ? html`working: ${active.map((name, index) => html`${index ? ", " : ""}${agentName(name)}`)}`
            : payload.status === "live"
              ? "nobody working"
              : nothing}
        </span>
      </header>
      <div class="counters">
        ${this.#counter("messages", formatCount(counters.messages), "messages")}
        ${this.#counter("model-calls", formatCount(counters.modelCalls), "model calls")}
        ${this.#counter("input-tokens", formatCount(counters.inputTokens), "tokens in")}
        ${this.#counter("output-tokens", formatCount(counters.outputTokens), "tokens out")}
        ${this.#counter("cost", formatCost(counters.costUsd), "cost")}
        ${this.#counter("tool-calls", formatCount(counters.toolCalls), "tool calls", { sub: counters.toolErrors ? `${formatCount(counters.toolErrors)} failed` : "" })}
        ${this.#counter("errors", formatCount(counters.errors), "errors", { alarm: counters.errors > 0 })}
      </div>
      <div class="panels">
        <div><h3>Model latency</h3>${latencyGauge(payload.latency)}</div>
        <div><h3>Model latency over the run</h3><div class="chart"><canvas class="latency" aria-label="model latency over the run" role="img"></canvas></div></div>
        <div><h3>Tokens per agent</h3><div class="chart"><canvas class="tokens" aria-label="tokens per agent" role="img"></canvas></div></div>
      </div>
      <div class="lists">
        <div>
          <h3>Conversation</h3>
          <div class="list conversation" @scroll=${(event: Event) => this.#onScroll("conversation", event)}>
            ${dropped.conversation > 0 ? html`<div class="earlier">+${formatCount(dropped.conversation)} earlier</div>` : nothing}
            ${conversation.length === 0 ? html`<div class="empty">No messages yet.</div>` : nothing}
            ${repeat(conversation, (message) => message.messageId, (message) => this.#message(message))}
          </div>
        </div>
        <div>
          <h3>Events</h3>
          <div class="list events" @scroll=${(event: Event) => this.#onScroll("events", event)}>
            ${dropped.events > 0 ? html`<div class="earlier">+${formatCount(dropped.events)} earlier</div>` : nothing}
            ${events.length === 0 ? html`<div class="empty">No events yet.</div>` : nothing}
            ${repeat(events, (event) => event.seq, (event) => this.#event(event))}
          </div>
        </div>
      </div>
    </section>`;
  }
}
customElements.define("ab-dashboard-output", DashboardOutput);
