import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import {
  AssistantAgent,
  BufferedChatCompletionContext,
  CancellationToken,
  CancelledError,
  FunctionTool,
  ListMemory,
  ModelBehaviorError,
  ReplayChatCompletionClient,
  UserError,
  createMessage,
} from "agentbook";
import type { AgentMessage, FunctionExecutionResultMessage, LLMMessage, TaskResult } from "agentbook";
import { RecordingModelClient, toolCalls, withThought } from "./recording-model-client.ts";

const weather = new FunctionTool(async ({ city }) => `Sunny, 21 C in ${city}`, {
  name: "get_weather",
  description: "Current weather in a city.",
  parameters: z.object({ city: z.string() }),
});

/** Every item of a run, in order, the TaskResult last. */
async function collect(stream: AsyncIterable<AgentMessage | TaskResult>): Promise<Array<AgentMessage | TaskResult>> {
  const items: Array<AgentMessage | TaskResult> = [];
  for await (const item of stream) items.push(item);
  return items;
}

const typesOf = (items: Array<{ type: string }>) => items.map((item) => item.type);

function lastResults(messages: LLMMessage[]): FunctionExecutionResultMessage {
  const found = messages.filter((message) => message.type === "FunctionExecutionResultMessage").at(-1);
  assert.ok(found, "the model's context has no tool results");
  return found as FunctionExecutionResultMessage;
}

describe("AssistantAgent answering in text", () => {
  it("answers with a TextMessage, carries usage, and uses AutoGen's default system message and description", async () => {
    const model = new RecordingModelClient(["Hello! How can I help?"]);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model });
    const result = await agent.run({ task: "Hi" });

    assert.deepEqual(typesOf(result.messages), ["TextMessage", "TextMessage"]);
    const answer = result.messages[1]!;
    assert.equal(answer.source, "assistant");
    assert.equal(answer.type === "TextMessage" && answer.content, "Hello! How can I help?");
    assert.ok(answer.modelsUsage && answer.modelsUsage.completionTokens > 0);
    assert.equal(agent.description, "An agent that provides assistance with ability to use tools.");
    assert.deepEqual(model.calls[0]!.messages, [
      {
        type: "SystemMessage",
        content: "You are a helpful AI assistant. Solve tasks using your tools. Reply with TERMINATE when the task has been completed.",
      },
      { type: "UserMessage", content: "Hi", source: "user" },
    ]);
    assert.equal(model.calls[0]!.options.tools, undefined);
  });

  it("keeps the conversation across turns and forgets it on reset", async () => {
    const model = new RecordingModelClient(["one", "two", "three"]);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, systemMessage: null });
    await agent.run({ task: "first" });
    await agent.run({ task: "second" });
    assert.deepEqual(
      model.calls[1]!.messages.map((message) => message.content),
      ["first", "one", "second"],
    );
    await agent.reset();
    await agent.run({ task: "third" });
    assert.deepEqual(model.calls[2]!.messages.map((message) => message.content), ["third"]);
  });

  it("yields a ThoughtEvent when the model returns its reasoning", async () => {
    const model = new RecordingModelClient([withThought("42", "6 times 7")]);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model });
    const result = await agent.run({ task: "6*7?" });
    assert.deepEqual(typesOf(result.messages), ["TextMessage", "ThoughtEvent", "TextMessage"]);
    assert.equal((result.messages[1] as { content: string }).content, "6 times 7");
    const saved = await agent.saveState();
    assert.deepEqual(saved.llmContext.messages.at(-1), { type: "AssistantMessage", content: "42", source: "assistant", thought: "6 times 7" });
  });

  it("sees another agent's message as a UserMessage from that agent", async () => {
    const model = new RecordingModelClient(["ok"]);
    const agent = new AssistantAgent({ name: "critic", modelClient: model, systemMessage: null });
    await agent.run({ task: createMessage("TextMessage", { source: "writer", content: "Draft: ..." }) });
    assert.deepEqual(model.calls[0]!.messages, [{ type: "UserMessage", content: "Draft: ...", source: "writer" }]);
  });
});

