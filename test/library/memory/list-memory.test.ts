import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ListMemory, UnboundedChatCompletionContext, UserError } from "agentbook";

describe("ListMemory", () => {
  it("injects every item, oldest first, as one SystemMessage and reports them", async () => {
    const memory = new ListMemory({ name: "prefs" });
    await memory.add({ content: "The user likes metric units.", mimeType: "text/plain" });
    await memory.add({ content: { diet: "vegan" }, mimeType: "application/json", metadata: { kind: "food" } });
    const context = new UnboundedChatCompletionContext();
    await context.addMessage({ type: "UserMessage", content: "Plan dinner.", source: "user" });

    const update = await memory.updateContext(context);

    assert.equal(update.memories.results.length, 2);
    const messages = await context.getMessages();
    assert.deepEqual(messages[1], {
      type: "SystemMessage",
      content: '\nRelevant memory content (in chronological order):\n1. The user likes metric units.\n2. {"diet":"vegan"}\n',
    });
  });

  it("adds nothing to the context when it is empty", async () => {
    const memory = new ListMemory();
    const context = new UnboundedChatCompletionContext();
    const update = await memory.updateContext(context);
    assert.deepEqual(update.memories.results, []);
    assert.deepEqual(await context.getMessages(), []);
    assert.equal(memory.name, "default_list_memory");
  });

  it("returns every item for any query; filter and k narrow it", async () => {
    const memory = new ListMemory({
      memoryContents: [
        { content: "a", mimeType: "text/plain", metadata: { topic: "x" } },
        { content: "b", mimeType: "text/plain", metadata: { topic: "y" } },
        { content: "c", mimeType: "text/plain", metadata: { topic: "x" } },
      ],
    });
    assert.deepEqual((await memory.query("anything")).results.map((item) => item.content), ["a", "b", "c"]);
    assert.deepEqual((await memory.query("q", { filter: { topic: "x" } })).results.map((item) => item.content), ["a", "c"]);
    assert.deepEqual((await memory.query("q", { k: 2 })).results.map((item) => item.content), ["b", "c"]);
  });

  it("clears, and rejects items that are not { content, mimeType }", async () => {
    const memory = new ListMemory({ memoryContents: [{ content: "a", mimeType: "text/plain" }] });
    await memory.clear();
    assert.deepEqual(memory.contents, []);
    await assert.rejects(memory.add({ content: "no type" } as any), UserError);
  });
});
