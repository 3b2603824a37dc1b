/**
 * Indexing throughput: documents through the DocumentIndexer (recursive chunks of 800
 * characters) into the embedded vector store on disk and into SQLite, with the offline
 * default embedder; then the same documents again, which are all skipped by content hash.
 *
 *   node --import tsx bench/memory-indexing.bench.ts [documents]   (default 500)
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Document, Memory } from "../library/index.ts";
import { DocumentIndexer, EmbeddedVectorMemory, RecursiveChunker, SQLiteMemory } from "../library/index.ts";

const corpus = JSON.parse(readFileSync(new URL("../test/fixtures/rag-corpus.json", import.meta.url), "utf8")) as { documents: Array<{ text: string }> };

/** `count` documents of about 3 kB each, made of the corpus's sentences in varying order. */
function documents(count: number): Document[] {
  const sentences = corpus.documents.flatMap((d) => d.text.split(/(?<=\.)\s+/));
  return Array.from({ length: count }, (_, n) => {
    const paragraphs: string[] = [];
    for (let p = 0; p < 6; p++) paragraphs.push(Array.from({ length: 4 }, (_, s) => sentences[(n * 7 + p * 13 + s * 5) % sentences.length]).join(" "));
    return { source: `doc-${n}.md`, text: `# Document ${n}\n\n${paragraphs.join("\n\n")}`, metadata: {} };
  });
}

async function run(name: string, memory: Memory, docs: Document[]): Promise<string> {
  const indexer = new DocumentIndexer({ memory, chunker: new RecursiveChunker({ chunkSize: 800, chunkOverlap: 100 }), progressBar: false });
  const first = await indexer.index(docs);
  const again = await indexer.index(docs);
  await memory.close();
  const bytes = docs.reduce((sum, d) => sum + d.text.length, 0);
  return (
    `  ${name.padEnd(26)} ${Math.round(docs.length / (first.durationMs / 1000))} docs/s, ${Math.round(first.chunks / (first.durationMs / 1000))} chunks/s, ` +
    `${(bytes / 1e6 / (first.durationMs / 1000)).toFixed(2)} MB/s; re-index of unchanged ${again.durationMs.toFixed(0)} ms (${again.unchanged} skipped)`
  );
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 500);
  const docs = documents(count);
  const dir = mkdtempSync(join(tmpdir(), "agentbook-bench-"));
  try {
    const lines = [
      await run("embedded vector, on disk", new EmbeddedVectorMemory({ path: join(dir, "vectors") }), docs),
      await run("SQLite (FTS5), on disk", new SQLiteMemory({ path: join(dir, "memory.db") }), docs),
    ];
    console.log(`\nIndexing ${count} documents of ~${Math.round(docs[0]!.text.length / 100) / 10} kB with the default embedder`);
    for (const line of lines) console.log(line);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
