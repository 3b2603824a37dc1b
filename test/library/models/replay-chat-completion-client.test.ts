import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CancellationToken, ReplayChatCompletionClient, UserError } from "agentbook";
import type { CreateResult } from "agentbook";

const ask = [{ type: "UserMessage", content: "hello", source: "user" }] as const;

describe("ReplayChatCompletionClient", () => {
  it("answers with the scripted responses in order and counts usage", async () => {
    const client = new ReplayChatCompletionClient(["first answer", "second"]);
    const one = await client.create(ask);
    const two = await client.create(ask);
    assert.equal(one.content, "first answer");
    assert.equal(two.content, "second");
    assert.equal(one.finishReason, "stop");
    assert.ok(one.usage.promptTokens > 0 && one.usage.completionTokens > 0);
    assert.equal(client.totalUsage().completionTokens, one.usage.completionTokens + two.usage.completionTokens);
  });

  it("says clearly when it runs out of responses", async () => {
    const client = new ReplayChatCompletionClient(["only one"]);
    await client.create(ask);
    await assert.rejects(client.create(ask), (error: Error) => error instanceof UserError && /ran out of responses/.test(error.message));
  });

  it("streams chunks that add up to the content, then one result", async () => {
    const client = new ReplayChatCompletionClient(["The quick brown fox."]);
    const chunks: string[] = [];
    let result: CreateResult | undefined;
    for await (const item of client.createStream(ask)) {
      if (typeof item === "string") chunks.push(item);
      else result = item;
    }
    assert.ok(chunks.length > 1);
    assert.equal(chunks.join(""), "The quick brown fox.");
    assert.equal(result?.content, "The quick brown fox.");
  });

  it("replays scripted tool calls with finish reason function_calls", async () => {
    const client = new ReplayChatCompletionClient([
      { content: [{ id: "c1", name: "get_weather", arguments: '{"city":"Paris"}' }] } as CreateResult,
    ]);
    const result = await client.create(ask);
    assert.equal(result.finishReason, "function_calls");
    assert.deepEqual(result.content, [{ id: "c1", name: "get_weather", arguments: '{"city":"Paris"}' }]);
  });

  it("stops streaming when cancelled", async () => {
    const client = new ReplayChatCompletionClient(["one two three four five six"], { chunkDelayMs: 20 });
    const token = new CancellationToken();
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const item of client.createStream(ask, { cancellationToken: token })) {
        if (typeof item === "string") seen.push(item);
        if (seen.length === 2) token.cancel();
      }
    }, /cancelled/);
    assert.equal(seen.length, 2);
  });
});