describe("AssistantAgent with tools", () => {
  it("calls a tool, runs it and summarises the result, with the call and result in the model's context", async () => {
    const model = new RecordingModelClient([toolCalls(["get_weather", { city: "Paris" }])]);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, tools: [weather] });
    const items = await collect(agent.runStream({ task: "Weather in Paris?" }));

    assert.deepEqual(typesOf(items), ["TextMessage", "ToolCallRequestEvent", "ToolCallExecutionEvent", "ToolCallSummaryMessage", "TaskResult"]);
    const [, request, execution, summary] = items as any[];
    assert.equal(request.content[0].name, "get_weather");
    assert.ok(request.modelsUsage.promptTokens > 0, "the tool call request carries the usage of the model call");
    assert.deepEqual(execution.content, [{ callId: request.content[0].id, name: "get_weather", content: "Sunny, 21 C in Paris", isError: false }]);
    assert.equal(summary.content, "Sunny, 21 C in Paris");
    assert.deepEqual(summary.toolCalls, request.content);
    assert.deepEqual(summary.results, execution.content);

    assert.deepEqual((model.calls[0]!.options.tools as any[]).map((tool) => tool.schema.name), ["get_weather"]);
    const context = (await agent.saveState()).llmContext.messages;
    assert.deepEqual(typesOf(context), ["UserMessage", "AssistantMessage", "FunctionExecutionResultMessage"]);
    assert.deepEqual(context[1]!.content, request.content);
    assert.deepEqual(context[2]!.content, execution.content);
  });

  it("runs two tool calls concurrently", async () => {
    const spans: Record<string, { start: number; end: number }> = {};
    const slow = (label: string) =>
      new FunctionTool(
        async () => {
          const start = performance.now();
          await sleep(30);
          spans[label] = { start, end: performance.now() };
          return label;
        },
        { name: `slow_${label}`, description: "A slow lookup." },
      );
    const model = new RecordingModelClient([toolCalls(["slow_a", {}], ["slow_b", {}])]);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, tools: [slow("a"), slow("b")] });
    const result = await agent.run({ task: "both" });

    const { a, b } = spans;
    assert.ok(a && b, "both tools ran");
    assert.ok(b.start < a.end && a.start < b.end, `the two calls did not overlap: a=${JSON.stringify(a)} b=${JSON.stringify(b)}`);
    assert.equal((result.messages.at(-1) as { content: string }).content, "a\nb");
  });

  it("formats the summary with toolCallSummaryFormat placeholders, one line per call", async () => {
    const model = new RecordingModelClient([toolCalls(["get_weather", { city: "Oslo" }], ["get_weather", { city: 5 }])]);
    const agent = new AssistantAgent({
      name: "assistant",
      modelClient: model,
      tools: [weather],
      toolCallSummaryFormat: "{tool_name}({arguments}) -> {result} [error: {is_error}]",
    });
    const result = await agent.run({ task: "Oslo" });
    const lines = (result.messages.at(-1) as { content: string }).content.split("\n");
    assert.equal(lines[0], 'get_weather({"city":"Oslo"}) -> Sunny, 21 C in Oslo [error: false]');
    assert.match(lines[1]!, /^get_weather\(\{"city":5\}\) -> Error: Invalid arguments for tool "get_weather":\n?/);
    assert.match(lines.at(-1)!, /\[error: true\]$/);
  });

  it("uses toolCallSummaryFormatter when given", async () => {
    const model = new RecordingModelClient([toolCalls(["get_weather", { city: "Rome" }])]);
    const agent = new AssistantAgent({
      name: "assistant",
      modelClient: model,
      tools: [weather],
      toolCallSummaryFormatter: (call, result) => `${call.name} says ${result.content.toUpperCase()}`,
    });
    const result = await agent.run({ task: "Rome" });
    assert.equal((result.messages.at(-1) as { content: string }).content, "get_weather says SUNNY, 21 C IN ROME");
  });

  it("gives malformed arguments back to the model as an error, and the next model call sees it", async () => {
    const model = new RecordingModelClient([
      toolCalls(["get_weather", "{city: Paris"]),
      toolCalls(["get_weather", { town: "Paris" }]),
      "Sorry, let me answer directly: it is sunny.",
    ]);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, tools: [weather], maxToolIterations: 3 });
    const result = await agent.run({ task: "Weather in Paris?" });

    const executions = result.messages.filter((message) => message.type === "ToolCallExecutionEvent") as any[];
    assert.equal(executions.length, 2);
    assert.equal(executions[0].content[0].isError, true);
    assert.match(executions[0].content[0].content, /^Error: Invalid arguments for tool "get_weather":\n- \(arguments\): not valid JSON/);
    assert.match(executions[1].content[0].content, /- city: is required; expected a string/);

    const seen = lastResults(model.calls[1]!.messages);
    assert.deepEqual(seen.content, executions[0].content);
    assert.deepEqual(lastResults(model.calls[2]!.messages).content, executions[1].content);
    assert.equal(result.messages.at(-1)!.type, "TextMessage");
  });

  it("answers an unknown tool name with an error that lists the tools", async () => {
    const model = new RecordingModelClient([toolCalls(["teleport", { to: "Mars" }])]);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, tools: [weather] });
    const result = await agent.run({ task: "go" });
    const execution = result.messages.find((message) => message.type === "ToolCallExecutionEvent") as any;
    assert.equal(execution.content[0].isError, true);
    assert.equal(
      execution.content[0].content,
      'Error: there is no tool named "teleport". The available tools are: get_weather. Call one of them, or answer without a tool.',
    );
  });

  it("turns a tool that throws into an error result and goes on", async () => {
    const flaky = new FunctionTool(
      () => {
        throw new Error("database is down");
      },
      { name: "lookup", description: "Look something up." },
    );
    const model = new RecordingModelClient([toolCalls(["lookup", {}], ["get_weather", { city: "Lima" }]), "The lookup failed; Lima is sunny."]);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, tools: [flaky, weather], reflectOnToolUse: true });
    const result = await agent.run({ task: "go" });
    const execution = result.messages.find((message) => message.type === "ToolCallExecutionEvent") as any;
    assert.deepEqual(
      execution.content.map((item: any) => [item.content, item.isError]),
      [
        ['Error: tool "lookup" failed: database is down', true],
        ["Sunny, 21 C in Lima", false],
      ],
    );
    assert.equal((result.messages.at(-1) as { content: string }).content, "The lookup failed; Lima is sunny.");
  });

  it("reflects on tool use: one more model call, without tools, answers in text", async () => {
    const model = new RecordingModelClient([toolCalls(["get_weather", { city: "Paris" }]), "It is sunny and 21 C in Paris."]);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, tools: [weather], reflectOnToolUse: true });
    const result = await agent.run({ task: "Weather in Paris?" });

    assert.deepEqual(typesOf(result.messages), ["TextMessage", "ToolCallRequestEvent", "ToolCallExecutionEvent", "TextMessage"]);
    const answer = result.messages.at(-1)!;
    assert.equal((answer as { content: string }).content, "It is sunny and 21 C in Paris.");
    assert.ok(answer.modelsUsage);
    assert.equal(model.calls.length, 2);
    assert.equal(model.calls[1]!.options.tools, undefined, "the reflection call offers no tools");
    assert.equal(lastResults(model.calls[1]!.messages).content[0]!.content, "Sunny, 21 C in Paris");
  });

  it("loops while the model keeps calling tools, up to maxToolIterations, then summarises the last round", async () => {
    const model = new RecordingModelClient([
      toolCalls(["get_weather", { city: "A" }]),
      toolCalls(["get_weather", { city: "B" }]),
      toolCalls(["get_weather", { city: "C" }]),
      "never asked for",
    ]);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, tools: [weather], maxToolIterations: 3 });
    const result = await agent.run({ task: "go" });
    assert.equal(result.messages.filter((message) => message.type === "ToolCallRequestEvent").length, 3);
    assert.equal(model.calls.length, 3);
    assert.equal(model.replay.remaining, 1);
    const summary = result.messages.at(-1)!;
    assert.equal(summary.type, "ToolCallSummaryMessage");
    assert.equal((summary as { content: string }).content, "Sunny, 21 C in C");
  });

  it("stops looping as soon as the model answers in text", async () => {
    const model = new RecordingModelClient([toolCalls(["get_weather", { city: "A" }]), "Done: sunny in A."]);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, tools: [weather], maxToolIterations: 5 });
    const result = await agent.run({ task: "go" });
    assert.deepEqual(typesOf(result.messages), ["TextMessage", "ToolCallRequestEvent", "ToolCallExecutionEvent", "TextMessage"]);
    assert.equal(model.calls.length, 2);
    assert.deepEqual((model.calls[1]!.options.tools as any[]).map((tool) => tool.schema.name), ["get_weather"]);
  });

  it("refuses tools for a model without function calling, and bad options, when constructed", () => {
    const noTools = new ReplayChatCompletionClient([], { modelInfo: { functionCalling: false, family: "tiny" } });
    assert.throws(
      () => new AssistantAgent({ name: "assistant", modelClient: noTools, tools: [weather] }),
      (error: Error) => error instanceof UserError && /does not support function calling/.test(error.message),
    );
    assert.throws(() => new AssistantAgent({ name: "assistant", modelClient: noTools, handoffs: ["planner"] }), UserError);
    const model = new ReplayChatCompletionClient([]);
    assert.throws(() => new AssistantAgent({ name: "assistant", modelClient: model, tools: [weather, weather] }), /two tools named "get_weather"/);
    assert.throws(() => new AssistantAgent({ name: "assistant", modelClient: model, maxToolIterations: 0 }), /maxToolIterations/);
    assert.throws(() => new AssistantAgent({ name: "my assistant", modelClient: model }), UserError);
  });
});

