/**
 * The behaviour every Memory promises, as one suite run against each implementation
 * (memory-contract.test.ts). A memory that ranks must put the relevant item first; one that
 * does not (ListMemory) returns items in order.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Memory, MemoryContent } from "agentbook";
import { DISPLAY, MEMORY_MIME, UnboundedChatCompletionContext, UserError } from "agentbook";

/** How the suite gets a fresh memory of one kind. */
export interface MemoryUnderTest {
  /** A new, empty memory. */
  create(): Promise<Memory>;
  /** Open the same store again after `close()` (for memories that persist). */
  reopen?(): Promise<Memory>;
  /** Remove what `create` made (folders, servers). */
  cleanup?(): Promise<void>;
  /** True when `query` ranks by relevance (and scores). */
  ranks: boolean;
}

const FACTS: MemoryContent[] = [
  { content: "The user is allergic to shellfish such as shrimp and lobster.", mimeType: "text/plain", metadata: { category: "medical", priority: 3, year: 2023 } },
  { content: "The user prefers metric units: kilometres and kilograms.", mimeType: "text/plain", metadata: { category: "preferences", priority: 1, year: 2024 } },
  { content: "Flights to Lisbon are booked for the conference in March.", mimeType: "text/markdown", metadata: { category: "travel", priority: 2, year: 2024 } },
  { content: { name: "Ada", city: "London" }, mimeType: "application/json", metadata: { category: "profile", priority: 2, year: 2025 } },
];

export function memoryContract(kind: string, subject: MemoryUnderTest): void {
  describe(`Memory contract: ${kind}`, () => {
    let memory: Memory;

    before(async () => {
      memory = await subject.create();
      for (const fact of FACTS) await memory.add(fact);
    });
    after(async () => {
      await memory.close();
      await subject.cleanup?.();
    });

    it("returns what was added, content, mimeType and metadata intact", async () => {
      const { results } = await memory.query("Ada London", { k: 10 });
      const profile = results.find((item) => item.mimeType === "application/json");
      assert.ok(profile, "the JSON item is found");
      assert.deepEqual(profile.content, { name: "Ada", city: "London" });
      assert.deepEqual(profile.metadata, { category: "profile", priority: 2, year: 2025 });
      const listed = await memory.list!();
      assert.deepEqual(
        listed.map((item) => item.content),
        FACTS.map((fact) => fact.content),
        "list() gives every item in the order added",
      );
    });

    if (subject.ranks)
      it("ranks the relevant item first, with scores best first, and honours k and scoreThreshold", async () => {
        const { results } = await memory.query("Is the user allergic to any food?", { k: 2 });
        assert.equal(results.length, 2);
        assert.match(String(results[0]!.content), /shellfish/);
        assert.ok(typeof results[0]!.score === "number" && results[0]!.score >= results[1]!.score!);
        const strict = await memory.query("Is the user allergic to any food?", { k: 4, scoreThreshold: results[0]!.score! - 1e-6 });
        assert.equal(strict.results.length, 1);
        assert.equal((await memory.query("anything", { k: 0 })).results.length, 0);
      });
    else
      it("returns items in order, the k most recent when k is given", async () => {
        const { results } = await memory.query("anything", { k: 2 });
        assert.deepEqual(results.map((item) => item.metadata?.category), ["travel", "profile"]);
      });

    it("filters by metadata: equality, $in, $ne, ranges, $and and $or", async () => {
      const categories = async (filter: Record<string, unknown>) =>
        (await memory.query("user", { k: 10, filter })).results.map((item) => item.metadata?.category).sort();
      assert.deepEqual(await categories({ category: "medical" }), ["medical"]);
      assert.deepEqual(await categories({ category: { $in: ["travel", "profile"] } }), ["profile", "travel"]);
      assert.deepEqual(await categories({ category: { $ne: "medical" } }), ["preferences", "profile", "travel"]);
      assert.deepEqual(await categories({ priority: { $gte: 2, $lt: 3 } }), ["profile", "travel"]);
      assert.deepEqual(await categories({ year: { $gt: 2024 } }), ["profile"]);
      assert.deepEqual(await categories({ $and: [{ year: 2024 }, { priority: { $lte: 1 } }] }), ["preferences"]);
      assert.deepEqual(await categories({ $or: [{ category: "medical" }, { year: 2025 }] }), ["medical", "profile"]);
      assert.deepEqual(await categories({ category: "nothing-like-this" }), []);
      await assert.rejects(memory.query("x", { filter: { priority: { $near: 2 } } }), UserError);
    });

    it("adds what is relevant to a model context as a SystemMessage and reports it", async () => {
      const context = new UnboundedChatCompletionContext();
      await context.addMessage({ type: "UserMessage", content: "Is shellfish safe for me to eat at dinner?", source: "user" });
      const update = await memory.updateContext(context);
      const messages = await context.getMessages();
      assert.equal(messages.length, 2);
      assert.equal(messages[1]!.type, "SystemMessage");
      assert.match(messages[1]!.content as string, /shellfish/);
      assert.ok(update.memories.results.some((item) => /shellfish/.test(String(item.content))));
    });

    it("renders a query as an agentbook memory bundle while its JSON stays { results }", async () => {
      const result = await memory.query("<b>units</b>", { k: 1 });
      assert.deepEqual(Object.keys(result), ["results"]);
      assert.deepEqual(JSON.parse(JSON.stringify(result)).results.length, 1);
      const bundle = (result as any)[DISPLAY]();
      assert.equal(bundle[MEMORY_MIME].memory, memory.name);
      assert.equal(bundle[MEMORY_MIME].query, "<b>units</b>");
      assert.equal(bundle[MEMORY_MIME].hits.length, 1);
      assert.match(bundle["text/html"], /&lt;b&gt;units&lt;\/b&gt;/);
      assert.doesNotMatch(bundle["text/html"], /<b>units/);
      assert.match(bundle["text/plain"], /1 hit/);
    });

    it("refuses an item that is not { content, mimeType }", async () => {
      await assert.rejects(memory.add({ content: "no type" } as never), UserError);
    });

    it("deletes by filter, saying how many went", async () => {
      await memory.add({ content: "Temporary note about parking.", mimeType: "text/plain", metadata: { category: "temp" } });
      await memory.add({ content: "Another temporary note.", mimeType: "text/plain", metadata: { category: "temp" } });
      assert.equal(await memory.delete!({ category: "temp" }), 2);
      assert.equal(await memory.delete!({ category: "temp" }), 0);
      assert.equal((await memory.list!()).length, FACTS.length);
    });

    if (subject.reopen)
      it("keeps its items across close and reopen", async () => {
        await memory.close();
        memory = await subject.reopen!();
        const listed = await memory.list!();
        assert.deepEqual(listed.map((item) => item.content), FACTS.map((fact) => fact.content));
        if (subject.ranks) assert.match(String((await memory.query("shellfish allergy", { k: 1 })).results[0]!.content), /shellfish/);
      });

    it("forgets everything on clear", async () => {
      await memory.clear();
      assert.deepEqual((await memory.query("shellfish", { k: 5 })).results, []);
      assert.deepEqual(await memory.list!(), []);
      const context = new UnboundedChatCompletionContext();
      await context.addMessage({ type: "UserMessage", content: "shellfish?", source: "user" });
      assert.deepEqual((await memory.updateContext(context)).memories.results, []);
      assert.equal((await context.getMessages()).length, 1);
    });
  });
}
