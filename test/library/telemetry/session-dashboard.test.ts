import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { z } from "zod";
import {
  AssistantAgent,
  DASHBOARD_MIME,
  FunctionTool,
  MaxMessageTermination,
  OpenAIChatCompletionClient,
  ReplayChatCompletionClient,
  RoundRobinGroupChat,
  UserError,
  display,
  displayPublisher,
  loadSession,
  setDisplayPublisher,
  setTelemetryOptions,
  startSession,
} from "agentbook";
import type { CreateResult, DashboardPayload, DisplayPublisher, MimeBundle, PublishOptions } from "agentbook";
import { startOpenAIServer, type OpenAIServer } from "../../fixtures/openai-server.ts";

// session.dashboard(): the live view of a session that display() keeps up to date.

/** A notebook front end that records what display() sends. */
function recordingPublisher(kind: "notebook" | "terminal" = "notebook") {
  const published: Array<{ data: MimeBundle; options: PublishOptions }> = [];
  const publisher: DisplayPublisher = { kind, publish: (data, options) => published.push({ data, options }), clear() {}, track() {} };
  const payloads = () => published.map((item) => item.data[DASHBOARD_MIME] as DashboardPayload);
  return { publisher, published, payloads };
}

const reply = (content: string | CreateResult["content"], extra: Partial<CreateResult> = {}): CreateResult => ({
  content,
  finishReason: typeof content === "string" ? "stop" : "function_calls",
  usage: { promptTokens: 10, completionTokens: 3 },
  cached: false,
  ...extra,
});

const lookup = new FunctionTool(
  async ({ ticker }) => {
    if (ticker === "XYZ") throw new Error("unknown ticker XYZ");
    return `${ticker}: revenue 30.0bn`;
  },
  { name: "lookup", description: "Figures by ticker", parameters: z.object({ ticker: z.string() }) },
);

/** A coordinator and an analyst whose tool fails once; 4 model calls, one thought. */
function analysisTeam() {
  const coordinator = new AssistantAgent({
    name: "coordinator",
    modelClient: new ReplayChatCompletionClient([reply("analyst: compare NVDA with XYZ"), reply("Done. TERMINATE")]),
  });
  const analyst = new AssistantAgent({
    name: "analyst",
    tools: [lookup],
    reflectOnToolUse: true,
    modelClient: new ReplayChatCompletionClient([
      reply(
        [
          { id: "c1", name: "lookup", arguments: '{"ticker":"NVDA"}' },
          { id: "c2", name: "lookup", arguments: '{"ticker":"XYZ"}' },
        ],
        { thought: "I need both tickers first." },
      ),
      reply("NVDA made 30.0bn; XYZ is unknown <img src=x onerror=alert(1)>"),
    ]),
  });
  return new RoundRobinGroupChat({ participants: [coordinator, analyst], terminationCondition: new MaxMessageTermination(4) });
}