describe("AssistantAgent handoffs", () => {
  it("offers transfer_to_<target> tools and ends the turn with a HandoffMessage carrying the turn's tool calls", async () => {
    const model = new RecordingModelClient([toolCalls(["get_weather", { city: "Paris" }], ["transfer_to_planner", {}])]);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, tools: [weather], handoffs: ["planner"] });
    const result = await agent.run({ task: "Plan a day in Paris" });

    const offered = (model.calls[0]!.options.tools as any[]).map((tool) => tool.schema);
    assert.deepEqual(
      offered.map((schema) => [schema.name, schema.description]),
      [
        ["get_weather", "Current weather in a city."],
        ["transfer_to_planner", "Handoff to planner."],
      ],
    );
    const handoff = result.messages.at(-1)!;
    assert.equal(handoff.type, "HandoffMessage");
    if (handoff.type !== "HandoffMessage") return;
    assert.equal(handoff.target, "planner");
    assert.equal(handoff.content, "Transferred to planner, adopting the role of planner immediately.");
    assert.deepEqual(typesOf(handoff.context), ["AssistantMessage", "FunctionExecutionResultMessage"]);
    assert.deepEqual((handoff.context[0]!.content as any[]).map((call) => call.name), ["get_weather"]);
    assert.equal((handoff.context[1]!.content as any[])[0].content, "Sunny, 21 C in Paris");
  });

  it("takes handoff options, and the receiving agent sees the handoff's context", async () => {
    const model = new RecordingModelClient([toolCalls(["to_expert", {}])]);
    const agent = new AssistantAgent({
      name: "triage",
      modelClient: model,
      handoffs: [{ target: "expert", name: "to_expert", description: "Hard questions.", message: "Over to the expert." }],
    });
    const result = await agent.run({ task: "A hard question" });
    const handoff = result.messages.at(-1)!;
    assert.equal(handoff.type === "HandoffMessage" && handoff.content, "Over to the expert.");

    const expertModel = new RecordingModelClient(["Here is the answer."]);
    const expert = new AssistantAgent({ name: "expert", modelClient: expertModel, systemMessage: null });
    const withContext = { ...handoff, context: [{ type: "UserMessage", content: "note from triage", source: "triage" }] } as typeof handoff;
    await expert.run({ task: withContext as any });
    assert.deepEqual(expertModel.calls[0]!.messages, [
      { type: "UserMessage", content: "note from triage", source: "triage" },
      { type: "UserMessage", content: "Over to the expert.", source: "triage" },
    ]);
  });
});

