import { Chart } from "chart.js";
import { DASHBOARD_MIME, type DashboardEvent, type DashboardMessage, type DashboardPayload } from "../../../../library/display/payloads.ts";
import "../../../../notebook-ui/web/src/notebook/monitor-panel.ts";
import type { MonitorPanel } from "../../../../notebook-ui/web/src/notebook/monitor-panel.ts";
import { createDefaultRegistry } from "../../../../notebook-ui/web/src/renderers/default-registry.ts";
import type { OutputRendererElement } from "../../../../notebook-ui/web/src/renderers/registry.ts";
import { assert, describe, it, mount, settled } from "./harness.ts";

const registry = createDefaultRegistry();

function message(seq: number, overrides: Partial<DashboardMessage> = {}): DashboardMessage {
  return { seq, elapsedMs: seq * 400, messageId: `m${seq}`, messageType: "TextMessage", from: seq % 2 ? "writer" : "critic", to: [seq % 2 ? "critic" : "writer"], size: 12, content: `message ${seq}`, ...overrides };
}

function event(seq: number, overrides: Partial<DashboardEvent> = {}): DashboardEvent {
  return { seq, elapsedMs: seq * 200, type: "model_call", agent: "writer", text: `gpt-4o: ${seq} ms`, level: "info", ...overrides };
}

function payload(overrides: Partial<DashboardPayload> = {}): DashboardPayload {
  return {
    version: 1,
    title: "essay team",
    sessionId: "s1",
    tags: ["demo", "offline"],
    status: "live",
    elapsedMs: 4200,
    activeAgents: ["writer"],
    counters: { messages: 2, modelCalls: 3, inputTokens: 1200, outputTokens: 340, costUsd: 0.0042, toolCalls: 1, toolErrors: 0, errors: 0 },
    latency: { lastMs: 800, p50Ms: 700, p95Ms: 900, warnMs: 2000, alertMs: 5000, level: "ok" },
    conversation: [message(1), message(2)],
    events: [event(1), event(2, { type: "thought", level: "thought", text: "I should be brief" })],
    series: {
      modelLatency: [
        { elapsedMs: 500, latencyMs: 700, model: "gpt-4o", agent: "writer" },
        { elapsedMs: 1800, latencyMs: 900, model: "gpt-4o", agent: "critic" },
        { elapsedMs: 4000, latencyMs: 800, model: "gpt-4o", agent: "writer" },
      ],
      tokensByAgent: [
        { agent: "writer", inputTokens: 800, outputTokens: 240, costUsd: 0.003 },
        { agent: "critic", inputTokens: 400, outputTokens: 100, costUsd: 0.0012 },
      ],
    },
    dropped: { conversation: 0, events: 0, modelLatency: 0 },
    ...overrides,
  };
}

/** The dashboard element the notebook would make for the bundle, mounted and rendered. */
async function show(data: DashboardPayload): Promise<OutputRendererElement> {
  const element = registry.render({ [DASHBOARD_MIME]: data, "text/plain": "dashboard" }) as OutputRendererElement;
  assert.equal(element.localName, "ab-dashboard-output");
  await mount(element);
  await settled(element);
  return element;
}

/** Give the element a new payload, as a live display update does, and wait for it to render. */
async function update(element: OutputRendererElement, data: DashboardPayload): Promise<void> {
  element.data = data;
  await settled(element);
}

const root = (element: HTMLElement) => element.shadowRoot!;
const counter = (element: HTMLElement, name: string) => root(element).querySelector<HTMLElement>(`[data-counter="${name}"]`)!;
const value = (element: HTMLElement, name: string) => counter(element, name).querySelector(".value")!.textContent!.trim();
const chartOf = (element: HTMLElement, name: string) => Chart.getChart(root(element).querySelector<HTMLCanvasElement>(`canvas.${name}`)!);