describe("session dashboard", () => {
  let previous: DisplayPublisher;
  let server: OpenAIServer;
  before(async () => {
    server = await startOpenAIServer();
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.reset();
    previous = displayPublisher();
  });
  afterEach(() => {
    setDisplayPublisher(previous);
    setTelemetryOptions({ captureContent: false });
  });

  it("follows a team live: conversation, thoughts, tool errors, counters, and a final update when the session ends", async () => {
    setTelemetryOptions({ captureContent: true });
    const recorder = recordingPublisher();
    setDisplayPublisher(recorder.publisher);
    const session = startSession({ name: "analysis", tags: ["test"] });
    const handle = display(session.dashboard({ updateIntervalMs: 0 }));

    const first = recorder.published[0]!;
    assert.equal(first.options.update, false);
    assert.equal(recorder.payloads()[0]!.status, "live");
    assert.equal(recorder.payloads()[0]!.counters.messages, 0);

    // display() did not wait: the team runs after it, and its output keeps changing.
    await analysisTeam().run({ task: "Compare NVDA and XYZ" });
    const midRun = recorder.published.length;
    assert.ok(midRun > 3, `updates while the team ran (${midRun})`);
    assert.ok(recorder.published.slice(1).every((item) => item.options.update && item.options.displayId === first.options.displayId));
    assert.equal(recorder.payloads().at(-1)!.status, "live");

    session.end("Success");
    await handle; // settles with the final update
    const final = recorder.payloads().at(-1)!;
    assert.equal(final.status, "ended");
    assert.equal(final.endState, "Success");
    assert.deepEqual(final.activeAgents, []);

    const summary = session.summary();
    assert.equal(final.counters.modelCalls, 4);
    assert.equal(final.counters.modelCalls, summary.tokens.total.calls);
    assert.equal(final.counters.inputTokens, summary.tokens.total.inputTokens);
    assert.equal(final.counters.outputTokens, summary.tokens.total.outputTokens);
    assert.equal(final.counters.toolCalls, 2);
    assert.equal(final.counters.toolErrors, 1);

    const said = final.conversation.filter((message) => message.messageType === "TextMessage").map((message) => `${message.from}: ${message.content}`);
    assert.deepEqual(said.slice(0, 2), ["user: Compare NVDA and XYZ", "coordinator: analyst: compare NVDA with XYZ"]);
    assert.ok(said.includes("coordinator: Done. TERMINATE"));
    const task = final.conversation.find((message) => message.from === "user")!;
    assert.ok(task.to.includes("coordinator"), "the task was delivered to the coordinator");

    const thought = final.events.find((event) => event.level === "thought");
    assert.deepEqual([thought?.agent, thought?.text], ["analyst", "I need both tickers first."]);
    const failedTool = final.events.find((event) => event.type === "tool_call" && event.level === "error");
    assert.match(failedTool!.text, /^lookup\(\{"ticker":"XYZ"\}\) → failed: .*unknown ticker XYZ/);
    assert.ok(final.events.some((event) => event.type === "tool_call" && event.level === "info" && /NVDA: revenue 30\.0bn/.test(event.text)));
    assert.deepEqual(
      final.series.tokensByAgent.map((row) => [row.agent, row.inputTokens + row.outputTokens]),
      [
        ["coordinator", 26],
        ["analyst", 26],
      ],
    );
    assert.equal(final.series.modelLatency.length, 4);

    // The fallbacks escape what the model said.
    const html = String(recorder.published.at(-1)!.data["text/html"]);
    assert.ok(!html.includes("<img"), "model text is escaped in the HTML view");
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(String(recorder.published.at(-1)!.data["text/plain"]), /ended \(Success\)[\s\S]*4 model calls[\s\S]*1 failed/);
  });

  it("sends at most one update per interval, and the final one at once", async () => {
    const recorder = recordingPublisher();
    setDisplayPublisher(recorder.publisher);
    const session = startSession();
    display(session.dashboard({ updateIntervalMs: 60_000 }));
    await analysisTeam().run({ task: "Compare" });
    await analysisTeam().run({ task: "Compare again" });
    // Dozens of events so far, and nothing but the dashboard display() showed.
    assert.ok(session.events.length > 30);
    assert.equal(recorder.published.length, 1);
    session.end("Indeterminate");
    assert.equal(recorder.published.length, 2, "the final update does not wait for the interval");
    assert.equal(recorder.payloads().at(-1)!.endState, "Indeterminate");
    assert.equal(recorder.payloads().at(-1)!.counters.modelCalls, 8);
  });

  it("turns the gauge amber and red by model latency", async () => {
    setDisplayPublisher(recordingPublisher().publisher);
    const modelClient = new OpenAIChatCompletionClient({
      model: "gpt-4o-mini",
      apiKey: "sk-dashboard-test",
      baseURL: server.url,
      maxRetries: 0,
    });
    const agent = new AssistantAgent({ name: "slowpoke", modelClient });
    // The first request pays for connecting; make it before the session, so "quick" is quick on a busy machine too.
    server.enqueue({ content: "warm" });
    await agent.run({ task: "warm up" });
    const session = startSession();
    // Wide gaps between the delays and the thresholds, so a loaded machine does not move a call into the next band.
    const dashboard = session.dashboard({ latencyThresholds: { warnMs: 500, alertMs: 1500 } });
    assert.equal(dashboard.payload().latency.level, "none");
    server.enqueue({ content: "quick" });
    await agent.run({ task: "a" });
    assert.equal(dashboard.payload().latency.level, "ok");
    server.enqueue({ content: "slow", delayMs: 700 });
    await agent.run({ task: "b" });
    const warn = dashboard.payload();
    assert.equal(warn.latency.level, "warn");
    assert.ok(warn.events.some((event) => event.type === "model_call" && event.level === "warn"));
    server.enqueue({ content: "slower", delayMs: 1600 });
    await agent.run({ task: "c" });
    const alert = dashboard.payload();
    session.end();
    assert.equal(alert.latency.level, "alert");
    assert.ok(alert.latency.lastMs! >= 1500 && alert.latency.p95Ms! >= 1500 && alert.latency.p50Ms! >= 500);
    assert.equal(alert.counters.costUsd > 0, true, "gpt-4o-mini is priced");
  });

  it("keeps the newest messages and events, counting what it dropped", async () => {
    setDisplayPublisher(recordingPublisher().publisher);
    const session = startSession();
    const dashboard = session.dashboard({ maxMessages: 3, maxEvents: 5 });
    await analysisTeam().run({ task: "Compare" });
    session.end();
    const payload = dashboard.payload();
    assert.equal(payload.conversation.length, 3);
    assert.equal(payload.dropped.conversation, payload.counters.messages - 3);
    assert.equal(payload.events.length, 5);
    assert.ok(payload.dropped.events > 0);
    assert.equal(payload.events.at(-1)!.type, "session_end");
  });

  it("prints the first and the final state in a terminal, not every update", async () => {
    const recorder = recordingPublisher("terminal");
    setDisplayPublisher(recorder.publisher);
    const session = startSession();
    display(session.dashboard({ updateIntervalMs: 0 }));
    await analysisTeam().run({ task: "Compare" });
    session.end("Fail");
    assert.equal(recorder.published.length, 2);
    assert.match(String(recorder.published[1]!.data["text/plain"]), /ended \(Fail\)/);
  });

  it("replays a saved session into the dashboard", async () => {
    const recorder = recordingPublisher();
    setDisplayPublisher(recorder.publisher);
    const live = startSession({ name: "to replay" });
    const liveDashboard = live.dashboard();
    await analysisTeam().run({ task: "Compare" });
    live.end("Success");
    const folder = mkdtempSync(join(tmpdir(), "agentbook-dashboard-"));
    try {
      await live.save(join(folder, "s.jsonl"));
      const saved = await loadSession(join(folder, "s.jsonl"));
      assert.throws(() => live.dashboard({ replay: { speed: 0 } }), UserError);
      const handle = display(saved.dashboard({ replay: { speed: 1000 }, updateIntervalMs: 0 }));
      assert.equal(recorder.payloads()[0]!.counters.messages, 0, "a replay starts empty");
      await handle;
      const replayed = recorder.payloads().at(-1)!;
      const original = liveDashboard.payload();
      assert.equal(replayed.status, "ended");
      assert.deepEqual(replayed.counters, original.counters);
      assert.deepEqual(
        replayed.conversation.map((message) => [message.from, message.messageType]),
        original.conversation.map((message) => [message.from, message.messageType]),
      );
      assert.ok(recorder.published.length > 3, "it filled up step by step");
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("refuses options that make no sense, saying what to do", () => {
    const session = startSession();
    try {
      assert.throws(() => session.dashboard({ latencyThresholds: { warnMs: 500, alertMs: 100 } }), /alertMs \(100\) is below warnMs \(500\)/);
      assert.throws(() => session.dashboard({ latencyThresholds: { warnMs: -1 } }), /warnMs must be a positive number/);
      assert.throws(() => session.dashboard({ updateIntervalMs: -5 }), /updateIntervalMs must be 0 or more/);
      assert.throws(() => session.dashboard({ replay: {} }), /still open\. End it first/);
    } finally {
      session.end();
    }
  });
});
