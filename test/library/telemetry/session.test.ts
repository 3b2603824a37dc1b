import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import {
  AssistantAgent,
  ListMemory,
  MaxMessageTermination,
  OpenAIChatCompletionClient,
  ReplayChatCompletionClient,
  RoundRobinGroupChat,
  Session,
  UserError,
  setTelemetryOptions,
  startSession,
  tracingState,
} from "agentbook";
import type { RecordedSpan, SessionEvent } from "agentbook";
import { startOpenAIServer, type OpenAIServer } from "../../fixtures/openai-server.ts";

// Sessions: what they record of real runs, the numbers they answer, and their live feed.

let server: OpenAIServer;

function client(model: string) {
  return new OpenAIChatCompletionClient({
    model,
    apiKey: "sk-session-test",
    baseURL: server.url,
    maxRetries: 0,
    modelInfo: { vision: false, functionCalling: true, jsonOutput: true, structuredOutput: true, family: "unknown" },
  });
}

function replayTeam(names: string[], rounds: number) {
  return new RoundRobinGroupChat({
    participants: names.map(
      (name) =>
        new AssistantAgent({
          name,
          modelClient: new ReplayChatCompletionClient(
            Array.from({ length: rounds }, (_, i) => ({
              content: `${name} says ${i}`,
              finishReason: "stop" as const,
              usage: { promptTokens: 10, completionTokens: 2 },
              cached: false,
              thought: `${name} ponders ${i}`,
            })),
          ),
        }),
    ),
    terminationCondition: new MaxMessageTermination(1 + names.length * rounds),
  });
}

