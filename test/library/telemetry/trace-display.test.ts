import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import {
  AssistantAgent,
  DISPLAY,
  FunctionTool,
  ReplayChatCompletionClient,
  TRACE_MIME,
  startSession,
  toMimeBundle,
} from "agentbook";
import type { TracePayload } from "agentbook";

// A session renders itself in a notebook as a trace: agentbook's JSON payload, an escaped HTML
// waterfall and a text tree.

async function session(name: string) {
  const failing = new FunctionTool(
    async () => {
      throw new Error("no");
    },
    { name: "fails", description: "Fails.", parameters: z.object({}) },
  );
  const agent = new AssistantAgent({
    name: "calculator",
    tools: [failing],
    modelClient: new ReplayChatCompletionClient([
      { content: [{ id: "c1", name: "fails", arguments: "{}" }], finishReason: "function_calls", usage: { promptTokens: 1000, completionTokens: 100 }, cached: false },
    ]),
  });
  const recording = startSession({ name, prices: { replay: { inputPerMillion: 3, outputPerMillion: 6 } } });
  await agent.run({ task: "go" });
  return recording.end();
}

describe("trace display", () => {
  it("renders a session as the trace payload with HTML and text fallbacks", async () => {
    const recorded = await session("sums");
    assert.ok(!Object.keys(recorded).some((key) => key.includes("DISPLAY")));
    assert.equal(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(recorded), DISPLAY)?.enumerable, false);
    const bundle = recorded[DISPLAY]();
    assert.deepEqual(Object.keys(bundle).sort(), [TRACE_MIME, "text/html", "text/plain"].sort());
    assert.deepEqual(toMimeBundle(recorded), bundle, "display() and cell values use the same bundle");

    const payload = bundle[TRACE_MIME] as TracePayload;
    assert.equal(payload.version, 1);
    assert.equal(payload.title, "session sums");
    assert.equal(payload.traceId, recorded.spans[0]!.traceId);
    const byName = Object.fromEntries(payload.spans.map((span) => [span.name, span]));
    const turn = byName["invoke_agent calculator"]!;
    const chat = byName["chat replay"]!;
    const tool = byName["execute_tool fails"]!;
    assert.equal(turn.startMs, 0);
    assert.equal(turn.kind, "agent");
    assert.equal(chat.parentSpanId, turn.spanId);
    assert.equal(chat.inputTokens, 1000);
    assert.equal(chat.outputTokens, 100);
    assert.equal(chat.costUsd, (1000 * 3 + 100 * 6) / 1e6, "cost at the session's prices");
    assert.equal(tool.status, "error");
    assert.equal(tool.attributes["gen_ai.tool.name"], "fails");
    assert.ok(chat.startMs >= 0 && chat.startMs + chat.durationMs <= turn.durationMs + 1e-6);

    const text = bundle["text/plain"] as string;
    assert.match(text, /^session sums \(3 spans\)/);
    assert.match(text, /\n {2}invoke_agent calculator {2}[\d.]+ ms/);
    assert.match(text, /\n {4}chat replay {2}[\d.]+ ms {2}1000 in \/ 100 out {2}\$0\.003600/);
    assert.match(text, /\n {4}execute_tool fails .*ERROR/);
    assert.match(text, /tools: 1 calls, 1 errors \(100%\)/);

    const html = bundle["text/html"] as string;
    assert.match(html, /^<div class="agentbook-trace"/);
    assert.equal(html.match(/<tr><td/g)?.length, 3, "one waterfall row per span");
    assert.match(html, /execute_tool fails ⚠/);
  });

  it("escapes every string that reaches the HTML", async () => {
    const recorded = await session(`<img src=x onerror="alert(1)">`);
    const html = recorded[DISPLAY]()["text/html"] as string;
    assert.ok(!html.includes("<img"), "no markup from the session name");
    assert.ok(html.includes("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"));
    const text = recorded[DISPLAY]()["text/plain"] as string;
    assert.ok(text.startsWith(`session <img src=x onerror="alert(1)"> (3 spans)`), "plain text stays as it is");
  });
});
