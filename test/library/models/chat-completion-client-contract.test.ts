// One suite, run against every ChatCompletionClient: the offline replay model, OpenAI and Azure
// over a real HTTP server, and the cache. Agents rely on exactly these behaviours.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  AzureOpenAIChatCompletionClient,
  CancellationToken,
  CancelledError,
  ChatCompletionCache,
  OpenAIChatCompletionClient,
  ReplayChatCompletionClient,
} from "agentbook";
import type { ChatCompletionClient, CreateResult, FunctionCall, LLMMessage } from "agentbook";
import { startOpenAIServer, type OpenAIServer } from "../../fixtures/openai-server.ts";

type Script = Array<string | FunctionCall[]>;

let server: OpenAIServer;

function enqueue(script: Script): void {
  for (const item of script)
    server.enqueue(typeof item === "string" ? item : { toolCalls: item.map((call) => ({ id: call.id, name: call.name, arguments: call.arguments })) });
}

const implementations: Array<{ name: string; make: (script: Script) => ChatCompletionClient }> = [
  {
    name: "ReplayChatCompletionClient",
    make: (script) => new ReplayChatCompletionClient(script.map((item) => (typeof item === "string" ? item : ({ content: item } as CreateResult)))),
  },
  {
    name: "OpenAIChatCompletionClient",
    make: (script) => {
      enqueue(script);
      return new OpenAIChatCompletionClient({ model: "gpt-4o-mini", apiKey: "sk-test", baseURL: server.url, maxRetries: 0 });
    },
  },
  {
    name: "AzureOpenAIChatCompletionClient",
    make: (script) => {
      enqueue(script);
      return new AzureOpenAIChatCompletionClient({ azureEndpoint: server.origin, azureDeployment: "gpt-4o", apiKey: "k", maxRetries: 0 });
    },
  },
  {
    name: "ChatCompletionCache",
    make: (script) => new ChatCompletionCache(new ReplayChatCompletionClient(script.map((item) => (typeof item === "string" ? item : ({ content: item } as CreateResult))))),
  },
];

const ask: LLMMessage[] = [
  { type: "SystemMessage", content: "Be brief." },
  { type: "UserMessage", content: "Say something.", source: "user" },
];
const calls: FunctionCall[] = [
  { id: "call_1", name: "add", arguments: '{"a":1,"b":2}' },
  { id: "call_2", name: "mul", arguments: '{"a":3,"b":4}' },
];
const tools = [
  { name: "add", parameters: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } } } },
  { name: "mul", parameters: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } } } },
];

before(async () => {
  server = await startOpenAIServer();
});
after(async () => {
  await server.close();
});

for (const { name, make } of implementations) {
  describe(`ChatCompletionClient contract: ${name}`, () => {
    it("answers text with finish reason stop, usage and cached false, and sums usage", async () => {
      const client = make(["First answer.", "Second."]);
      const one = await client.create(ask);
      const two = await client.create([...ask, { type: "AssistantMessage", content: one.content, source: "assistant" }, { type: "UserMessage", content: "More.", source: "user" }]);
      assert.equal(one.content, "First answer.");
      assert.equal(two.content, "Second.");
      assert.equal(one.finishReason, "stop");
      assert.equal(one.cached, false);
      assert.ok(one.usage.promptTokens > 0 && one.usage.completionTokens > 0);
      assert.deepEqual(client.totalUsage(), {
        promptTokens: one.usage.promptTokens + two.usage.promptTokens,
        completionTokens: one.usage.completionTokens + two.usage.completionTokens,
      });
      await client.close();
    });

    it("streams chunks that add up to the content, then exactly one result", async () => {
      const client = make(["Streaming is a sequence of small pieces."]);
      const items: Array<string | CreateResult> = [];
      for await (const item of client.createStream(ask)) items.push(item);
      const result = items.at(-1) as CreateResult;
      const chunks = items.slice(0, -1);
      assert.ok(chunks.length > 1 && chunks.every((chunk) => typeof chunk === "string"));
      assert.equal(chunks.join(""), "Streaming is a sequence of small pieces.");
      assert.equal(result.content, "Streaming is a sequence of small pieces.");
    });

    it("returns parallel tool calls as FunctionCall[] with finish reason function_calls", async () => {
      const client = make([calls]);
      const result = await client.create(ask, { tools });
      assert.equal(result.finishReason, "function_calls");
      assert.deepEqual(result.content, calls);
    });

    it("streams tool calls as one final result", async () => {
      const client = make([calls]);
      const items: Array<string | CreateResult> = [];
      for await (const item of client.createStream(ask, { tools })) items.push(item);
      assert.deepEqual((items.at(-1) as CreateResult).content, calls);
    });

    it("refuses to start when the token is already cancelled", async () => {
      const client = make(["unused"]);
      const token = new CancellationToken();
      token.cancel();
      await assert.rejects(client.create(ask, { cancellationToken: token }), CancelledError);
      server.reset();
    });

    it("estimates prompt tokens, more with tools", () => {
      const client = make([]);
      assert.ok(client.countTokens(ask) > 0);
      assert.ok(client.countTokens(ask, { tools }) > client.countTokens(ask));
    });
  });
}
