import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { z } from "zod";
import { AssistantAgent, CancellationToken, CancelledError, FunctionTool, OpenAIChatCompletionClient } from "agentbook";
import type { AgentMessage, TaskResult } from "agentbook";
import { startOpenAIServer, type OpenAIServer } from "../../fixtures/openai-server.ts";

// AssistantAgent end to end: the real openai SDK over HTTP to a local server speaking the OpenAI wire format.

let server: OpenAIServer;

const weather = new FunctionTool(async ({ city }) => `Sunny, 21 C in ${city}`, {
  name: "get_weather",
  description: "Current weather in a city.",
  parameters: z.object({ city: z.string() }),
});

function agent(options: { modelClientStream?: boolean } = {}) {
  const modelClient = new OpenAIChatCompletionClient({ model: "gpt-4o", apiKey: "sk-test", baseURL: server.url, maxRetries: 0 });
  return new AssistantAgent({ name: "assistant", modelClient, tools: [weather], reflectOnToolUse: true, ...options });
}

async function collect(stream: AsyncIterable<AgentMessage | TaskResult>): Promise<Array<AgentMessage | TaskResult>> {
  const items: Array<AgentMessage | TaskResult> = [];
  for await (const item of stream) items.push(item);
  return items;
}

describe("AssistantAgent with the OpenAI client over HTTP", () => {
  before(async () => {
    server = await startOpenAIServer({ apiKey: "sk-test" });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => server.reset());

  it("sends the tool, runs the model's call, sends the result back and streams the reflection", async () => {
    server.enqueue({ toolCalls: [{ id: "call_1", name: "get_weather", arguments: { city: "Paris" } }] }, "It is sunny and 21 C in Paris.");
    const items = await collect(agent({ modelClientStream: true }).runStream({ task: "Weather in Paris?" }));

    const types = items.map((item) => item.type).filter((type, index, all) => type !== all[index - 1]);
    assert.deepEqual(types, ["TextMessage", "ToolCallRequestEvent", "ToolCallExecutionEvent", "ModelClientStreamingChunkEvent", "TextMessage", "TaskResult"]);
    const final = items.at(-2) as any;
    const chunks = items.filter((item) => item.type === "ModelClientStreamingChunkEvent") as any[];
    assert.equal(final.content, "It is sunny and 21 C in Paris.");
    assert.equal(chunks.map((chunk) => chunk.content).join(""), final.content);
    assert.ok(final.modelsUsage.promptTokens > 0);

    const [first, second] = server.chatRequests;
    assert.equal(first!.body.tools[0].function.name, "get_weather");
    assert.deepEqual(first!.body.tools[0].function.parameters.required, ["city"]);
    assert.equal(second!.body.tools, undefined, "the reflection request offers no tools");
    const sent = second!.body.messages;
    assert.equal(sent[0].role, "system");
    assert.deepEqual(sent.at(-2).tool_calls[0].function, { name: "get_weather", arguments: '{"city":"Paris"}' });
    assert.deepEqual(sent.at(-1), { role: "tool", tool_call_id: "call_1", content: "Sunny, 21 C in Paris" });
  });

  it("sends malformed arguments back to the model as a tool error", async () => {
    server.enqueue({ toolCalls: [{ id: "call_1", name: "get_weather", arguments: "{city: Paris" }] }, "Let me try again later.");
    const result = await agent().run({ task: "Weather in Paris?" });
    assert.equal((result.messages.at(-1) as any).content, "Let me try again later.");
    const toolMessage = server.chatRequests[1]!.body.messages.at(-1);
    assert.equal(toolMessage.role, "tool");
    assert.match(toolMessage.content, /^Error: Invalid arguments for tool "get_weather":\n- \(arguments\): not valid JSON/);
  });

  it("aborts the HTTP request when the run is cancelled mid-stream", async () => {
    server.enqueue({ content: "one two three four five six seven eight", chunkDelayMs: 50 });
    const token = new CancellationToken();
    await assert.rejects(async () => {
      for await (const item of agent({ modelClientStream: true }).runStream({ task: "count", cancellationToken: token }))
        if (item.type === "ModelClientStreamingChunkEvent") token.cancel();
    }, CancelledError);
    await server.waitForAbort(0, 5000);
  });
});
