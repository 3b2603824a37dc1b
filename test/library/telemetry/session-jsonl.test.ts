import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { z } from "zod";
import {
  AssistantAgent,
  FunctionTool,
  MaxMessageTermination,
  ReplayChatCompletionClient,
  RoundRobinGroupChat,
  UserError,
  loadSession,
  startSession,
} from "agentbook";
import type { Session, SessionEvent } from "agentbook";

// Saving a session as JSONL, loading it back, and replaying it step by step.

let dir: string;

async function recordedSession(): Promise<Session> {
  const add = new FunctionTool(async ({ a, b }: { a: number; b: number }) => String(a + b), {
    name: "add",
    description: "Add.",
    parameters: z.object({ a: z.number(), b: z.number() }),
  });
  const team = new RoundRobinGroupChat({
    participants: [
      new AssistantAgent({
        name: "calculator",
        tools: [add],
        modelClient: new ReplayChatCompletionClient([
          { content: [{ id: "c1", name: "add", arguments: '{"a":2,"b":3}' }], finishReason: "function_calls", usage: { promptTokens: 20, completionTokens: 8 }, cached: false, thought: "add them" },
        ]),
      }),
      new AssistantAgent({ name: "checker", modelClient: new ReplayChatCompletionClient(["5 is right"], { chunkDelayMs: 30 }), modelClientStream: true }),
    ],
    terminationCondition: new MaxMessageTermination(3),
  });
  const session = startSession({ name: "sums", tags: ["math"], metadata: { project: "Arithmetic", attempt: 2 } });
  await team.run({ task: "2 + 3?" });
  return session.end("Success");
}

describe("session files", () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "agentbook-session-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("saves as JSONL and loads back with the same spans, events and answers", async () => {
    const session = await recordedSession();
    const path = join(dir, "sums.jsonl");
    await session.save(path);
    assert.deepEqual(await readdir(dir), ["sums.jsonl"], "no temporary file left behind");

    const lines = (await readFile(path, "utf8")).trim().split("\n").map((line) => JSON.parse(line));
    assert.equal(lines[0].line, "session");
    assert.equal(lines.filter((line) => line.line === "span").length, session.spans.length);
    assert.equal(lines.filter((line) => line.line === "event").length, session.events.length);

    const loaded = await loadSession(path);
    assert.equal(loaded.id, session.id);
    assert.equal(loaded.name, "sums");
    assert.deepEqual(loaded.tags, ["math"]);
    assert.deepEqual(loaded.metadata, { project: "Arithmetic", attempt: 2 });
    assert.equal(loaded.startedAt, session.startedAt);
    assert.equal(loaded.endedAt, session.endedAt);
    assert.equal(loaded.endState, "Success");
    assert.equal(loaded.isOpen, false);
    assert.deepEqual(loaded.spans, session.spans);
    assert.deepEqual(loaded.events, session.events);
    assert.deepEqual(loaded.summary(), session.summary());
    assert.deepEqual(loaded.provenance(), session.provenance());
    assert.deepEqual(loaded.thoughts(), session.thoughts());
    assert.deepEqual(loaded.tracePayload(), session.tracePayload());
    assert.equal(loaded.summary().tokens.agents.calculator!.inputTokens, 20);
    assert.throws(() => loaded.end(), /already ended/);
  });

  it("replays the events in order, instantly or with their original timing", async () => {
    const session = await recordedSession();
    const loaded = await loadSession(await saved(session, "timed.jsonl"));

    const instant: SessionEvent[] = [];
    const startedInstant = performance.now();
    for await (const event of loaded.replay({ instant: true })) instant.push(event);
    const instantMs = performance.now() - startedInstant;
    assert.equal(instant.length, session.events.length);
    assert.deepEqual(
      instant.map((event) => event.elapsedMs),
      [...instant.map((event) => event.elapsedMs)].sort((a, b) => a - b),
      "in the order things happened",
    );
    assert.equal(instant[0]!.type, "session_start");
    assert.equal(instant.at(-1)!.type, "session_end");
    const types = new Set(instant.map((event) => event.type));
    for (const type of ["thought", "model_call", "tool_call", "message", "message_received", "agent_turn", "team_run"] as const)
      assert.ok(types.has(type), `the replay has ${type} events`);

    const span = instant.at(-1)!.elapsedMs - instant[0]!.elapsedMs;
    assert.ok(span >= 60, `the recorded run took ${span} ms (streamed with 30 ms between chunks)`);
    const gaps: number[] = [];
    const started = performance.now();
    for await (const event of loaded.replay({ speed: 1 })) gaps.push(performance.now() - started - (event.elapsedMs - instant[0]!.elapsedMs));
    const took = performance.now() - started;
    assert.ok(took >= span - 5, `a timed replay takes the run's time: ${took.toFixed(1)} ms for ${span.toFixed(1)} ms`);
    assert.ok(gaps.every((gap) => gap > -5), "no event comes before its time");
    assert.ok(instantMs < span, "the instant replay does not wait");

    const fast = performance.now();
    let count = 0;
    for await (const _event of loaded.replay({ speed: 4 })) count++;
    const fastMs = performance.now() - fast;
    assert.equal(count, session.events.length);
    assert.ok(fastMs >= span / 4 - 5 && fastMs < took, `four times faster: ${fastMs.toFixed(1)} ms`);

    const controller = new AbortController();
    const stopped: SessionEvent[] = [];
    for await (const event of loaded.replay({ signal: controller.signal })) {
      stopped.push(event);
      controller.abort();
    }
    assert.equal(stopped.length, 1, "an aborted replay stops");
    await assert.rejects(async () => {
      for await (const _event of loaded.replay({ speed: 0 }));
    }, UserError);
  });

  it("says what is wrong with a file that is not a session", async () => {
    const path = join(dir, "bad.jsonl");
    await assert.rejects(loadSession(join(dir, "missing.jsonl")), /Cannot read the session file/);
    await writeFile(path, "");
    await assert.rejects(loadSession(path), /is empty/);
    await writeFile(path, '{"hello":1}\n');
    await assert.rejects(loadSession(path), /does not start with an agentbook session header/);
    await writeFile(path, '{"line":"session","format":"agentbook.session","version":9,"id":"x","startedAt":"2025-01-01T00:00:00.000Z"}\n');
    await assert.rejects(loadSession(path), /version 9/);
    await writeFile(path, '{"line":"session","format":"agentbook.session","version":1,"id":"x","startedAt":"2025-01-01T00:00:00.000Z"}\nnot json\n');
    await assert.rejects(loadSession(path), /Line 2 .* is not a JSON object/);
  });
});

async function saved(session: Session, name: string): Promise<string> {
  const path = join(dir, name);
  await session.save(path);
  return path;
}
