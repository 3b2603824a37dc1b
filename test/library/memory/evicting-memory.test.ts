import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Memory, MemoryContent } from "agentbook";
import { EmbeddedVectorMemory, EvictingMemory, ListMemory, SQLiteMemory, UserError } from "agentbook";

const note = (text: string): MemoryContent => ({ content: text, mimeType: "text/plain", metadata: { text } });
const texts = async (memory: Memory) => (await memory.list!()).map((item) => item.content);

const inners: Array<[string, () => Memory]> = [
  ["ListMemory", () => new ListMemory()],
  ["EmbeddedVectorMemory", () => new EmbeddedVectorMemory({ k: 10 })],
  ["SQLiteMemory", () => new SQLiteMemory({ k: 10 })],
];

for (const [kind, make] of inners)
  describe(`EvictingMemory around ${kind}`, () => {
    it("FIFO: evicts the oldest once maxItems is passed", async () => {
      const evicted: unknown[] = [];
      const memory = new EvictingMemory(make(), { maxItems: 3, policy: "fifo", onEvict: (items) => evicted.push(...items.map((i) => i.content)) });
      for (const text of ["apple pie", "banana bread", "cherry tart", "date cake", "elderflower jam"]) await memory.add(note(text));
      assert.deepEqual(await texts(memory), ["cherry tart", "date cake", "elderflower jam"]);
      assert.deepEqual(evicted, ["apple pie", "banana bread"]);
      await memory.close();
    });

    it("LRU: a recently returned item outlives older unused ones", async () => {
      const memory = new EvictingMemory(make(), { maxItems: 3, policy: "lru" });
      for (const text of ["apple pie", "banana bread", "cherry tart"]) await memory.add(note(text));
      // Using "apple pie" makes "banana bread" the least recently used.
      const { results } = await memory.query("apple pie", { k: 1, filter: { text: "apple pie" } });
      assert.equal(results[0]!.content, "apple pie");
      assert.deepEqual(results[0]!.metadata, { text: "apple pie" }, "the wrapper's own metadata is not shown");
      await memory.add(note("date cake"));
      assert.deepEqual(await texts(memory), ["apple pie", "cherry tart", "date cake"]);
      await memory.add(note("elderflower jam"));
      assert.deepEqual(await texts(memory), ["apple pie", "date cake", "elderflower jam"]);
      await memory.close();
    });

    it("TTL: expired items are not returned and are deleted", async () => {
      let now = 1_000_000;
      const expired: unknown[] = [];
      const inner = make();
      const memory = new EvictingMemory(inner, { ttlMs: 1000, now: () => now, onEvict: (items, reason) => reason === "expired" && expired.push(...items.map((i) => i.content)) });
      await memory.add(note("old news"));
      now += 600;
      await memory.add(note("fresh news"));
      now += 600;
      const { results } = await memory.query("news", { k: 10 });
      assert.deepEqual(results.map((item) => item.content), ["fresh news"]);
      assert.deepEqual(expired, ["old news"]);
      assert.equal((await inner.list!()).length, 1, "the expired item is gone from the memory underneath");
      await memory.close();
    });
  });

describe("EvictingMemory", () => {
  it("keeps expiry across a restart of a persistent memory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "agentbook-evict-"));
    try {
      let now = 5_000;
      const first = new EvictingMemory(new EmbeddedVectorMemory({ path: dir }), { ttlMs: 100, now: () => now });
      await first.add(note("short-lived"));
      await first.close();
      now += 1_000;
      const second = new EvictingMemory(new EmbeddedVectorMemory({ path: dir }), { ttlMs: 100, now: () => now });
      assert.deepEqual((await second.query("short-lived")).results, []);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses options that would never evict, and memories it cannot manage", () => {
    assert.throws(() => new EvictingMemory(new ListMemory(), {}), /maxItems, ttlMs or both/);
    assert.throws(() => new EvictingMemory(new ListMemory(), { maxItems: 0 }), UserError);
    const bare: Memory = { name: "bare", add: async () => {}, query: async () => ({ results: [] }), updateContext: async () => ({ memories: { results: [] } }), clear: async () => {}, close: async () => {} };
    assert.throws(() => new EvictingMemory(bare, { maxItems: 2 }), /needs a memory with list\(\) and delete\(\)/);
  });
});
