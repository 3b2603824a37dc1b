import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { z } from "zod";
import {
  AssistantAgent,
  FunctionTool,
  ReplayChatCompletionClient,
  UserError,
  exportTraces,
  startSession,
  tracingState,
} from "agentbook";
import { startOtlpReceiver, type OtlpReceiver } from "./otlp-receiver.ts";

// OTLP over HTTP: what a collector (Jaeger, Langfuse, Phoenix, AgentOps) receives, decoded by a
// real local HTTP receiver.

let receiver: OtlpReceiver;
const authorization = `Bearer ${randomUUID()}`;

function agent() {
  const add = new FunctionTool(async ({ a, b }: { a: number; b: number }) => String(a + b), {
    name: "add",
    description: "Add.",
    parameters: z.object({ a: z.number(), b: z.number() }),
  });
  return new AssistantAgent({
    name: "calculator",
    tools: [add],
    modelClient: new ReplayChatCompletionClient([
      { content: [{ id: "call_1", name: "add", arguments: '{"a":2,"b":3}' }], finishReason: "function_calls", usage: { promptTokens: 21, completionTokens: 7 }, cached: false },
    ]),
  });
}

describe("OTLP export", () => {
  before(async () => {
    receiver = await startOtlpReceiver(authorization);
  });
  after(async () => {
    await receiver.close();
  });

  it("sends the same spans a session records, with their tree, attributes and events", async () => {
    const traces = await exportTraces({ url: receiver.url, headers: { Authorization: authorization }, scheduledDelayMillis: 50 });
    const session = startSession();
    await agent().run({ task: "2 + 3?" });
    session.end();
    await traces.stop();
    assert.equal(tracingState(), "off", "tracing goes off once the export and the session are done");

    assert.equal(receiver.refused, 0);
    assert.ok(receiver.bodies.length >= 1);
    const received = receiver.spans;
    assert.deepEqual(received.map((span) => span.name).sort(), session.spans.map((span) => span.name).sort());
    assert.deepEqual(
      received.map((span) => [span.spanId, span.parentSpanId ?? null, span.traceId]).sort(),
      session.spans.map((span) => [span.spanId, span.parentSpanId ?? null, span.traceId]).sort(),
      "ids and parent links survive the wire",
    );
    for (const span of received) {
      assert.equal(span.scope, "agentbook");
      assert.equal(span.resource["service.name"], "agentbook");
    }
    const chat = received.find((span) => span.name === "chat replay")!;
    assert.equal(chat.kind, 3, "SPAN_KIND_CLIENT");
    assert.equal(chat.attributes["gen_ai.operation.name"], "chat");
    assert.equal(chat.attributes["gen_ai.usage.input_tokens"], 21);
    assert.equal(chat.attributes["gen_ai.usage.output_tokens"], 7);
    assert.deepEqual(chat.attributes["gen_ai.response.finish_reasons"], ["function_calls"]);
    const tool = received.find((span) => span.name === "execute_tool add")!;
    assert.equal(tool.attributes["gen_ai.tool.call.id"], "call_1");
    assert.equal(tool.parentSpanId, received.find((span) => span.name === "invoke_agent calculator")!.spanId);
    const turn = received.find((span) => span.name === "invoke_agent calculator")!;
    assert.deepEqual(
      turn.events.map((event) => event.name),
      ["agentbook.message.received", "agentbook.message.sent"],
    );
    const recorded = session.spans.find((span) => span.name === "chat replay")!;
    assert.equal(BigInt(chat.startTimeUnixNano) / 1_000_000n, BigInt(Math.floor(recorded.startTimeMs)));
  });

  it("refuses a url that is not http or carries credentials", async () => {
    await assert.rejects(exportTraces({ url: "ftp://127.0.0.1/v1/traces" }), UserError);
    await assert.rejects(exportTraces({ url: "http://user:secret@127.0.0.1:4318/v1/traces" }), /pass credentials as headers/);
    await assert.rejects(exportTraces({ url: "not a url" }), /is not a URL/);
  });
});