describe("AssistantAgent streaming", () => {
  it("yields chunks whose text adds up to the final message and whose fullMessageId is its id", async () => {
    const model = new RecordingModelClient(["The weather in Paris is sunny today."]);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, modelClientStream: true });
    const items = await collect(agent.runStream({ task: "Weather?" }));

    const chunks = items.filter((item) => item.type === "ModelClientStreamingChunkEvent") as any[];
    const final = items.at(-2) as any;
    assert.ok(chunks.length > 1);
    assert.equal(final.type, "TextMessage");
    assert.equal(chunks.map((chunk) => chunk.content).join(""), final.content);
    assert.ok(chunks.every((chunk) => chunk.fullMessageId === final.id));
    const taskResult = items.at(-1) as TaskResult;
    assert.deepEqual(typesOf(taskResult.messages), ["TextMessage", "TextMessage"], "the result keeps the message, not the chunks");
  });

  it("streams the reflection after tool calls too", async () => {
    const model = new RecordingModelClient([toolCalls(["get_weather", { city: "Paris" }]), "Sunny in Paris."]);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, tools: [weather], reflectOnToolUse: true, modelClientStream: true });
    const items = await collect(agent.runStream({ task: "Weather?" }));
    assert.deepEqual(
      typesOf(items).filter((type, index, all) => type !== all[index - 1]),
      ["TextMessage", "ToolCallRequestEvent", "ToolCallExecutionEvent", "ModelClientStreamingChunkEvent", "TextMessage", "TaskResult"],
    );
  });
});

