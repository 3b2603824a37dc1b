import assert from "node:assert/strict";
import { createServer } from "node:net";
import { getEventListeners } from "node:events";
import { inspect } from "node:util";
import { after, before, beforeEach, describe, it } from "node:test";
import { z } from "zod";
import {
  CancellationToken,
  CancelledError,
  ModelBehaviorError,
  ModelClientError,
  OpenAIChatCompletionClient,
  UserError,
} from "agentbook";
import type { CreateResult, FunctionCall, LLMMessage, OpenAIChatCompletionClientOptions } from "agentbook";
import { startOpenAIServer, type OpenAIServer } from "../../fixtures/openai-server.ts";

const KEY = "sk-test-SECRET-0123456789abcdef";
const ask: LLMMessage[] = [
  { type: "SystemMessage", content: "You are terse." },
  { type: "UserMessage", content: "What is the capital of France?", source: "user" },
];
const weatherTool = {
  name: "get_weather",
  description: "Weather for a city.",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};
const timeTool = { name: "get_time", description: "Local time in a city.", parameters: { type: "object", properties: { city: { type: "string" } } } };

let server: OpenAIServer;
const client = (options: Partial<OpenAIChatCompletionClientOptions> = {}) =>
  new OpenAIChatCompletionClient({ model: "gpt-4o", apiKey: KEY, baseURL: server.url, maxRetries: 0, ...options });

