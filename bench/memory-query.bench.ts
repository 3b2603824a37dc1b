/**
 * Vector query latency at 10k and 100k vectors of 384 dimensions: the embedded exact-cosine
 * store against Chroma's HNSW index (a real local server), in the same run, same vectors,
 * same queries (k = 10). Also times loading each set in.
 *
 *   node --import tsx bench/memory-query.bench.ts [sizes...]   (default: 10000 100000)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Embedder, MemoryContent } from "../library/index.ts";
import { ChromaDBVectorMemory, EmbeddedVectorMemory } from "../library/index.ts";
import { measureInterleaved, percentile } from "./stats.ts";

const DIMENSION = 384;
const QUERIES = 200;

/** Deterministic pseudo-random unit vectors, addressed by the text "v<n>" (items) or "q<n>" (queries). */
function randomEmbedder(): Embedder {
  const vectorFor = (text: string): Float32Array => {
    let seed = 2166136261;
    for (let i = 0; i < text.length; i++) seed = Math.imul(seed ^ text.charCodeAt(i), 16777619);
    const out = new Float32Array(DIMENSION);
    let norm = 0;
    for (let i = 0; i < DIMENSION; i++) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      out[i] = ((seed >>> 0) / 0xffffffff) * 2 - 1;
      norm += out[i]! * out[i]!;
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < DIMENSION; i++) out[i]! /= norm;
    return out;
  };
  return { name: "bench/random-384", dimension: DIMENSION, embed: async (texts) => texts.map(vectorFor) };
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const embedder = randomEmbedder();
  const dir = mkdtempSync(join(tmpdir(), "agentbook-bench-"));
  const rows: string[] = [];
  try {
    for (const size of sizes.length ? sizes : [10_000, 100_000]) {
      const items: MemoryContent[] = Array.from({ length: size }, (_, n) => ({ content: `v${n}`, mimeType: "text/plain", metadata: { n } }));
      const embedded = new EmbeddedVectorMemory({ embedder, k: 10 });
      let started = performance.now();
      await embedded.addMany(items);
      const embeddedLoad = performance.now() - started;

      const chroma = new ChromaDBVectorMemory({ collectionName: `bench-${size}`, persistencePath: join(dir, `chroma-${size}`), embedder, k: 10 });
      started = performance.now();
      await chroma.addMany(items);
      const chromaLoad = performance.now() - started;

      let q = 0;
      const results = await measureInterleaved(
        [
          { name: "embedded", run: () => embedded.query(`q${q++ % QUERIES}`) },
          { name: "chroma", run: () => chroma.query(`q${q++ % QUERIES}`) },
        ],
        { warmup: 5, iterations: QUERIES },
      );
      // How often the approximate index returns the exact top 10.
      let overlap = 0;
      for (let i = 0; i < 20; i++) {
        const exact = new Set((await embedded.query(`q${i}`)).results.map((r) => r.metadata!.n));
        overlap += (await chroma.query(`q${i}`)).results.filter((r) => exact.has(r.metadata!.n)).length / 10;
      }
      for (const { name, times } of results)
        rows.push(
          `${String(size).padStart(7)}  ${name.padEnd(9)} p50 ${percentile(times, 50).toFixed(2).padStart(7)} ms  p95 ${percentile(times, 95).toFixed(2).padStart(7)} ms  ` +
            `load ${((name === "embedded" ? embeddedLoad : chromaLoad) / 1000).toFixed(1).padStart(6)} s` +
            (name === "chroma" ? `  recall@10 vs exact ${(overlap / 20).toFixed(3)}` : ""),
        );
      console.log(rows.slice(-2).join("\n"));
      await embedded.close();
      await chroma.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nVector query, ${DIMENSION} dimensions, k = 10, ${QUERIES} queries each (embedded: exact cosine in process; chroma: HNSW over local HTTP)`);
  for (const row of rows) console.log(row);
}

await main();