describe("AssistantAgent structured output", () => {
  const Answer = z.object({ answer: z.string(), confidence: z.number().min(0).max(1) });

  it("asks for the schema and answers with a StructuredMessage", async () => {
    const model = new RecordingModelClient(['{"answer":"Paris","confidence":0.9}']);
    const agent = new AssistantAgent({
      name: "assistant",
      modelClient: model,
      outputContentType: Answer,
      outputContentTypeFormat: "{answer} ({confidence})",
    });
    const result = await agent.run({ task: "Capital of France?" });
    const message = result.messages.at(-1)!;
    assert.equal(message.type, "StructuredMessage");
    assert.deepEqual(message.type === "StructuredMessage" && message.content, { answer: "Paris", confidence: 0.9 });
    assert.equal(message.type === "StructuredMessage" && message.format, "{answer} ({confidence})");
    assert.ok(message.modelsUsage);
    assert.equal(model.calls[0]!.options.jsonOutput, Answer);
    assert.ok(agent.producedMessageTypes.includes("StructuredMessage"));
  });

  it("reflects after tools by default so the final answer is structured", async () => {
    const model = new RecordingModelClient([toolCalls(["get_weather", { city: "Paris" }]), '{"answer":"sunny","confidence":1}']);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, tools: [weather], outputContentType: Answer });
    const result = await agent.run({ task: "Weather?" });
    assert.equal(result.messages.at(-1)!.type, "StructuredMessage");
  });

  it("rejects an answer that does not match, naming the fields", async () => {
    const model = new RecordingModelClient(['{"answer":"Paris","confidence":7}']);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, outputContentType: Answer });
    await assert.rejects(
      agent.run({ task: "Capital of France?" }),
      (error: Error) => error instanceof ModelBehaviorError && /does not match outputContentType:\n- confidence: /.test(error.message),
    );
    const notJson = new AssistantAgent({ name: "assistant", modelClient: new RecordingModelClient(["Paris"]), outputContentType: Answer });
    await assert.rejects(notJson.run({ task: "?" }), (error: Error) => error instanceof ModelBehaviorError && /is not JSON/.test(error.message));
  });
});

describe("AssistantAgent memory", () => {
  it("injects memories before the model call and yields a MemoryQueryEvent with them", async () => {
    const memory = new ListMemory({ memoryContents: [{ content: "The user is vegan.", mimeType: "text/plain" }] });
    const model = new RecordingModelClient(["Try a lentil curry."]);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, memory: [memory], systemMessage: null });
    const result = await agent.run({ task: "Dinner idea?" });

    assert.deepEqual(typesOf(result.messages), ["TextMessage", "MemoryQueryEvent", "TextMessage"]);
    assert.deepEqual((result.messages[1] as any).content, [{ content: "The user is vegan.", mimeType: "text/plain" }]);
    assert.deepEqual(model.calls[0]!.messages, [
      { type: "UserMessage", content: "Dinner idea?", source: "user" },
      { type: "SystemMessage", content: "\nRelevant memory content (in chronological order):\n1. The user is vegan.\n" },
    ]);
  });

  it("yields no MemoryQueryEvent when a memory has nothing to add", async () => {
    const agent = new AssistantAgent({ name: "assistant", modelClient: new RecordingModelClient(["ok"]), memory: new ListMemory() });
    const result = await agent.run({ task: "hi" });
    assert.deepEqual(typesOf(result.messages), ["TextMessage", "TextMessage"]);
  });
});