async function collect(stream: AsyncIterable<string | CreateResult>): Promise<{ chunks: string[]; result: CreateResult }> {
  const chunks: string[] = [];
  let result: CreateResult | undefined;
  for await (const item of stream) {
    if (typeof item === "string") chunks.push(item);
    else {
      assert.equal(result, undefined, "exactly one CreateResult, last");
      result = item;
    }
  }
  assert.ok(result, "the stream ends with a CreateResult");
  return { chunks, result };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("OpenAIChatCompletionClient against a real HTTP server", () => {
  before(async () => {
    server = await startOpenAIServer({ apiKey: KEY });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => server.reset());

  it("leaves no listener on a long-lived cancellation token after each request", async () => {
    // One token serves a whole team run of many model calls; listeners left behind would leak.
    const token = new CancellationToken();
    const model = client();
    for (let i = 0; i < 12; i++) {
      server.enqueue("ok", "streamed ok");
      await model.create(ask, { cancellationToken: token });
      for await (const _ of model.createStream(ask, { cancellationToken: token }));
    }
    assert.equal(getEventListeners(token.signal, "abort").length, 0);
  });

  it("answers a plain request and reports usage", async () => {
    server.enqueue({ content: "Paris.", usage: { promptTokens: 21, completionTokens: 2 } });
    const model = client({ temperature: 0.2, seed: 7, maxTokens: 50 });
    const result = await model.create(ask);
    assert.deepEqual(result, { finishReason: "stop", content: "Paris.", usage: { promptTokens: 21, completionTokens: 2 }, cached: false });
    assert.deepEqual(model.totalUsage(), { promptTokens: 21, completionTokens: 2 });
    assert.deepEqual(model.actualUsage(), { promptTokens: 21, completionTokens: 2 });
    const sent = server.chatRequests[0]!;
    assert.equal(sent.headers.authorization, `Bearer ${KEY}`);
    assert.equal(sent.body.model, "gpt-4o");
    assert.equal(sent.body.temperature, 0.2);
    assert.equal(sent.body.seed, 7);
    assert.equal(sent.body.max_tokens, 50);
    assert.deepEqual(sent.body.messages, [
      { role: "system", content: "You are terse." },
      { role: "user", content: "What is the capital of France?", name: "user" },
    ]);
  });

  it("maps tool calls, tool results, images and names to the OpenAI format", async () => {
    server.enqueue("Sunny in Paris.");
    const history: LLMMessage[] = [
      { type: "UserMessage", content: ["Look:", { type: "image", data: "iVBORw0KGgo=", mimeType: "image/png" }], source: "Jane Doe (editor)" },
      { type: "AssistantMessage", content: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }], source: "weather agent" },
      { type: "FunctionExecutionResultMessage", content: [{ callId: "call_1", name: "get_weather", content: "sunny", isError: false }] },
      { type: "AssistantMessage", content: "It is sunny.", source: "assistant" },
    ];
    await client().create(history);
    assert.deepEqual(server.chatRequests[0]!.body.messages, [
      {
        role: "user",
        name: "Jane_Doe__editor_",
        content: [
          { type: "text", text: "Look:" },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
        ],
      },
      {
        role: "assistant",
        name: "weather_agent",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
      },
      { role: "tool", tool_call_id: "call_1", content: "sunny" },
      { role: "assistant", name: "assistant", content: "It is sunny." },
    ]);
  });

  it("leaves names out when includeNameInMessage is false", async () => {
    server.enqueue("ok");
    await client({ includeNameInMessage: false }).create(ask);
    assert.deepEqual(server.chatRequests[0]!.body.messages[1], { role: "user", content: "What is the capital of France?" });
  });

  it("refuses images for a model without vision, before sending anything", async () => {
    const model = client({ model: "gpt-4" });
    await assert.rejects(
      model.create([{ type: "UserMessage", content: [{ type: "image", data: "AA==", mimeType: "image/png" }], source: "user" }]),
      (error: Error) => error instanceof UserError && /does not accept images/.test(error.message),
    );
    assert.equal(server.requests.length, 0);
  });

  it("streams text chunks, then one result with the usage of the final chunk", async () => {
    server.enqueue({ content: "The capital of France is Paris.", usage: { promptTokens: 30, completionTokens: 8 } });
    const model = client();
    const { chunks, result } = await collect(model.createStream(ask));
    assert.ok(chunks.length > 3, `several chunks, got ${chunks.length}`);
    assert.equal(chunks.join(""), "The capital of France is Paris.");
    assert.equal(result.content, "The capital of France is Paris.");
    assert.equal(result.finishReason, "stop");
    assert.deepEqual(result.usage, { promptTokens: 30, completionTokens: 8 });
    assert.deepEqual(model.totalUsage(), { promptTokens: 30, completionTokens: 8 });
    const sent = server.chatRequests[0]!.body;
    assert.equal(sent.stream, true);
    assert.deepEqual(sent.stream_options, { include_usage: true });
  });

  it("returns tool calls, parallel ones included, as FunctionCall[]", async () => {
    server.enqueue({
      toolCalls: [
        { id: "call_a", name: "get_weather", arguments: { city: "Paris" } },
        { id: "call_b", name: "get_time", arguments: { city: "Tokyo" } },
      ],
    });
    const result = await client().create(ask, { tools: [weatherTool, { schema: timeTool }], toolChoice: "auto" });
    assert.equal(result.finishReason, "function_calls");
    assert.deepEqual(result.content, [
      { id: "call_a", name: "get_weather", arguments: '{"city":"Paris"}' },
      { id: "call_b", name: "get_time", arguments: '{"city":"Tokyo"}' },
    ]);
    const sent = server.chatRequests[0]!.body;
    assert.equal(sent.tool_choice, "auto");
    assert.deepEqual(sent.tools[0], { type: "function", function: { name: "get_weather", description: "Weather for a city.", parameters: weatherTool.parameters } });
    assert.equal(sent.tools[1].function.name, "get_time");
  });

  it("assembles streamed tool-call deltas, and keeps text said alongside as the thought", async () => {
    server.enqueue({
      content: "Let me check both.",
      toolCalls: [
        { id: "call_a", name: "get_weather", arguments: { city: "Paris", unit: "celsius" } },
        { id: "call_b", name: "get_time", arguments: { city: "Tokyo" } },
      ],
    });
    const { result } = await collect(client().createStream(ask, { tools: [weatherTool, timeTool] }));
    assert.equal(result.finishReason, "function_calls");
    assert.deepEqual(result.content as FunctionCall[], [
      { id: "call_a", name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' },
      { id: "call_b", name: "get_time", arguments: '{"city":"Tokyo"}' },
    ]);
    assert.equal(result.thought, "Let me check both.");
  });

  it("sends a named toolChoice and checks that it names a tool passed", async () => {
    server.enqueue({ toolCalls: [{ name: "get_time", arguments: "{}" }] });
    await client().create(ask, { tools: [weatherTool, timeTool], toolChoice: { name: "get_time" } });
    assert.deepEqual(server.chatRequests[0]!.body.tool_choice, { type: "function", function: { name: "get_time" } });
    await assert.rejects(client().create(ask, { tools: [weatherTool], toolChoice: { name: "nope" } }), UserError);
    await assert.rejects(client().create(ask, { toolChoice: "required" }), /needs tools/);
    assert.equal(server.requests.length, 1);
  });

  it("returns reasoning as the thought, from a reasoning field or <think> tags", async () => {
    server.enqueue({ content: "42", reasoning: "Six times seven." }, { content: "<think>Count them.</think>Three." });
    const first = await client().create(ask);
    assert.equal(first.content, "42");
    assert.equal(first.thought, "Six times seven.");
    const second = await client().create(ask);
    assert.equal(second.content, "Three.");
    assert.equal(second.thought, "Count them.");
  });

  it("asks for JSON mode and rejects an answer that is not JSON", async () => {
    server.enqueue('{"city":"Paris"}', "Paris, obviously");
    const result = await client().create(ask, { jsonOutput: true });
    assert.equal(result.content, '{"city":"Paris"}');
    assert.deepEqual(server.chatRequests[0]!.body.response_format, { type: "json_object" });
    await assert.rejects(client().create(ask, { jsonOutput: true }), (error: Error) => error instanceof ModelBehaviorError && /not JSON/.test(error.message));
  });

  it("asks for structured output with a zod schema and validates the answer", async () => {
    const City = z.object({ city: z.string(), population: z.number() });
    server.enqueue('{"city":"Paris","population":2100000}', '{"city":"Paris","population":"many"}');
    const result = await client().create(ask, { jsonOutput: City });
    assert.deepEqual(JSON.parse(result.content as string), { city: "Paris", population: 2100000 });
    const format = server.chatRequests[0]!.body.response_format;
    assert.equal(format.type, "json_schema");
    assert.equal(format.json_schema.strict, true);
    assert.deepEqual(format.json_schema.schema.required, ["city", "population"]);
    assert.equal(format.json_schema.schema.additionalProperties, false);
    await assert.rejects(
      client().create(ask, { jsonOutput: City }),
      (error: Error) => error instanceof ModelBehaviorError && /population/.test(error.message) && /does not match/.test(error.message),
    );
  });

  it("reports truncated JSON as finish reason length rather than a schema error", async () => {
    server.enqueue({ content: '{"city":"Par', finishReason: "length" });
    const result = await client().create(ask, { jsonOutput: z.object({ city: z.string() }) });
    assert.equal(result.finishReason, "length");
    assert.equal(result.content, '{"city":"Par');
  });

  it("validates structured output at the end of a stream too", async () => {
    server.enqueue('{"city": 3}');
    const stream = client().createStream(ask, { jsonOutput: z.object({ city: z.string() }) });
    await assert.rejects(collect(stream), ModelBehaviorError);
  });

  it("passes extraCreateArgs through, but not fields the client owns", async () => {
    server.enqueue("ok");
    await client().create(ask, { extraCreateArgs: { top_p: 0.5, logit_bias: { "50256": -100 } } });
    assert.equal(server.chatRequests[0]!.body.top_p, 0.5);
    assert.deepEqual(server.chatRequests[0]!.body.logit_bias, { "50256": -100 });
    await assert.rejects(client().create(ask, { extraCreateArgs: { stream: true } }), UserError);
  });

  it("sends max_completion_tokens to reasoning models", async () => {
    server.enqueue("ok");
    await client({ model: "o3-mini", maxTokens: 99 }).create(ask);
    assert.equal(server.chatRequests[0]!.body.max_completion_tokens, 99);
    assert.equal(server.chatRequests[0]!.body.max_tokens, undefined);
  });

  it("waits as long as Retry-After says on 429, then succeeds", async () => {
    server.enqueue({ status: 429, retryAfterSeconds: 1, error: { message: "Rate limit reached.", type: "requests" } }, "after the wait");
    const started = Date.now();
    const result = await client({ maxRetries: 2 }).create(ask);
    const waited = server.chatRequests[1]!.receivedAt - server.chatRequests[0]!.receivedAt;
    assert.equal(result.content, "after the wait");
    assert.equal(server.chatRequests.length, 2);
    assert.ok(waited >= 1000, `retried after ${waited} ms, Retry-After asked for 1000`);
    assert.ok(Date.now() - started < 5000);
  });

  it("honours retry-after-ms, and retries a 500", async () => {
    server.enqueue({ status: 500, retryAfterMs: 150 }, { status: 503, retryAfterMs: 150 }, "third time lucky");
    const result = await client({ maxRetries: 2 }).create(ask);
    assert.equal(result.content, "third time lucky");
    assert.equal(server.chatRequests.length, 3);
    assert.ok(server.chatRequests[2]!.receivedAt - server.chatRequests[0]!.receivedAt >= 300);
  });

  it("gives up after maxRetries with the status and the attempts in the error", async () => {
    server.enqueue({ status: 500, retryAfterMs: 10 }, { status: 500, retryAfterMs: 10 }, "never reached");
    await assert.rejects(client({ maxRetries: 1 }).create(ask), (error: Error) => {
      assert.ok(error instanceof ModelClientError);
      assert.equal(error.status, 500);
      assert.match(error.message, /after 2 attempts/);
      return true;
    });
    assert.equal(server.chatRequests.length, 2);
    assert.equal(server.pending, 1);
  });

  it("fails at once when Retry-After is longer than maxRetryWaitMs", async () => {
    server.enqueue({ status: 429, retryAfterSeconds: 3600, error: { message: "Quota exceeded." } });
    const started = Date.now();
    await assert.rejects(client({ maxRetries: 3, maxRetryWaitMs: 5000 }).create(ask), (error: Error) =>
      error instanceof ModelClientError && error.status === 429 && /3600 s/.test(error.message) && /Quota exceeded/.test(error.message),
    );
    assert.ok(Date.now() - started < 1000);
    assert.equal(server.chatRequests.length, 1);
  });

  it("does not retry a 400, and says what the server said", async () => {
    server.enqueue({ status: 400, error: { message: "Invalid 'messages[1].content': too long.", code: "invalid_value" } }, "unused");
    await assert.rejects(client({ maxRetries: 3 }).create(ask), (error: Error) => {
      assert.ok(error instanceof ModelClientError);
      assert.equal(error.status, 400);
      assert.match(error.message, /answered 400/);
      assert.match(error.message, /too long/);
      return true;
    });
    assert.equal(server.chatRequests.length, 1);
  });

  it("times out a slow server with an error naming the timeout", async () => {
    server.enqueue({ content: "too late", delayMs: 3000 });
    const started = Date.now();
    await assert.rejects(client({ timeout: 300 }).create(ask), (error: Error) =>
      error instanceof ModelClientError && /timed out after 300 ms/.test(error.message) && /timeout/.test(error.message),
    );
    assert.ok(Date.now() - started < 2500);
    await server.waitForAbort(0);
  });

  it("cuts a stream that stalls for longer than the timeout", async () => {
    server.enqueue({ content: "one two three", chunkDelayMs: 2000 });
    const started = Date.now();
    const chunks: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const item of client({ timeout: 300 }).createStream(ask)) if (typeof item === "string") chunks.push(item);
      })(),
      (error: Error) => error instanceof ModelClientError && /stalled: no data for 300 ms/.test(error.message),
    );
    assert.ok(Date.now() - started < 1500);
    await server.waitForAbort(0);
  });

  it("sends defaultHeaders and the organization with every request", async () => {
    server.enqueue("ok");
    await client({ defaultHeaders: { "x-team": "docs" }, organization: "org-123" }).create(ask);
    assert.equal(server.chatRequests[0]!.headers["x-team"], "docs");
    assert.equal(server.chatRequests[0]!.headers["openai-organization"], "org-123");
  });

  it("does not send anything when the token is already cancelled", async () => {
    const token = new CancellationToken();
    token.cancel();
    await assert.rejects(client().create(ask, { cancellationToken: token }), CancelledError);
    await assert.rejects(collect(client().createStream(ask, { cancellationToken: token })), CancelledError);
    assert.equal(server.requests.length, 0);
  });

  it("aborts a pending request when cancelled, and the server sees the connection close", async () => {
    server.enqueue({ content: "slow", delayMs: 5000 });
    const token = new CancellationToken();
    const pending = client().create(ask, { cancellationToken: token });
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    token.cancel();
    await assert.rejects(pending, CancelledError);
    await server.waitForAbort(0);
  });

  it("aborts mid-stream when cancelled, and the server sees the connection close", async () => {
    server.enqueue({ content: "one two three four five six seven eight nine ten", chunkDelayMs: 100 });
    const token = new CancellationToken();
    const chunks: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const item of client().createStream(ask, { cancellationToken: token })) {
          if (typeof item === "string") chunks.push(item);
          if (chunks.length === 2) token.cancel();
        }
      })(),
      CancelledError,
    );
    assert.equal(chunks.length, 2);
    await server.waitForAbort(0);
  });

  it("closes the connection when the consumer stops reading a stream", async () => {
    server.enqueue({ content: "one two three four five six seven eight", chunkDelayMs: 100 });
    for await (const item of client().createStream(ask)) {
      if (typeof item === "string") break;
    }
    await server.waitForAbort(0);
  });

  it("stops waiting for a retry when cancelled", async () => {
    server.enqueue({ status: 429, retryAfterSeconds: 30 });
    const token = new CancellationToken();
    const started = Date.now();
    const pending = client({ maxRetries: 2 }).create(ask, { cancellationToken: token });
    setTimeout(() => token.cancel(), 100);
    await assert.rejects(pending, CancelledError);
    assert.ok(Date.now() - started < 2000);
    assert.equal(server.chatRequests.length, 1);
  });

  it("keeps the API key out of errors, JSON and inspect output", async () => {
    const wrongKey = "sk-wrong-TOPSECRET-987654321";
    const model = client({ apiKey: wrongKey });
    const error = await model.create(ask).then(
      () => assert.fail("a wrong key must fail"),
      (failure: Error) => failure,
    );
    assert.ok(error instanceof ModelClientError);
    assert.equal(error.status, 401);
    assert.match(error.message, /API key was rejected: check .*OPENAI_API_KEY/);
    // The server echoed the whole key back; none of it may reach the user.
    assert.match(server.requests[0]!.headers.authorization!, /TOPSECRET/);
    for (const text of [error.message, inspect(error, { depth: 10 }), String(error.stack), JSON.stringify(model), inspect(model, { depth: 10, showHidden: true })])
      assert.ok(!text.includes("TOPSECRET"), `key leaked in: ${text.slice(0, 300)}`);
    assert.match(inspect(model), /OpenAIChatCompletionClient \{ model: "gpt-4o"/);
    assert.deepEqual(JSON.parse(JSON.stringify(model)).model, "gpt-4o");
  });

  it("says the server is not running when the connection is refused", async () => {
    const port = await closedPort();
    const model = new OpenAIChatCompletionClient({ model: "gpt-4o", apiKey: KEY, baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
    await assert.rejects(model.create(ask), (error: Error) =>
      error instanceof ModelClientError && /connection refused/.test(error.message) && /is the server at baseURL running\?/.test(error.message) && error.message.includes(`127.0.0.1:${port}`),
    );
  });

  it("wants modelInfo for a model it does not know, and uses it when given", async () => {
    assert.throws(
      () => new OpenAIChatCompletionClient({ model: "llama3.2", baseURL: server.url }),
      (error: Error) => error instanceof UserError && /Pass modelInfo/.test(error.message) && /llama3\.2/.test(error.message),
    );
    server.enqueue("hello from llama");
    const local = new OpenAIChatCompletionClient({
      model: "llama3.2",
      baseURL: server.url,
      apiKey: KEY,
      modelInfo: { vision: false, functionCalling: true, jsonOutput: true, structuredOutput: false, family: "llama" },
    });
    assert.equal((await local.create(ask)).content, "hello from llama");
    assert.equal(local.modelInfo.family, "llama");
  });

  it("needs an OpenAI key for api.openai.com but not for a local server", () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      assert.throws(() => new OpenAIChatCompletionClient({ model: "gpt-4o", baseURL: "https://api.openai.com/v1" }), /OPENAI_API_KEY is not set/);
      assert.doesNotThrow(() => new OpenAIChatCompletionClient({ model: "gpt-4o", baseURL: server.url }));
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
  });

  it("estimates tokens without a request", () => {
    const model = client();
    assert.ok(model.countTokens(ask) > 5);
    assert.ok(model.countTokens(ask, { tools: [weatherTool] }) > model.countTokens(ask));
    assert.equal(server.requests.length, 0);
  });
});
