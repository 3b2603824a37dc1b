import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import type { Document, IndexProgress, MemoryContent } from "agentbook";
import { contentHash, DocumentIndexer, EmbeddedVectorMemory, ListMemory, MarkdownChunker, RecursiveChunker, UserError } from "agentbook";

const docs = (): Document[] => [
  { source: "a.md", text: "# Alpha\n\nFirst part.\n\n## More\n\nSecond part.", metadata: { team: "x" } },
  { source: "b.txt", text: "Bravo is short.", metadata: {} },
];

describe("DocumentIndexer", () => {
  it("stores chunks with source, chunkIndex, chunkCount and content hash, and reports progress", async () => {
    const memory = new EmbeddedVectorMemory();
    const progress: IndexProgress[] = [];
    const indexer = new DocumentIndexer({ memory, chunker: new MarkdownChunker(), onProgress: (p) => progress.push(p), progressBar: false });
    const report = await indexer.index(docs());
    assert.deepEqual({ ...report, durationMs: 0 }, { added: 2, updated: 0, unchanged: 0, removed: 0, chunks: 3, durationMs: 0 });
    const items = await memory.list();
    assert.deepEqual(
      items.map((item) => [item.metadata!.source, item.metadata!.chunkIndex, item.metadata!.chunkCount]),
      [["a.md", 0, 2], ["a.md", 1, 2], ["b.txt", 0, 1]],
    );
    assert.equal(items[0]!.metadata!.contentHash, contentHash(docs()[0]!.text));
    assert.equal(items[1]!.metadata!.section, "Alpha > More");
    assert.equal(items[0]!.metadata!.team, "x");
    assert.deepEqual(progress.map((p) => [p.done, p.total, p.source, p.status, p.chunks]), [
      [1, 2, "a.md", "added", 2],
      [2, 2, "b.txt", "added", 1],
    ]);
  });

  it("skips unchanged documents, replaces changed ones, and removes missing ones on request", async () => {
    const memory = new ListMemory();
    const indexer = new DocumentIndexer({ memory, progressBar: false });
    await indexer.index(docs());
    const again = await indexer.index(docs());
    assert.equal(again.unchanged, 2);
    assert.equal(again.chunks, 0);
    assert.equal(memory.contents.length, 2);

    const changed = docs();
    changed[1] = { ...changed[1]!, text: "Bravo changed its text." };
    const third = await indexer.index(changed);
    assert.deepEqual([third.unchanged, third.updated, third.chunks], [1, 1, 1]);
    assert.deepEqual(memory.contents.map((item) => item.content).sort(), ["# Alpha\n\nFirst part.\n\n## More\n\nSecond part.", "Bravo changed its text."]);

    const fourth = await indexer.index([changed[0]!], { removeMissing: true });
    assert.equal(fourth.removed, 1);
    assert.deepEqual(memory.contents.map((item) => item.metadata!.source), ["a.md"]);
  });

  it("indexes again a document that an earlier run left half written", async () => {
    let failAfter = 1;
    class FlakyMemory extends ListMemory {
      async add(item: MemoryContent): Promise<void> {
        if (failAfter-- <= 0) throw new Error("disk full");
        await super.add(item);
      }
    }
    const flaky = new FlakyMemory();
    const memory = flaky;
    const text = Array.from({ length: 6 }, (_, i) => `Paragraph ${i} of a long document about indexing.`).join("\n\n");
    const chunker = new RecursiveChunker({ chunkSize: 60, chunkOverlap: 0 });
    await assert.rejects(new DocumentIndexer({ memory: flaky, chunker, progressBar: false }).index([{ source: "long.md", text, metadata: {} }]), /disk full/);
    assert.equal(memory.contents.length, 1, "one chunk made it before the failure");
    failAfter = Infinity;
    const report = await new DocumentIndexer({ memory, chunker, progressBar: false }).index([{ source: "long.md", text, metadata: {} }]);
    assert.equal(report.updated, 1, "the incomplete document is indexed again, not skipped");
    assert.equal(memory.contents.length, 6);
  });

  it("draws a progress bar on the stream it is given", async () => {
    let output = "";
    const stream = new Writable({ write: (chunk, _encoding, done) => ((output += chunk.toString()), done()) });
    await new DocumentIndexer({ memory: new ListMemory(), progressBar: true, progressStream: stream }).index(docs());
    assert.match(output, /indexing \[.*\] 2\/2 documents \| 2 chunks/);
  });

  it("refuses documents without a source, duplicate sources, and memories it cannot manage", async () => {
    const indexer = new DocumentIndexer({ memory: new ListMemory(), progressBar: false });
    await assert.rejects(indexer.index([{ text: "x" } as never]), /needs \{ source, text, metadata \}/);
    await assert.rejects(indexer.index([docs()[0]!, docs()[0]!]), /share the source "a\.md"/);
    const bare = { name: "bare", add: async () => {}, query: async () => ({ results: [] }), updateContext: async () => ({ memories: { results: [] } }), clear: async () => {}, close: async () => {} };
    assert.throws(() => new DocumentIndexer({ memory: bare }), UserError);
  });
});
