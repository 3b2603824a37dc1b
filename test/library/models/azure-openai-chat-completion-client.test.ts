import assert from "node:assert/strict";
import { inspect } from "node:util";
import { after, before, beforeEach, describe, it } from "node:test";
import { AzureOpenAIChatCompletionClient, DEFAULT_AZURE_API_VERSION, ModelClientError, UserError } from "agentbook";
import type { CreateResult, LLMMessage } from "agentbook";
import { startOpenAIServer, type OpenAIServer } from "../../fixtures/openai-server.ts";

const KEY = "azure-key-SECRET-0123456789";
const ask: LLMMessage[] = [{ type: "UserMessage", content: "Hello?", source: "user" }];

describe("AzureOpenAIChatCompletionClient against a real HTTP server", () => {
  let server: OpenAIServer;
  before(async () => {
    server = await startOpenAIServer({ apiKey: KEY });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => server.reset());

  const client = (options: Partial<ConstructorParameters<typeof AzureOpenAIChatCompletionClient>[0]> = {}) =>
    new AzureOpenAIChatCompletionClient({
      azureEndpoint: server.origin,
      azureDeployment: "my-gpt4o",
      model: "gpt-4o",
      apiKey: KEY,
      maxRetries: 0,
      ...options,
    });

  it("calls the deployment path with api-version and the api-key header", async () => {
    server.enqueue({ content: "Hi from Azure.", usage: { promptTokens: 5, completionTokens: 4 } });
    const result = await client({ apiVersion: "2024-10-21" }).create(ask);
    assert.equal(result.content, "Hi from Azure.");
    assert.deepEqual(result.usage, { promptTokens: 5, completionTokens: 4 });
    const sent = server.chatRequests[0]!;
    assert.equal(sent.path, "/openai/deployments/my-gpt4o/chat/completions");
    assert.equal(sent.deployment, "my-gpt4o");
    assert.equal(sent.query["api-version"], "2024-10-21");
    assert.equal(sent.headers["api-key"], KEY);
    assert.equal(sent.headers.authorization, undefined);
  });

  it("streams, with tool calls assembled, through the same implementation as OpenAI", async () => {
    server.enqueue({ toolCalls: [{ id: "c1", name: "lookup", arguments: { q: "x" } }] });
    let result: CreateResult | undefined;
    for await (const item of client().createStream(ask, { tools: [{ name: "lookup", parameters: { type: "object" } }] }))
      if (typeof item !== "string") result = item;
    assert.deepEqual(result?.content, [{ id: "c1", name: "lookup", arguments: '{"q":"x"}' }]);
    assert.equal(server.chatRequests[0]!.query["api-version"], DEFAULT_AZURE_API_VERSION);
  });

  it("authenticates with an Entra ID token provider instead of a key", async () => {
    const tokenServer = await startOpenAIServer({ apiKey: "entra-token-abc" });
    try {
      tokenServer.enqueue("token accepted");
      const model = new AzureOpenAIChatCompletionClient({
        azureEndpoint: tokenServer.origin,
        azureDeployment: "gpt-4o-mini",
        azureAdTokenProvider: async () => "entra-token-abc",
        maxRetries: 0,
      });
      assert.equal((await model.create(ask)).content, "token accepted");
      assert.equal(tokenServer.chatRequests[0]!.headers.authorization, "Bearer entra-token-abc");
      assert.equal(model.modelInfo.family, "gpt-4o", "the deployment name is looked up when model is not given");
    } finally {
      await tokenServer.close();
    }
  });

  it("says to check AZURE_OPENAI_API_KEY on 401 and never shows the key", async () => {
    const model = client({ apiKey: "azure-wrong-TOPSECRET-key" });
    const error = await model.create(ask).then(
      () => assert.fail("a wrong key must fail"),
      (failure: Error) => failure,
    );
    assert.ok(error instanceof ModelClientError);
    assert.equal(error.status, 401);
    assert.match(error.message, /AZURE_OPENAI_API_KEY/);
    for (const text of [error.message, inspect(error, { depth: 10 }), JSON.stringify(model), inspect(model, { showHidden: true, depth: 10 })])
      assert.ok(!text.includes("TOPSECRET"), `key leaked in: ${text.slice(0, 300)}`);
  });

  it("requires an endpoint, a deployment and a key or token provider", () => {
    const saved = process.env.AZURE_OPENAI_API_KEY;
    delete process.env.AZURE_OPENAI_API_KEY;
    try {
      assert.throws(() => new AzureOpenAIChatCompletionClient({ azureEndpoint: "", azureDeployment: "d" }), UserError);
      assert.throws(() => new AzureOpenAIChatCompletionClient({ azureEndpoint: server.origin, azureDeployment: "gpt-4o" }), /AZURE_OPENAI_API_KEY/);
      assert.throws(
        () => new AzureOpenAIChatCompletionClient({ azureEndpoint: server.origin, azureDeployment: "custom-name", apiKey: KEY }),
        /Pass modelInfo/,
      );
    } finally {
      if (saved !== undefined) process.env.AZURE_OPENAI_API_KEY = saved;
    }
  });
});
