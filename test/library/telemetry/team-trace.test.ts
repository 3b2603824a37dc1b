import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { z } from "zod";
import {
  AssistantAgent,
  BaseChatAgent,
  CancellationToken,
  FunctionTool,
  MaxMessageTermination,
  OpenAIChatCompletionClient,
  ReplayChatCompletionClient,
  RoundRobinGroupChat,
  Swarm,
  TextMentionTermination,
  createMessage,
  startSession,
} from "agentbook";
import type { ChatMessage, ChatMessageType, RecordedSpan, Response } from "agentbook";
import { startOpenAIServer, type OpenAIServer } from "../../fixtures/openai-server.ts";
import { childrenOf, named, only, outline } from "./span-tree.ts";

// Spans of real runs: the real openai SDK over HTTP to the local OpenAI-compatible server, and
// the replay model, collected in process by a session.

const KEY = "sk-telemetry-test-0123456789";
let server: OpenAIServer;

function openaiClient(model = "gpt-4o") {
  return new OpenAIChatCompletionClient({ model, apiKey: KEY, baseURL: server.url, maxRetries: 0 });
}

/** A price lookup that takes a while, and remembers when each call ran, to see them overlap. */
function priceTool(log: Array<{ item: string; start: number; end: number }>) {
  return new FunctionTool(
    async ({ item }: { item: string }) => {
      const start = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 40));
      log.push({ item, start, end: performance.now() });
      return `${item}: 2.50 EUR/kg`;
    },
    { name: "lookup_price", description: "Price of an item.", parameters: z.object({ item: z.string() }) },
  );
}

function overlaps(a: RecordedSpan, b: RecordedSpan): boolean {
  return a.startTimeMs < b.endTimeMs && b.startTimeMs < a.endTimeMs;
}

