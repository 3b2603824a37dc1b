import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, afterEach, before, describe, it } from "node:test";
import { z } from "zod";
import {
  AssistantAgent,
  DISPLAY,
  FunctionTool,
  ListMemory,
  MaxMessageTermination,
  OpenAIChatCompletionClient,
  RoundRobinGroupChat,
  exportTraces,
  setTelemetryOptions,
  startSession,
} from "agentbook";
import { startOpenAIServer, type OpenAIServer } from "../../fixtures/openai-server.ts";
import { startOtlpReceiver, type OtlpReceiver } from "./otlp-receiver.ts";

// No API key ever, and no message content unless the user opts in, in anything telemetry
// exports: OTLP bodies, session JSONL, the trace payload, the notebook display, the live events.

const KEY = `sk-proj-${randomUUID().replaceAll("-", "")}`;
const authorization = `Bearer ${randomUUID()}`;

/** Strings that only occur in message content: every one must stay out of exports without opt-in. */
const CONTENT = {
  task: "XYZZY-TASK plan the heist",
  system: "XYZZY-SYSTEM you are a safecracker",
  memory: "XYZZY-MEMORY the vault code is 7391",
  argument: "XYZZY-ARGUMENT",
  result: "XYZZY-RESULT",
  thought: "XYZZY-THOUGHT weigh the options",
  answer: "XYZZY-ANSWER done",
  streamed: "XYZZY-STREAMED reply",
};

let server: OpenAIServer;
let receiver: OtlpReceiver;

async function runAndExport(): Promise<string> {
  server.enqueue(
    { toolCalls: [{ id: "call_1", name: "lookup", arguments: { query: CONTENT.argument } }], reasoning: CONTENT.thought },
    { content: CONTENT.answer },
    { content: CONTENT.streamed },
  );
  const modelClient = new OpenAIChatCompletionClient({ model: "gpt-4o", apiKey: KEY, baseURL: server.url, maxRetries: 0 });
  const memory = new ListMemory({ name: "notes" });
  await memory.add({ content: CONTENT.memory, mimeType: "text/plain" });
  const lookup = new FunctionTool(async ({ query }: { query: string }) => `${CONTENT.result} for ${query}`, {
    name: "lookup",
    description: "Look something up.",
    parameters: z.object({ query: z.string() }),
  });
  const team = new RoundRobinGroupChat({
    participants: [
      new AssistantAgent({ name: "planner", modelClient, tools: [lookup], memory, systemMessage: CONTENT.system, reflectOnToolUse: true }),
      new AssistantAgent({ name: "writer", modelClient, modelClientStream: true }),
    ],
    terminationCondition: new MaxMessageTermination(3),
  });

  const traces = await exportTraces({ url: receiver.url, headers: { Authorization: authorization }, scheduledDelayMillis: 20 });
  const session = startSession({ tags: ["privacy"] });
  const live: unknown[] = [];
  session.subscribe((event) => live.push(event));
  await team.run({ task: CONTENT.task });
  session.end();
  await traces.stop();

  assert.ok(server.chatRequests.every((request) => request.headers.authorization === `Bearer ${KEY}`), "the key was in use");
  assert.equal(receiver.refused, 0);
  return [
    ...receiver.bodies.splice(0),
    session.toJSONL(),
    JSON.stringify(session.tracePayload()),
    JSON.stringify(session[DISPLAY]()),
    JSON.stringify(live),
    JSON.stringify(session.summary()),
    JSON.stringify(session.provenance()),
    JSON.stringify(session.thoughts()),
  ].join("\n");
}

describe("what telemetry exports", () => {
  before(async () => {
    server = await startOpenAIServer({ apiKey: KEY });
    receiver = await startOtlpReceiver(authorization);
  });
  after(async () => {
    await server.close();
    await receiver.close();
  });
  afterEach(() => setTelemetryOptions({ captureContent: false }));

  it("holds neither the API key nor any message content by default", async () => {
    const exported = await runAndExport();
    assert.ok(exported.includes("gen_ai.usage.input_tokens") && exported.includes("execute_tool lookup"), "the export is a real trace");
    assert.ok(!exported.includes(KEY), "the API key appears nowhere");
    assert.ok(!exported.includes(KEY.slice(8, 24)), "not even part of it");
    const leaked = Object.entries(CONTENT).filter(([, text]) => exported.includes(text.split(" ")[0]!));
    assert.deepEqual(leaked, [], "no message, system, memory, tool or thought content");
    assert.ok(!exported.includes("XYZZY"));
  });

  it("holds the content, and still never the key, once the user opts in", async () => {
    setTelemetryOptions({ captureContent: true });
    const exported = await runAndExport();
    assert.ok(!exported.includes(KEY), "the API key appears nowhere");
    for (const [where, text] of Object.entries(CONTENT)) {
      const needle = where === "argument" || where === "result" ? text : text.split(" ")[0]!;
      assert.ok(exported.includes(needle), `the ${where} is recorded: ${needle}`);
    }
  });
});