describe("AssistantAgent cancellation", () => {
  it("stops mid-stream when the token is cancelled", async () => {
    const model = new RecordingModelClient(["one two three four five six seven eight nine ten"], { chunkDelayMs: 10 });
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, modelClientStream: true });
    const token = new CancellationToken();
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const item of agent.runStream({ task: "count", cancellationToken: token })) {
        seen.push(item.type);
        if (item.type === "ModelClientStreamingChunkEvent") token.cancel();
      }
    }, CancelledError);
    assert.equal(seen.filter((type) => type === "ModelClientStreamingChunkEvent").length, 1);
    assert.ok(!seen.includes("TaskResult"));
  });

  it("gives tools the token, stops mid-tool, and calls the model no more", async () => {
    let toolSawCancel = false;
    let started!: () => void;
    const toolStarted = new Promise<void>((resolve) => (started = resolve));
    const longJob = new FunctionTool(
      (_args, { cancellationToken }) =>
        new Promise<string>((_resolve, reject) => {
          started();
          cancellationToken.addCallback(() => {
            toolSawCancel = true;
            reject(new Error("aborted"));
          });
        }),
      { name: "long_job", description: "Takes a long time." },
    );
    const model = new RecordingModelClient([toolCalls(["long_job", {}]), "never reached"]);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, tools: [longJob], reflectOnToolUse: true });
    const token = new CancellationToken();
    const run = agent.run({ task: "go", cancellationToken: token });
    await toolStarted;
    token.cancel();
    await assert.rejects(run, CancelledError);
    assert.equal(toolSawCancel, true);
    assert.equal(model.calls.length, 1);
    // The call still has a result in the context, so the next turn is a valid request.
    const context = (await agent.saveState()).llmContext.messages;
    assert.deepEqual(typesOf(context), ["UserMessage", "AssistantMessage", "FunctionExecutionResultMessage"]);
    assert.equal((context[2] as FunctionExecutionResultMessage).content[0]!.isError, true);
  });

  it("does not call the model when cancelled before the turn", async () => {
    const model = new RecordingModelClient(["hi"]);
    const agent = new AssistantAgent({ name: "assistant", modelClient: model });
    const token = new CancellationToken();
    token.cancel();
    await assert.rejects(agent.run({ task: "hi", cancellationToken: token }), CancelledError);
    assert.equal(model.calls.length, 0);
  });
});

describe("AssistantAgent state", () => {
  it("saves plain JSON that a new agent loads to continue the conversation", async () => {
    const first = new AssistantAgent({
      name: "assistant",
      modelClient: new RecordingModelClient([toolCalls(["get_weather", { city: "Paris" }])]),
      tools: [weather],
    });
    await first.run({ task: "My name is Ada. Weather in Paris?" });
    const saved = JSON.parse(JSON.stringify(await first.saveState()));
    assert.equal(saved.type, "AssistantAgentState");
    assert.equal(saved.version, "1.0.0");

    const model = new RecordingModelClient(["Your name is Ada."]);
    const second = new AssistantAgent({ name: "assistant", modelClient: model, tools: [weather] });
    await second.loadState(saved);
    await second.run({ task: "What is my name?" });
    const seen = model.calls[0]!.messages;
    assert.deepEqual(typesOf(seen), [
      "SystemMessage",
      "UserMessage",
      "AssistantMessage",
      "FunctionExecutionResultMessage",
      "UserMessage",
    ]);
    assert.equal(seen[1]!.content, "My name is Ada. Weather in Paris?");
    assert.equal((seen[3] as FunctionExecutionResultMessage).content[0]!.content, "Sunny, 21 C in Paris");

    await assert.rejects(second.loadState({ type: "SomethingElse", version: "1.0.0" }), UserError);
  });

  it("uses the model context it is given", async () => {
    const model = new RecordingModelClient(["a", "b", "c"]);
    const agent = new AssistantAgent({
      name: "assistant",
      modelClient: model,
      systemMessage: null,
      modelContext: new BufferedChatCompletionContext({ bufferSize: 2 }),
    });
    await agent.run({ task: "1" });
    await agent.run({ task: "2" });
    await agent.run({ task: "3" });
    assert.deepEqual(model.calls[2]!.messages.map((message) => message.content), ["b", "3"]);
  });

  it("refuses a second turn while one is running", async () => {
    const model = new RecordingModelClient(["slow answer", "other"], { chunkDelayMs: 5 });
    const agent = new AssistantAgent({ name: "assistant", modelClient: model, modelClientStream: true });
    const first = agent.run({ task: "one" });
    await assert.rejects(agent.run({ task: "two" }), /already running/);
    await first;
  });
});