describe("dashboard renderer", () => {
  it("shows a live session, then the same element follows an update: counters, status, gauge and charts", async () => {
    const element = await show(payload());
    const header = root(element).querySelector("header")!.textContent!.replace(/\s+/g, " ");
    assert.match(header, /essay team/);
    assert.match(header, /demo/);
    assert.match(header, /● live/);
    assert.ok(root(element).querySelector(".status.live"), "the live badge pulses");
    assert.match(header, /4\.2 s/);
    assert.match(header, /working: writer/);
    assert.equal(value(element, "messages"), "2");
    assert.equal(value(element, "model-calls"), "3");
    assert.equal(value(element, "input-tokens"), "1,200");
    assert.equal(value(element, "output-tokens"), "340");
    assert.equal(value(element, "cost"), "$0.0042");
    assert.equal(value(element, "tool-calls"), "1");
    assert.equal(value(element, "errors"), "0");
    assert.ok(!counter(element, "errors").classList.contains("alarm"), "no errors, no alarm");
    assert.equal(root(element).querySelector(".gauge")!.getAttribute("data-level"), "ok");
    assert.ok(root(element).querySelector(".gauge .needle"), "the needle points at the last call");
    assert.match(root(element).querySelector(".gauge figcaption")!.textContent!, /800 ms[\s\S]*p50 700 ms · p95 900 ms/);

    const latency = chartOf(element, "latency");
    const tokens = chartOf(element, "tokens");
    assert.ok(latency && tokens, "both charts are drawn on their canvases");
    assert.deepEqual(latency.data.datasets[0]!.data.map((point) => (point as { y: number }).y), [700, 900, 800]);
    assert.deepEqual(tokens.data.labels, ["writer", "critic"]);

    await update(
      element,
      payload({
        status: "ended",
        endState: "Success",
        elapsedMs: 9000,
        activeAgents: [],
        counters: { messages: 3, modelCalls: 4, inputTokens: 2000, outputTokens: 500, costUsd: 0.0061, toolCalls: 2, toolErrors: 1, errors: 1 },
        latency: { lastMs: 6100, p50Ms: 800, p95Ms: 6000, warnMs: 2000, alertMs: 5000, level: "alert" },
        conversation: [message(1), message(2), message(3)],
        series: {
          modelLatency: [...payload().series.modelLatency, { elapsedMs: 8800, latencyMs: 6100, model: "gpt-4o", agent: "critic", error: true }],
          tokensByAgent: [...payload().series.tokensByAgent, { agent: "editor", inputTokens: 800, outputTokens: 160, costUsd: 0.0019 }],
        },
      }),
    );
    assert.match(root(element).querySelector(".status")!.textContent!, /ended · Success/);
    assert.ok(!root(element).querySelector(".status.live"));
    assert.equal(value(element, "messages"), "3");
    assert.equal(value(element, "input-tokens"), "2,000");
    assert.equal(value(element, "cost"), "$0.0061");
    assert.match(counter(element, "tool-calls").textContent!, /1 failed/);
    assert.equal(value(element, "errors"), "1");
    assert.ok(counter(element, "errors").classList.contains("alarm"), "errors stand out");
    assert.equal(getComputedStyle(counter(element, "errors").querySelector(".value")!).color, "rgb(180, 35, 24)");
    assert.equal(root(element).querySelector(".gauge")!.getAttribute("data-level"), "alert");
    assert.equal(root(element).querySelectorAll(".message").length, 3);

    assert.equal(chartOf(element, "latency"), latency, "the same chart, updated in place");
    assert.equal(chartOf(element, "tokens"), tokens);
    const points = latency.data.datasets[0]!.data as Array<{ x: number; y: number; error?: boolean }>;
    assert.deepEqual(points.map((point) => point.y), [700, 900, 800, 6100]);
    assert.equal(points[3]!.x, 8.8, "x is elapsed seconds");
    assert.equal(points[3]!.error, true, "the failed call is marked (drawn red)");
    assert.deepEqual(tokens.data.labels, ["writer", "critic", "editor"]);
    assert.deepEqual(tokens.data.datasets.map((dataset) => dataset.data), [[800, 400, 800], [240, 100, 160]]);
  });

  it("the gauge's level follows the thresholds, and says so when there was no call yet", async () => {
    const element = await show(payload());
    const gauge = () => root(element).querySelector(".gauge")!;
    for (const [lastMs, level] of [[500, "ok"], [2500, "warn"], [7000, "alert"]] as const) {
      await update(element, payload({ latency: { lastMs, p50Ms: lastMs, p95Ms: lastMs, warnMs: 2000, alertMs: 5000, level } }));
      assert.equal(gauge().getAttribute("data-level"), level);
      assert.ok(gauge().querySelector(".needle"));
    }
    await update(element, payload({ latency: { warnMs: 2000, alertMs: 5000, level: "none" }, series: { modelLatency: [], tokensByAgent: [] } }));
    assert.equal(gauge().getAttribute("data-level"), "none");
    assert.ok(!gauge().querySelector(".needle"), "no needle before the first call");
    assert.match(gauge().textContent!, /no model calls yet/);
    assert.equal(chartOf(element, "latency")!.data.datasets[0]!.data.length, 0);
  });

  it("events show time, agent and text; errors are red, thoughts italic, warnings amber", async () => {
    const element = await show(
      payload({
        events: [
          event(1, { elapsedMs: 7400 }),
          event(2, { type: "thought", level: "thought", text: "Maybe shorter" }),
          event(3, { level: "warn", text: "gpt-4o: 2.5 s" }),
          event(4, { type: "tool_call", level: "error", text: "search() failed: TimeoutError" }),
        ],
      }),
    );
    const rows = [...root(element).querySelectorAll<HTMLElement>(".event")];
    assert.equal(rows.length, 4);
    assert.match(rows[0]!.textContent!.replace(/\s+/g, " "), /0:07\.4 writer gpt-4o: 1 ms/);
    assert.ok(rows[3]!.classList.contains("error"));
    assert.equal(getComputedStyle(rows[3]!.querySelector(".text")!).color, "rgb(180, 35, 24)");
    assert.ok(!rows[0]!.classList.contains("error"));
    assert.equal(getComputedStyle(rows[1]!.querySelector(".text")!).fontStyle, "italic");
    assert.equal(getComputedStyle(rows[2]!.querySelector(".text")!).color, "rgb(181, 71, 8)");
  });

  it("the conversation shows who spoke to whom and the content as text, never as markup", async () => {
    const attack = `<img src=x onerror="window.__dashboardXss = true">`;
    const element = await show(
      payload({
        conversation: [
          message(1, { content: attack }),
          message(2, { messageType: "HandoffMessage", from: "planner", to: ["team"], target: "coder", content: "over to you" }),
          message(3, { content: undefined, size: 1234 }),
        ],
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const rows = [...root(element).querySelectorAll<HTMLElement>(".message")];
    assert.equal(rows[0]!.querySelector(".content")!.textContent, attack, "the markup is shown literally");
    assert.equal(root(element).querySelectorAll("img").length, 0, "no image element was made");
    assert.equal((window as { __dashboardXss?: boolean }).__dashboardXss, undefined);
    assert.match(rows[0]!.querySelector(".route")!.textContent!.replace(/\s+/g, " "), /writer → critic TextMessage/);
    assert.match(rows[1]!.querySelector(".route")!.textContent!.replace(/\s+/g, " "), /planner → team → coder HandoffMessage/);
    assert.equal(rows[2]!.querySelector(".content")!.textContent, "(1,234 characters)");
    assert.equal(root(element).querySelector(".earlier"), null, "nothing was left out");

    await update(element, payload({ conversation: [message(41), message(42)], dropped: { conversation: 40, events: 0, modelLatency: 0 } }));
    assert.equal(root(element).querySelector(".list.conversation .earlier")!.textContent, "+40 earlier");
  });

  it("both lists follow new entries, unless the user scrolled up to read", async () => {
    const many = (count: number) => Array.from({ length: count }, (_, i) => event(i + 1));
    const element = await show(payload({ events: many(60) }));
    const list = root(element).querySelector<HTMLElement>(".list.events")!;
    const atBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < 2;
    assert.ok(list.scrollHeight > list.clientHeight, "the list scrolls");
    assert.ok(atBottom(), "starts at the newest event");
    await update(element, payload({ events: many(80) }));
    assert.ok(atBottom(), "follows new events");
    list.scrollTop = 0;
    list.dispatchEvent(new Event("scroll"));
    await update(element, payload({ events: many(100) }));
    assert.equal(list.scrollTop, 0, "stays where the user is reading");
  });

  it("keeps up with 200 messages and 500 events updated 20 times", async () => {
    const element = await show(payload());
    for (let round = 1; round <= 20; round++) {
      const dropped = round * 10;
      await update(
        element,
        payload({
          counters: { ...payload().counters, messages: 200 + dropped },
          conversation: Array.from({ length: 200 }, (_, i) => message(dropped + i + 1)),
          events: Array.from({ length: 500 }, (_, i) => event(dropped + i + 1, { level: i % 50 === 0 ? "error" : "info" })),
          series: {
            modelLatency: Array.from({ length: 300 }, (_, i) => ({ elapsedMs: i * 100, latencyMs: 500 + ((i * 37) % 900), model: "gpt-4o" })),
            tokensByAgent: payload().series.tokensByAgent,
          },
          dropped: { conversation: dropped, events: dropped, modelLatency: 0 },
        }),
      );
    }
    assert.equal(root(element).querySelectorAll(".message").length, 200);
    assert.equal(root(element).querySelectorAll(".event").length, 500);
    assert.equal(value(element, "messages"), "400");
    assert.equal(root(element).querySelector(".list.events .earlier")!.textContent, "+200 earlier");
    assert.equal(chartOf(element, "latency")!.data.datasets[0]!.data.length, 300);
  });

  it("destroys its charts when removed; put back, it draws them again and shows the newest events", async () => {
    const element = await show(payload({ events: Array.from({ length: 60 }, (_, i) => event(i + 1)) }));
    const canvas = root(element).querySelector<HTMLCanvasElement>("canvas.latency")!;
    element.remove();
    assert.equal(Chart.getChart(canvas), undefined);
    document.body.append(element);
    await settled(element);
    assert.ok(Chart.getChart(canvas), "moved outputs keep their charts");
    assert.equal(Chart.getChart(canvas)!.data.datasets[0]!.data.length, 3);
    const list = root(element).querySelector<HTMLElement>(".list.events")!;
    assert.ok(list.scrollHeight - list.scrollTop - list.clientHeight < 2, "scrolled to the newest event again");
  });
});

describe("monitor panel", () => {
  it("says how to get a dashboard, then shows the one it is given", async () => {
    const panel = document.createElement("ab-monitor-panel") as MonitorPanel;
    await mount(panel);
    assert.ok(panel.querySelector("aside.ab-monitor"));
    assert.match(panel.textContent!, /Display a session dashboard in a cell to follow it here: display\(session\.dashboard\(\)\)/);
    let closed = 0;
    panel.addEventListener("monitor-close", () => closed++);
    panel.payload = payload();
    await settled(panel);
    const dashboard = panel.querySelector<OutputRendererElement>("ab-dashboard-output")!;
    await settled(dashboard);
    assert.equal(dashboard.shadowRoot!.querySelector(".title")!.textContent, "essay team");
    panel.querySelector<HTMLButtonElement>('button[aria-label="Close the monitor"]')!.click();
    assert.equal(closed, 1);
  });
});
