import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Memory } from "agentbook";
import { EmbeddedVectorMemory, ListMemory, SQLiteMemory, TripleMemory, UnboundedChatCompletionContext, UserError } from "agentbook";

const inners: Array<[string, () => Memory]> = [
  ["EmbeddedVectorMemory", () => new EmbeddedVectorMemory({ k: 3 })],
  ["SQLiteMemory", () => new SQLiteMemory({ k: 3 })],
  ["ListMemory", () => new ListMemory()],
];

for (const [kind, make] of inners)
  describe(`TripleMemory around ${kind}`, () => {
    async function graph(): Promise<TripleMemory> {
      const memory = new TripleMemory(make());
      await memory.add({ content: "User:Paris → Capital → France", mimeType: "application/triplet" });
      await memory.add({ content: "Paris -> capital of -> France", mimeType: "application/triplet" });
      await memory.add({ content: { subject: "Berlin", predicate: "capital of", object: "Germany" }, mimeType: "application/json" });
      await memory.addTriple("France", "in", "Europe");
      await memory.addTriple("Germany", "in", "Europe");
      await memory.addTriple("Lima", "capital of", "Peru");
      await memory.addTriple("Peru", "in", "South America");
      await memory.addTriple("alice", "knows", "alice");
      return memory;
    }

    it("matches patterns: fixed parts exact and case-insensitive, the rest free", async () => {
      const memory = await graph();
      assert.deepEqual(await memory.match({ subject: "paris" }), [{ subject: "Paris", predicate: "capital of", object: "France" }]);
      assert.deepEqual((await memory.match({ predicate: "in", object: "Europe" })).map((t) => t.subject), ["France", "Germany"]);
      assert.equal((await memory.match()).length, 8);
      assert.deepEqual(await memory.match({ subject: "?x", object: "?x" }), [{ subject: "alice", predicate: "knows", object: "alice" }]);
      assert.deepEqual((await memory.neighbours("France")).map((t) => `${t.subject} ${t.predicate} ${t.object}`), [
        "France in Europe",
        "User:Paris Capital France",
        "Paris capital of France",
      ]);
    });

    it("answers joins over variables", async () => {
      const memory = await graph();
      const capitals = await memory.select([
        { subject: "?city", predicate: "capital of", object: "?country" },
        { subject: "?country", predicate: "in", object: "Europe" },
      ]);
      assert.deepEqual(capitals, [
        { "?city": "Paris", "?country": "France" },
        { "?city": "Berlin", "?country": "Germany" },
      ]);
      assert.deepEqual(await memory.select([{ subject: "?c", predicate: "capital of", object: "Atlantis" }]), []);
    });

    it("puts facts into a model's context and deletes by pattern", async () => {
      const memory = await graph();
      const context = new UnboundedChatCompletionContext();
      await context.addMessage({ type: "UserMessage", content: "What is the capital of France?", source: "user" });
      const update = await memory.updateContext(context);
      assert.ok(update.memories.results.some((item) => item.content === "Paris → capital of → France"));
      assert.equal(await memory.deleteTriples({ predicate: "in" }), 3);
      assert.equal((await memory.match()).length, 5);
      await assert.rejects(memory.add({ content: "not a triple", mimeType: "application/triplet" }), UserError);
    });
  });
