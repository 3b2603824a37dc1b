import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import {
  AssistantAgent,
  ReplayChatCompletionClient,
  addSpanProcessor,
  agentbookSpanProcessor,
  disableTracing,
  enableTracing,
  removeSpanProcessor,
  startSession,
  tracingState,
} from "agentbook";

// Who registers the tracer provider: agentbook while sessions or exporters need it, the program
// when it calls enableTracing(), or the program's own OpenTelemetry setup.

function agent() {
  return new AssistantAgent({ name: "a", modelClient: new ReplayChatCompletionClient(["1", "2", "3"]) });
}

describe("tracing setup", () => {
  it("keeps tracing on after enableTracing() until disableTracing(), and feeds processors of your own", async () => {
    const exporter = new InMemorySpanExporter();
    const processor = new SimpleSpanProcessor({ exporter });
    assert.equal(enableTracing(), "agentbook");
    addSpanProcessor(processor);
    const session = startSession();
    await agent().run({ task: "x" });
    session.end();
    assert.equal(tracingState(), "agentbook", "a session ending does not switch off what the program switched on");
    assert.deepEqual(exporter.getFinishedSpans().map((span) => span.name).sort(), ["chat replay", "invoke_agent a"]);
    assert.equal(removeSpanProcessor(processor), true);
    assert.equal(removeSpanProcessor(processor), false);
    disableTracing();
    assert.equal(tracingState(), "off");
    await agent().run({ task: "y" });
    assert.equal(exporter.getFinishedSpans().length, 2, "nothing is recorded once tracing is off");
  });

  it("uses a provider the program registered, through agentbookSpanProcessor()", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [agentbookSpanProcessor(), new SimpleSpanProcessor({ exporter })] });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager());
    trace.setGlobalTracerProvider(provider);
    try {
      assert.equal(tracingState(), "foreign");
      const session = startSession();
      assert.equal(tracingState(), "foreign", "agentbook does not replace the program's provider");
      await agent().run({ task: "x" });
      session.end();
      assert.deepEqual(session.spans.map((span) => span.name), ["chat replay", "invoke_agent a"]);
      assert.deepEqual(exporter.getFinishedSpans().map((span) => span.name), ["chat replay", "invoke_agent a"]);
      const [chat, turn] = exporter.getFinishedSpans();
      assert.equal(chat!.parentSpanContext?.spanId, turn!.spanContext().spanId, "parent links through the program's context manager");
    } finally {
      trace.disable();
      context.disable();
      await provider.shutdown();
    }
  });
});
