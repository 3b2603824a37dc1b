import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { z } from "zod";
import {
  CancellationToken,
  CancelledError,
  ChatCompletionCache,
  FileCacheStore,
  InMemoryCacheStore,
  OpenAIChatCompletionClient,
  ReplayChatCompletionClient,
  UserError,
} from "agentbook";
import type { CreateResult, LLMMessage } from "agentbook";
import { startOpenAIServer, type OpenAIServer } from "../../fixtures/openai-server.ts";

const ask: LLMMessage[] = [{ type: "UserMessage", content: "Name a colour.", source: "user" }];
const other: LLMMessage[] = [{ type: "UserMessage", content: "Name a fruit.", source: "user" }];

async function drain(stream: AsyncIterable<string | CreateResult>): Promise<{ chunks: string[]; result: CreateResult }> {
  const chunks: string[] = [];
  let result: CreateResult | undefined;
  for await (const item of stream) typeof item === "string" ? chunks.push(item) : (result = item);
  assert.ok(result);
  return { chunks, result };
}

describe("ChatCompletionCache", () => {
  let server: OpenAIServer;
  let dir: string;
  before(async () => {
    server = await startOpenAIServer();
    dir = await mkdtemp(join(tmpdir(), "agentbook-cache-"));
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => server.reset());

  const live = () => new OpenAIChatCompletionClient({ model: "gpt-4o-mini", apiKey: "sk-test", baseURL: server.url, maxRetries: 0 });

  it("answers a repeated request from the cache without calling the model", async () => {
    server.enqueue({ content: "Blue.", usage: { promptTokens: 10, completionTokens: 2 } }, { content: "Apple.", usage: { promptTokens: 10, completionTokens: 3 } });
    const cache = new ChatCompletionCache(live());
    const first = await cache.create(ask);
    const second = await cache.create(ask);
    const third = await cache.create(other);
    assert.equal(first.cached, false);
    assert.equal(second.cached, true);
    assert.equal(second.content, "Blue.");
    assert.deepEqual(second.usage, first.usage);
    assert.equal(third.content, "Apple.");
    assert.equal(server.chatRequests.length, 2, "the hit made no request");
    assert.deepEqual(cache.actualUsage(), { promptTokens: 20, completionTokens: 5 });
    assert.deepEqual(cache.totalUsage(), { promptTokens: 30, completionTokens: 7 });
  });

  it("keys on tools, toolChoice, jsonOutput and extraCreateArgs too", async () => {
    const replay = new ReplayChatCompletionClient(["a", "b", "c", "d", "e", "f"]);
    const cache = new ChatCompletionCache(replay);
    const tool = { name: "t", parameters: { type: "object" } };
    const variants = [
      {},
      { tools: [tool] },
      { tools: [tool], toolChoice: "required" as const },
      { jsonOutput: true },
      { jsonOutput: z.object({ x: z.string() }) },
      { extraCreateArgs: { top_p: 0.1 } },
    ];
    const keys = variants.map((options) => cache.cacheKey(ask, options));
    assert.equal(new Set(keys).size, variants.length, "every variant has its own key");
    assert.equal(cache.cacheKey(ask, { extraCreateArgs: { a: 1, b: 2 } }), cache.cacheKey(ask, { extraCreateArgs: { b: 2, a: 1 } }), "key order does not matter");
    assert.equal(cache.cacheKey(ask, { jsonOutput: z.object({ x: z.string() }) }), keys[4]);
    for (const options of variants) await cache.create(ask, options);
    assert.equal(replay.remaining, 0);
    for (const options of variants) assert.equal((await cache.create(ask, options)).cached, true);
  });

  it("streams a miss from the model and a hit as its text then the result", async () => {
    server.enqueue("The sky is blue today.");
    const cache = new ChatCompletionCache(live());
    const miss = await drain(cache.createStream(ask));
    assert.ok(miss.chunks.length > 1);
    assert.equal(miss.result.cached, false);
    const hit = await drain(cache.createStream(ask));
    assert.deepEqual(hit.chunks, ["The sky is blue today."]);
    assert.equal(hit.result.cached, true);
    assert.equal(hit.result.content, "The sky is blue today.");
    assert.equal(server.chatRequests.length, 1);
  });

  it("caches tool calls", async () => {
    server.enqueue({ toolCalls: [{ id: "c1", name: "pick", arguments: { n: 1 } }] });
    const cache = new ChatCompletionCache(live());
    const tools = [{ name: "pick", parameters: { type: "object" } }];
    await cache.create(ask, { tools });
    const hit = await cache.create(ask, { tools });
    assert.equal(hit.cached, true);
    assert.equal(hit.finishReason, "function_calls");
    assert.deepEqual(hit.content, [{ id: "c1", name: "pick", arguments: '{"n":1}' }]);
  });

  it("does not store failures, and honours a cancelled token on a hit", async () => {
    server.enqueue({ status: 400, error: { message: "bad" } }, "fine");
    const cache = new ChatCompletionCache(live());
    await assert.rejects(cache.create(ask));
    assert.equal((await cache.create(ask)).cached, false);
    const token = new CancellationToken();
    token.cancel();
    await assert.rejects(cache.create(ask, { cancellationToken: token }), CancelledError);
  });

  it("keeps results on disk across store instances, one JSON file per key, no temp files left", async () => {
    server.enqueue("Green.");
    const first = new ChatCompletionCache(live(), new FileCacheStore(dir));
    await first.create(ask);
    const files = await readdir(dir);
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^[0-9a-f]{64}\.json$/);
    assert.equal(JSON.parse(await readFile(join(dir, files[0]!), "utf8")).content, "Green.");

    const second = new ChatCompletionCache(live(), new FileCacheStore(dir));
    const hit = await second.create(ask);
    assert.equal(hit.cached, true);
    assert.equal(hit.content, "Green.");
    assert.equal(server.chatRequests.length, 1);
    assert.deepEqual(second.actualUsage(), { promptTokens: 0, completionTokens: 0 });
  });

  it("keeps keys inside the store's folder", async () => {
    const store = new FileCacheStore(dir);
    await assert.rejects(store.set("../escape", { finishReason: "stop", content: "x", usage: { promptTokens: 0, completionTokens: 0 }, cached: false }), UserError);
    await assert.rejects(store.get("a/b"), UserError);
  });

  it("passes through, uncached, a jsonOutput schema that cannot describe itself", async () => {
    const validateOnly = { safeParse: (value: unknown) => ({ success: true as const, data: value }) };
    const cache = new ChatCompletionCache(new ReplayChatCompletionClient(['{"a":1}', '{"a":2}']));
    assert.equal(cache.cacheKey(ask, { jsonOutput: validateOnly }), undefined);
    assert.equal((await cache.create(ask, { jsonOutput: validateOnly })).content, '{"a":1}');
    const second = await cache.create(ask, { jsonOutput: validateOnly });
    assert.equal(second.content, '{"a":2}');
    assert.equal(second.cached, false);
  });

  it("isolates stored results from callers that mutate them", async () => {
    const store = new InMemoryCacheStore();
    const cache = new ChatCompletionCache(new ReplayChatCompletionClient(["x"]), store);
    const result = await cache.create(ask);
    result.content = "changed";
    assert.equal((await cache.create(ask)).content, "x");
    assert.equal(store.size, 1);
  });
});