describe("sessions", () => {
  before(async () => {
    server = await startOpenAIServer();
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => server.reset());
  afterEach(() => setTelemetryOptions({ captureContent: false, prices: {} }));

  it("costs model calls from the price table, with dated names, overrides and unpriced models", async () => {
    server.enqueue(
      { content: "a", usage: { promptTokens: 1000, completionTokens: 500 } },
      { content: "b", usage: { promptTokens: 2000, completionTokens: 1000 }, model: "gpt-4o-mini-2024-07-18" },
      { content: "c", usage: { promptTokens: 300, completionTokens: 100 } },
    );
    const session = startSession();
    await new AssistantAgent({ name: "big", modelClient: client("gpt-4o") }).run({ task: "x" });
    await new AssistantAgent({ name: "small", modelClient: client("gpt-4o-mini") }).run({ task: "y" });
    await new AssistantAgent({ name: "local", modelClient: client("my-local-model") }).run({ task: "z" });
    session.end();

    const summary = session.summary();
    const big = (1000 * 2.5 + 500 * 10) / 1e6;
    const small = (2000 * 0.15 + 1000 * 0.6) / 1e6;
    assert.equal(summary.tokens.models["gpt-4o"]!.costUsd, big);
    assert.equal(summary.tokens.models["gpt-4o-mini"]!.costUsd, small, "priced by the served model's dated name");
    assert.equal(summary.cost.totalUsd, big + small);
    assert.deepEqual(summary.cost.unpricedModels, ["my-local-model"]);
    assert.deepEqual(summary.tokens.total, { calls: 3, inputTokens: 3300, outputTokens: 1600, costUsd: big + small });

    // A price for the local model, given to the summary; then a process-wide override of gpt-4o.
    const local = (300 * 1 + 100 * 3) / 1e6;
    const priced = session.summary({ prices: { "my-local-model": { inputPerMillion: 1, outputPerMillion: 3 } } });
    assert.equal(priced.cost.totalUsd, big + small + local);
    assert.deepEqual(priced.cost.unpricedModels, []);
    setTelemetryOptions({ prices: { "gpt-4o": { inputPerMillion: 5, outputPerMillion: 20 } } });
    assert.equal(session.summary().tokens.models["gpt-4o"]!.costUsd, (1000 * 5 + 500 * 20) / 1e6);
    const events = session.events.filter((event) => event.type === "model_call");
    assert.deepEqual(
      events.map((event) => event.type === "model_call" && [event.agent, event.requestModel, event.responseModel, event.costUsd]),
      [
        ["big", "gpt-4o", "gpt-4o", big],
        ["small", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", small],
        ["local", "my-local-model", "my-local-model", undefined],
      ],
    );
    assert.throws(() => session.summary({ prices: { x: { inputPerMillion: -1, outputPerMillion: 0 } } }), UserError);
  });

  it("answers p50 and p95 latency per agent and per model", () => {
    const span = (index: number, kind: "agent" | "model", durationMs: number): RecordedSpan => ({
      traceId: "t".repeat(32),
      spanId: `${kind}${index}`.padStart(16, "0"),
      name: kind === "agent" ? "invoke_agent a" : "chat gpt-4o",
      kind: "internal",
      startTimeMs: 1_000_000 + index * 100,
      endTimeMs: 1_000_000 + index * 100 + durationMs,
      durationMs,
      status: "unset",
      attributes:
        kind === "agent"
          ? { "agentbook.span.kind": "agent", "gen_ai.agent.name": index % 2 ? "odd" : "even" }
          : { "agentbook.span.kind": "model", "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 1, "gen_ai.usage.output_tokens": 1 },
      events: [],
    });
    const spans = [
      ...Array.from({ length: 20 }, (_, i) => span(i, "model", i + 1)),
      ...Array.from({ length: 10 }, (_, i) => span(i, "agent", (i + 1) * 10)),
    ];
    const header = { line: "session", format: "agentbook.session", version: 1, id: "s", tags: [], metadata: {}, startedAt: new Date(1_000_000).toISOString(), prices: {} };
    const text = [header, ...spans.map((s) => ({ line: "span", ...s }))].map((line) => JSON.stringify(line)).join("\n");
    const summary = Session.fromJsonl(text).summary();
    assert.deepEqual(summary.latency.models["gpt-4o"], { count: 20, p50Ms: 10, p95Ms: 19, meanMs: 10.5, totalMs: 210 });
    assert.deepEqual(summary.latency.agents.even, { count: 5, p50Ms: 50, p95Ms: 90, meanMs: 50, totalMs: 250 });
    assert.deepEqual(summary.latency.agents.odd, { count: 5, p50Ms: 60, p95Ms: 100, meanMs: 60, totalMs: 300 });
  });

  it("records memory look-ups: hits, hit rate and latency per memory", async () => {
    const notes = new ListMemory({ name: "notes" });
    await notes.add({ content: "The user likes pears.", mimeType: "text/plain" });
    await notes.add({ content: "The user is in Lisbon.", mimeType: "text/plain" });
    const empty = new ListMemory({ name: "empty" });
    const agent = new AssistantAgent({ name: "helper", modelClient: new ReplayChatCompletionClient(["ok", "ok"]), memory: [notes, empty] });
    const session = startSession();
    await agent.run({ task: "What fruit?" });
    await agent.run({ task: "Where?" });
    session.end();

    const { memory } = session.summary();
    assert.equal(memory.queries, 4);
    assert.equal(memory.queriesWithHits, 2);
    assert.equal(memory.hitRate, 0.5);
    assert.equal(memory.items, 4);
    assert.equal(memory.byMemory.notes!.hitRate, 1);
    assert.equal(memory.byMemory.empty!.hitRate, 0);
    assert.equal(memory.latency.count, 4);
    const retrieval = session.spans.find((span) => span.name === "retrieval notes")!;
    assert.equal(retrieval.attributes["gen_ai.operation.name"], "retrieval");
    assert.equal(retrieval.attributes["agentbook.memory.hits"], 2);
    const events = session.events.filter((event) => event.type === "memory_query");
    assert.deepEqual(
      events.map((event) => event.type === "memory_query" && [event.agent, event.memory, event.hits]),
      [
        ["helper", "notes", 2],
        ["helper", "empty", 0],
        ["helper", "notes", 2],
        ["helper", "empty", 0],
      ],
    );
  });

  it("keeps message provenance and thoughts, with content only when capture is on", async () => {
    const run = async () => {
      const session = startSession();
      await replayTeam(["writer", "critic"], 1).run({ task: "Write a haiku." });
      return session.end();
    };

    const plain = await run();
    const provenance = plain.provenance();
    assert.deepEqual(
      provenance.map((entry) => [entry.messageType, entry.from, entry.to.map((to) => to.agent)]),
      [
        ["TextMessage", "user", ["writer", "critic"]],
        ["TextMessage", "writer", ["critic"]],
        ["TextMessage", "critic", []],
      ],
    );
    assert.equal(provenance[1]!.size, "writer says 0".length);
    assert.ok(provenance.every((entry) => entry.content === undefined));
    assert.ok(provenance[1]!.sentAt <= provenance[1]!.to[0]!.at, "said before it was handed over");
    assert.deepEqual(
      plain.thoughts().map((thought) => [thought.agent, thought.size, thought.content]),
      [
        ["writer", "writer ponders 0".length, undefined],
        ["critic", "critic ponders 0".length, undefined],
      ],
    );

    setTelemetryOptions({ captureContent: true });
    const captured = await run();
    assert.deepEqual(
      captured.provenance().map((entry) => entry.content),
      ["Write a haiku.", "writer says 0", "critic says 0"],
    );
    assert.deepEqual(
      captured.thoughts().map((thought) => thought.content),
      ["writer ponders 0", "critic ponders 0"],
    );
  });

  it("reports events live while the team runs", async () => {
    server.setResponder(() => ({ content: "slow answer", delayMs: 150 }));
    const team = new RoundRobinGroupChat({
      participants: [
        new AssistantAgent({ name: "fast", modelClient: new ReplayChatCompletionClient(["quick answer"]) }),
        new AssistantAgent({ name: "slow", modelClient: client("gpt-4o") }),
      ],
      terminationCondition: new MaxMessageTermination(3),
    });
    const session = startSession({ tags: ["live"], metadata: { project: "Stock Analysis" } });
    const heard: Array<{ event: SessionEvent; runDone: boolean }> = [];
    let runDone = false;
    const unsubscribe = session.subscribe((event) => heard.push({ event, runDone }));
    const fed: SessionEvent[] = [];
    const feeding = (async () => {
      for await (const event of session.feed()) fed.push(event);
    })();

    await team.run({ task: "Go." });
    runDone = true;
    unsubscribe();
    session.end();
    await feeding;

    const fastCall = heard.find(({ event }) => event.type === "model_call" && event.agent === "fast");
    assert.ok(fastCall && !fastCall.runDone, "the first model call was reported before the run ended");
    const slowStart = heard.find(({ event }) => event.type === "agent_turn_start" && event.agent === "slow");
    assert.ok(slowStart && !slowStart.runDone);
    assert.ok(heard.every(({ event }) => event.type !== "session_end"), "unsubscribed before the end");
    assert.deepEqual(
      fed.map((event) => event.seq),
      session.events.map((event) => event.seq),
      "the feed yields every event, in order, and ends with the session",
    );
    assert.equal(fed[0]!.type, "session_start");
    assert.deepEqual(fed[0]!.type === "session_start" && [fed[0].tags, fed[0].metadata], [["live"], { project: "Stock Analysis" }]);
    assert.equal(fed.at(-1)!.type, "session_end");
    const slow = fed.find((event) => event.type === "model_call" && event.agent === "slow");
    assert.ok(slow && slow.type === "model_call" && slow.latencyMs >= 140, "latency of the slow call");
    assert.ok(fed.every((event, index) => index === 0 || event.elapsedMs >= 0));
  });

  it("records only while open, switches tracing on and off, and refuses bad input", async () => {
    assert.equal(tracingState(), "off");
    const agent = new AssistantAgent({ name: "a", modelClient: new ReplayChatCompletionClient(["1", "2", "3"]) });
    await agent.run({ task: "before" });
    const session = startSession();
    assert.equal(tracingState(), "agentbook");
    await agent.run({ task: "during" });
    session.end("Indeterminate");
    assert.equal(tracingState(), "off", "tracing goes off with the last session");
    await agent.run({ task: "after" });
    assert.equal(session.spans.filter((span) => span.name === "invoke_agent a").length, 1);
    assert.equal(session.endState, "Indeterminate");
    assert.equal(session.isOpen, false);
    assert.throws(() => session.end(), /already ended/);
    const other = startSession();
    assert.throws(() => other.end("Done" as never), /"Success", "Fail" or "Indeterminate"/);
    other.end("Fail");
    assert.throws(() => startSession({ tags: "prod" as never }), UserError);
    assert.throws(() => setTelemetryOptions({ captureContents: true } as never), /unknown option "captureContents"/);
  });

  it("makes no spans when instrumentation is switched off", async () => {
    setTelemetryOptions({ enabled: false });
    try {
      const session = startSession();
      await new AssistantAgent({ name: "a", modelClient: new ReplayChatCompletionClient(["1"]) }).run({ task: "x" });
      session.end();
      assert.equal(session.spans.length, 0);
    } finally {
      setTelemetryOptions({ enabled: true });
    }
  });
});