describe("spans of a team run", () => {
  before(async () => {
    server = await startOpenAIServer({ apiKey: KEY });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => server.reset());

  it("traces a swarm with parallel tool calls and a handoff: tree, GenAI attributes, tokens equal to usage", async () => {
    server.enqueue(
      {
        toolCalls: [
          { id: "call_apples", name: "lookup_price", arguments: { item: "apples" } },
          { id: "call_pears", name: "lookup_price", arguments: { item: "pears" } },
        ],
        usage: { promptTokens: 120, completionTokens: 30 },
        model: "gpt-4o-2024-08-06",
      },
      { toolCalls: [{ id: "call_handoff", name: "transfer_to_analyst", arguments: {} }], usage: { promptTokens: 180, completionTokens: 12 } },
    );
    const log: Array<{ item: string; start: number; end: number }> = [];
    const planner = new AssistantAgent({ name: "planner", modelClient: openaiClient(), tools: [priceTool(log)], handoffs: ["analyst"] });
    const analyst = new AssistantAgent({
      name: "analyst",
      modelClient: new ReplayChatCompletionClient([
        { content: "Pears and apples cost the same. TERMINATE", finishReason: "stop", usage: { promptTokens: 64, completionTokens: 9 }, cached: false },
      ]),
    });
    const team = new Swarm({ participants: [planner, analyst], terminationCondition: new TextMentionTermination("TERMINATE") });

    const session = startSession({ tags: ["test"] });
    const result = await team.run({ task: "Compare the prices of apples and pears." });
    session.end("Success");
    const spans = session.spans;

    assert.equal(result.messages.at(-1)?.source, "analyst");
    assert.deepEqual(outline(spans), [
      "invoke_workflow Swarm",
      "  invoke_agent planner",
      "    chat gpt-4o",
      "    execute_tool lookup_price",
      "    execute_tool lookup_price",
      "  invoke_agent planner",
      "    chat gpt-4o",
      "    execute_tool transfer_to_analyst",
      "  invoke_agent analyst",
      "    chat replay",
    ]);

    const workflow = only(spans, "invoke_workflow Swarm");
    assert.equal(workflow.attributes["gen_ai.operation.name"], "invoke_workflow");
    assert.equal(workflow.attributes["gen_ai.workflow.name"], "Swarm");
    assert.deepEqual(workflow.attributes["agentbook.team.participants"], ["planner", "analyst"]);
    const selections = workflow.events.filter((event) => event.name === "agentbook.speaker_selection");
    assert.deepEqual(
      selections.map((event) => event.attributes["agentbook.team.speakers"]),
      [["planner"], ["planner"], ["analyst"]],
    );

    const [firstTurn, secondTurn] = named(spans, "invoke_agent planner");
    assert.equal(firstTurn!.attributes["gen_ai.operation.name"], "invoke_agent");
    assert.equal(firstTurn!.attributes["gen_ai.agent.name"], "planner");
    assert.equal(firstTurn!.attributes["gen_ai.provider.name"], "openai");
    assert.equal(firstTurn!.attributes["gen_ai.request.model"], "gpt-4o");
    assert.equal(firstTurn!.kind, "internal");

    // The first model call: what the server said, attribute for attribute.
    const [firstChat] = childrenOf(spans, firstTurn!);
    assert.equal(firstChat!.kind, "client");
    assert.equal(firstChat!.attributes["gen_ai.operation.name"], "chat");
    assert.equal(firstChat!.attributes["gen_ai.provider.name"], "openai");
    assert.equal(firstChat!.attributes["gen_ai.system"], "openai");
    assert.equal(firstChat!.attributes["gen_ai.request.model"], "gpt-4o");
    assert.equal(firstChat!.attributes["gen_ai.response.model"], "gpt-4o-2024-08-06");
    assert.match(String(firstChat!.attributes["gen_ai.response.id"]), /\S/);
    assert.deepEqual(firstChat!.attributes["gen_ai.response.finish_reasons"], ["function_calls"]);
    assert.equal(firstChat!.attributes["gen_ai.usage.input_tokens"], 120);
    assert.equal(firstChat!.attributes["gen_ai.usage.output_tokens"], 30);
    assert.equal(firstChat!.attributes["gen_ai.agent.name"], "planner");
    assert.equal(firstChat!.attributes["server.address"], "127.0.0.1");
    assert.equal(firstChat!.attributes["server.port"], server.port);
    assert.equal(firstChat!.attributes["gen_ai.request.stream"], false);

    // Parallel tool calls: both children of the turn, both running at once.
    const tools = named(spans, "execute_tool lookup_price");
    assert.equal(tools.length, 2);
    for (const tool of tools) {
      assert.equal(tool.parentSpanId, firstTurn!.spanId);
      assert.equal(tool.attributes["gen_ai.operation.name"], "execute_tool");
      assert.equal(tool.attributes["gen_ai.tool.name"], "lookup_price");
      assert.equal(tool.status, "unset");
    }
    assert.deepEqual(tools.map((tool) => tool.attributes["gen_ai.tool.call.id"]).sort(), ["call_apples", "call_pears"]);
    assert.ok(overlaps(tools[0]!, tools[1]!), "the two tool spans overlap in time");
    assert.ok(log[0]!.start < log[1]!.end && log[1]!.start < log[0]!.end, "the tools really ran at once");
    const apples = tools.find((tool) => tool.attributes["gen_ai.tool.call.id"] === "call_apples")!;
    assert.equal(apples.attributes["agentbook.tool.arguments_size"], '{"item":"apples"}'.length);
    assert.equal(apples.attributes["agentbook.tool.result_size"], "apples: 2.50 EUR/kg".length);

    // The handoff: a tool span, a handoff event and the HandoffMessage as the turn's message.
    const handoffTool = only(spans, "execute_tool transfer_to_analyst");
    assert.equal(handoffTool.parentSpanId, secondTurn!.spanId);
    const handoff = secondTurn!.events.find((event) => event.name === "agentbook.handoff");
    assert.deepEqual(handoff?.attributes, { "agentbook.handoff.from": "planner", "agentbook.handoff.to": "analyst" });
    const sent = secondTurn!.events.find((event) => event.name === "agentbook.message.sent")!;
    assert.equal(sent.attributes["agentbook.message.type"], "HandoffMessage");
    assert.equal(sent.attributes["agentbook.message.target"], "analyst");

    // The replay model as the analyst's model.
    const replayChat = only(spans, "chat replay");
    assert.equal(replayChat.attributes["gen_ai.provider.name"], "agentbook.replay");
    assert.equal(replayChat.attributes["gen_ai.usage.input_tokens"], 64);
    assert.equal(replayChat.attributes["gen_ai.usage.output_tokens"], 9);

    // Every span of the run is in one trace; token counts add up to what the models reported.
    assert.equal(new Set(spans.map((span) => span.traceId)).size, 1);
    const summary = session.summary();
    assert.deepEqual(summary.tokens.models["gpt-4o"], {
      calls: 2,
      inputTokens: 300,
      outputTokens: 42,
      costUsd: (300 * 2.5 + 42 * 10) / 1e6,
    });
    assert.deepEqual(
      { input: summary.tokens.total.inputTokens, output: summary.tokens.total.outputTokens },
      {
        input: planner.modelClient.totalUsage().promptTokens + analyst.modelClient.totalUsage().promptTokens,
        output: planner.modelClient.totalUsage().completionTokens + analyst.modelClient.totalUsage().completionTokens,
      },
    );
    assert.equal(summary.tokens.agents.planner?.inputTokens, 300);
    assert.equal(summary.tokens.agents.analyst?.inputTokens, 64);
    assert.equal(summary.tools.byTool.lookup_price?.calls, 2);
  });

  it("links spans across a team inside an agent inside a team, and an agent run inside a tool", async () => {
    /** An agent whose turn is a whole inner team run (a society of mind). */
    class Committee extends BaseChatAgent {
      readonly inner = new RoundRobinGroupChat({
        participants: ["alice", "bob"].map(
          (name) => new AssistantAgent({ name, modelClient: new ReplayChatCompletionClient([`${name} agrees`]) }),
        ),
        maxTurns: 2,
      });
      get producedMessageTypes(): ChatMessageType[] {
        return ["TextMessage"];
      }
      async onMessages(messages: ChatMessage[], token: CancellationToken): Promise<Response> {
        const result = await this.inner.run({ task: messages, cancellationToken: token });
        return { chatMessage: createMessage("TextMessage", { source: this.name, content: `${result.messages.length - 1} opinions` }) };
      }
      async onReset(): Promise<void> {}
    }
    const researcher = new AssistantAgent({ name: "researcher", modelClient: new ReplayChatCompletionClient(["found it"]) });
    const research = new FunctionTool(
      async ({ topic }: { topic: string }) => {
        const result = await researcher.run({ task: topic });
        return String((result.messages.at(-1) as { content: string }).content);
      },
      { name: "research", description: "Ask the researcher.", parameters: z.object({ topic: z.string() }) },
    );
    const lead = new AssistantAgent({
      name: "lead",
      modelClient: new ReplayChatCompletionClient([
        { content: [{ id: "r1", name: "research", arguments: '{"topic":"pears"}' }], finishReason: "function_calls", usage: { promptTokens: 5, completionTokens: 5 }, cached: false },
      ]),
      tools: [research],
    });
    const outer = new RoundRobinGroupChat({ participants: [lead, new Committee("committee")], terminationCondition: new MaxMessageTermination(3) });

    const session = startSession();
    await outer.run({ task: "Decide." });
    session.end();

    assert.deepEqual(outline(session.spans), [
      "invoke_workflow RoundRobinGroupChat",
      "  invoke_agent lead",
      "    chat replay",
      "    execute_tool research",
      "      invoke_agent researcher",
      "        chat replay",
      "  invoke_agent committee",
      "    invoke_workflow RoundRobinGroupChat",
      "      invoke_agent alice",
      "        chat replay",
      "      invoke_agent bob",
      "        chat replay",
    ]);
    assert.equal(new Set(session.spans.map((span) => span.traceId)).size, 1);
  });

  it("records time to first chunk of a streamed call", async () => {
    server.enqueue({ content: "One, two, three.", chunkDelayMs: 15, usage: { promptTokens: 7, completionTokens: 4 } });
    const agent = new AssistantAgent({ name: "counter", modelClient: openaiClient(), modelClientStream: true });
    const session = startSession();
    await agent.run({ task: "Count to three." });
    session.end();
    const chat = only(session.spans, "chat gpt-4o");
    assert.equal(chat.attributes["gen_ai.request.stream"], true);
    const ttfc = chat.attributes["gen_ai.response.time_to_first_chunk"] as number;
    assert.ok(ttfc > 0 && ttfc * 1000 < chat.durationMs, `time to first chunk ${ttfc} s within the call's ${chat.durationMs} ms`);
    assert.equal(chat.attributes["gen_ai.usage.output_tokens"], 4);
    const call = session.events.find((event) => event.type === "model_call");
    assert.ok(call && call.type === "model_call" && call.timeToFirstChunkMs! > 0);
  });

  it("marks failed operations: a provider error, a tool that throws, an unknown tool, bad arguments", async () => {
    const flaky = new FunctionTool(
      async () => {
        throw new RangeError("out of range");
      },
      { name: "flaky", description: "Fails.", parameters: z.object({}) },
    );
    const strict = new FunctionTool(async ({ n }: { n: number }) => String(n), {
      name: "strict",
      description: "Needs a number.",
      parameters: z.object({ n: z.number() }),
    });
    server.enqueue({
      toolCalls: [
        { id: "t1", name: "flaky", arguments: {} },
        { id: "t2", name: "missing_tool", arguments: {} },
        { id: "t3", name: "strict", arguments: { n: "seven" } },
        { id: "t4", name: "strict", arguments: { n: 7 } },
      ],
    });
    server.enqueue({ status: 500, error: { message: "The server had an error" } });
    const agent = new AssistantAgent({ name: "worker", modelClient: openaiClient(), tools: [flaky, strict], maxToolIterations: 2 });

    const session = startSession();
    await assert.rejects(agent.run({ task: "Do it." }), { name: "ModelClientError" });
    session.end("Fail");

    const byCall = Object.fromEntries(
      session.spans.filter((span) => span.name.startsWith("execute_tool")).map((span) => [span.attributes["gen_ai.tool.call.id"], span]),
    );
    assert.equal(byCall.t1!.status, "error");
    assert.equal(byCall.t1!.attributes["error.type"], "RangeError");
    assert.equal(byCall.t2!.attributes["error.type"], "tool_not_found");
    assert.equal(byCall.t3!.attributes["error.type"], "ToolArgumentsError");
    assert.equal(byCall.t4!.status, "unset");
    assert.equal(byCall.t4!.attributes["error.type"], undefined);

    const [, failedCall] = named(session.spans, "chat gpt-4o");
    assert.equal(failedCall!.status, "error");
    assert.equal(failedCall!.attributes["error.type"], "ModelClientError");
    assert.equal(failedCall!.attributes["http.response.status_code"], 500);
    assert.equal(only(session.spans, "invoke_agent worker").status, "error");

    const summary = session.summary();
    assert.equal(summary.tools.calls, 4);
    assert.equal(summary.tools.errors, 3);
    assert.equal(summary.tools.errorRate, 0.75);
    assert.equal(summary.tools.byTool.strict?.errorRate, 0.5);
    const errors = session.events.filter((event) => event.type === "error");
    assert.deepEqual(
      errors.map((event) => (event.type === "error" ? event.errorType : "")).sort(),
      ["ModelClientError", "ModelClientError", "RangeError", "ToolArgumentsError", "tool_not_found"],
    );
    assert.equal(session.endState, "Fail");
  });
});
