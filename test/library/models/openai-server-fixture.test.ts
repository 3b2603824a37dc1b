// The fake OpenAI server is itself a tested part: every other suite and the benchmarks rely on it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import OpenAI, { AzureOpenAI } from "openai";
import { cosineSimilarity, fakeEmbedding } from "../../fixtures/fake-embedding.ts";
import { startOpenAIServer } from "../../fixtures/openai-server.ts";

describe("fake OpenAI server", () => {
  it("serves deterministic embeddings, as floats or base64, in the requested dimension", async () => {
    const server = await startOpenAIServer({ embeddingDimension: 32 });
    try {
      const sdk = new OpenAI({ apiKey: "sk-test", baseURL: server.url, maxRetries: 0 });
      // The SDK asks for base64 by default and decodes it.
      const viaBase64 = await sdk.embeddings.create({ model: "text-embedding-3-small", input: ["the cat sat", "a dog ran"] });
      assert.equal(server.requests[0]!.body.encoding_format, "base64");
      assert.equal(viaBase64.data.length, 2);
      assert.equal(viaBase64.data[0]!.embedding.length, 32);
      const expected = fakeEmbedding("the cat sat", 32);
      viaBase64.data[0]!.embedding.forEach((value, index) => assert.ok(Math.abs(value - expected[index]!) < 1e-6));
      const asFloats = await sdk.embeddings.create({ model: "m", input: "the cat sat", encoding_format: "float", dimensions: 8 });
      assert.deepEqual(asFloats.data[0]!.embedding, fakeEmbedding("the cat sat", 8));
      assert.ok(asFloats.usage.prompt_tokens > 0);
    } finally {
      await server.close();
    }
  });

  it("makes texts that share words closer than texts that do not", () => {
    const query = fakeEmbedding("weather in Paris today");
    assert.ok(cosineSimilarity(query, fakeEmbedding("Paris weather is sunny")) > cosineSimilarity(query, fakeEmbedding("stock prices fell")));
    assert.ok(Math.abs(cosineSimilarity(query, query) - 1) < 1e-9);
  });

  it("accepts the Azure path shape for embeddings", async () => {
    const server = await startOpenAIServer();
    try {
      const azure = new AzureOpenAI({ endpoint: server.origin, apiKey: "k", apiVersion: "2024-10-21", deployment: "embed", maxRetries: 0 });
      const result = await azure.embeddings.create({ model: "embed", input: "hello" });
      assert.equal(result.data[0]!.embedding.length, 64);
      assert.equal(server.requests[0]!.path, "/openai/deployments/embed/embeddings");
      assert.equal(server.requests[0]!.headers["api-key"], "k");
    } finally {
      await server.close();
    }
  });

  it("answers 500 without retry hints when no reply is scripted, and 404 for unknown paths", async () => {
    const server = await startOpenAIServer();
    try {
      const noReply = await fetch(`${server.url}/chat/completions`, { method: "POST", body: JSON.stringify({ model: "m", messages: [] }) });
      assert.equal(noReply.status, 500);
      assert.equal(noReply.headers.get("x-should-retry"), "false");
      assert.match(((await noReply.json()) as { error: { message: string } }).error.message, /enqueue one or set a responder/);
      const unknown = await fetch(`${server.url}/nowhere`);
      assert.equal(unknown.status, 404);
      const models = await new OpenAI({ apiKey: "k", baseURL: server.url }).models.list();
      assert.equal(models.data[0]!.id, "fake-model");
    } finally {
      await server.close();
    }
  });

  it("speaks SSE exactly: role first, content deltas, finish, usage chunk, [DONE]", async () => {
    const server = await startOpenAIServer();
    try {
      server.enqueue({ content: "a b", usage: { promptTokens: 3, completionTokens: 2 } });
      const response = await fetch(`${server.url}/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ model: "m", messages: [], stream: true, stream_options: { include_usage: true } }),
      });
      assert.equal(response.headers.get("content-type"), "text/event-stream");
      const events = (await response.text()).trim().split("\n\n");
      assert.equal(events.at(-1), "data: [DONE]");
      const chunks = events.slice(0, -1).map((event) => JSON.parse(event.replace(/^data: /, "")));
      assert.ok(chunks.every((chunk) => chunk.object === "chat.completion.chunk"));
      assert.equal(chunks[0].choices[0].delta.role, "assistant");
      assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join(""), "a b");
      assert.equal(chunks.at(-2).choices[0].finish_reason, "stop");
      assert.deepEqual(chunks.at(-1).choices, []);
      assert.deepEqual(chunks.at(-1).usage, { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    } finally {
      await server.close();
    }
  });

  it("closes promptly while a stream and a delayed reply are still open", async () => {
    const server = await startOpenAIServer();
    server.enqueue({ content: "x y z", chunkDelayMs: 10_000 }, { content: "late", delayMs: 10_000 });
    const streaming = fetch(`${server.url}/chat/completions`, { method: "POST", body: JSON.stringify({ model: "m", messages: [], stream: true }) });
    const reader = (await streaming).body!.getReader();
    await reader.read();
    const delayed = fetch(`${server.url}/chat/completions`, { method: "POST", body: JSON.stringify({ model: "m", messages: [] }) }).catch((error: Error) => error);
    while (server.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = Date.now();
    await server.close();
    assert.ok(Date.now() - started < 1000, `close took ${Date.now() - started} ms`);
    assert.ok((await delayed) instanceof Error);
    await reader.read().catch(() => undefined);
  });

  it("answers quickly from a responder (the benchmark path)", async () => {
    const server = await startOpenAIServer({ responder: (request) => `echo: ${request.body.messages.at(-1).content}` });
    try {
      const sdk = new OpenAI({ apiKey: "k", baseURL: server.url, maxRetries: 0 });
      const count = 200;
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        const completion = await sdk.chat.completions.create({ model: "m", messages: [{ role: "user", content: `n${i}` }] });
        assert.equal(completion.choices[0]!.message.content, `echo: n${i}`);
      }
      const perRequest = (performance.now() - started) / count;
      assert.ok(perRequest < 20, `${perRequest.toFixed(2)} ms per request`);
    } finally {
      await server.close();
    }
  });
});
