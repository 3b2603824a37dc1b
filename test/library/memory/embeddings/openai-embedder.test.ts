import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CancellationToken, CancelledError, ModelClientError, OpenAIEmbedder, UserError } from "agentbook";
import { fakeEmbedding } from "../../../fixtures/fake-embedding.ts";
import { startOpenAIServer } from "../../../fixtures/openai-server.ts";

describe("OpenAIEmbedder", () => {
  it("embeds through /v1/embeddings, in batches, keeping order", async () => {
    const server = await startOpenAIServer({ embeddingDimension: 16 });
    try {
      const embedder = new OpenAIEmbedder({ model: "my-embedder", apiKey: "sk-test", baseURL: server.url, batchSize: 2 });
      assert.equal(embedder.dimension, 0, "an unknown model's dimension is learnt from the first answer");
      const texts = ["the cat sat", "a dog ran", "", "birds fly"];
      const vectors = await embedder.embed(texts);
      assert.equal(embedder.dimension, 16);
      assert.equal(server.requests.length, 2);
      assert.deepEqual(server.requests[0]!.body.input, ["the cat sat", "a dog ran"]);
      assert.equal(server.requests[0]!.body.model, "my-embedder");
      assert.equal(server.requests[0]!.headers.authorization, "Bearer sk-test");
      vectors.forEach((vector, index) => {
        assert.ok(vector instanceof Float32Array);
        const expected = fakeEmbedding(texts[index] || " ", 16);
        vector.forEach((value, i) => assert.ok(Math.abs(value - expected[i]!) < 1e-6));
      });
    } finally {
      await server.close();
    }
  });

  it("asks for shorter vectors with dimensions, and knows OpenAI's model sizes", async () => {
    const server = await startOpenAIServer();
    try {
      const embedder = new OpenAIEmbedder({ model: "text-embedding-3-small", dimensions: 8, apiKey: "k", baseURL: server.url });
      assert.equal(embedder.dimension, 8);
      const [vector] = await embedder.embed(["hello"]);
      assert.equal(server.requests[0]!.body.dimensions, 8);
      assert.equal(vector!.length, 8);
      assert.equal(new OpenAIEmbedder({ apiKey: "k", baseURL: server.url }).dimension, 1536);
    } finally {
      await server.close();
    }
  });

  it("reports a rejected key without showing it, and honours cancellation", async () => {
    const server = await startOpenAIServer({ apiKey: "right-key" });
    try {
      const embedder = new OpenAIEmbedder({ model: "m", dimensions: 4, apiKey: "wrong-key-123", baseURL: server.url, maxRetries: 0 });
      const error = await embedder.embed(["x"]).then(
        () => assert.fail("should have failed"),
        (caught: unknown) => caught as Error,
      );
      assert.ok(error instanceof ModelClientError);
      assert.equal(error.status, 401);
      assert.doesNotMatch(error.message, /wrong-key-123/);
      const token = new CancellationToken();
      token.cancel();
      await assert.rejects(embedder.embed(["x"], { cancellationToken: token }), CancelledError);
    } finally {
      await server.close();
    }
  });

  it("refuses bad options with a message that says what to do", () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      assert.throws(() => new OpenAIEmbedder({ baseURL: "https://api.openai.com/v1" }), /OPENAI_API_KEY is not set/);
      assert.throws(() => new OpenAIEmbedder({ baseURL: "http://user:pw@127.0.0.1:1/v1" }), UserError);
      assert.throws(() => new OpenAIEmbedder({ baseURL: "http://127.0.0.1:1/v1", batchSize: 0 }), /batchSize/);
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
  });
});
