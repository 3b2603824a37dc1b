/**
 * Embedders: load time, speed, and quality. The offline default (GloVe word vectors) is
 * measured for cold load (new instance, file read included), sentences per second, and
 * recall@1 on labelled paraphrase pairs against a word-overlap baseline; the OpenAI embedder
 * for throughput against the local OpenAI-compatible test server (HTTP and JSON cost only);
 * transformers.js for load and speed on the tiny test model (the loading path, not a real
 * model's speed).
 *
 *   node --import tsx bench/memory-embedders.bench.ts
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OpenAIEmbedder, TransformersEmbedder, WordVectorEmbedder } from "../library/index.ts";
import { paraphraseRecallAt1, wordOverlapRecallAt1 } from "../test/fixtures/paraphrase-recall.ts";
import { startOpenAIServer } from "../test/fixtures/openai-server.ts";
import { writeTinyEmbeddingModel } from "../test/fixtures/tiny-transformer-model.ts";
import { percentile } from "./stats.ts";

const pairs = (JSON.parse(readFileSync(new URL("../test/fixtures/paraphrase-pairs.json", import.meta.url), "utf8")) as { pairs: [string, string][] }).pairs;
const sentences = pairs.flat();

async function throughput(embed: (texts: string[]) => Promise<unknown>, rounds: number): Promise<number> {
  await embed(sentences);
  const started = performance.now();
  for (let i = 0; i < rounds; i++) await embed(sentences);
  return (rounds * sentences.length) / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const loads: number[] = [];
  let embedder!: WordVectorEmbedder;
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    embedder = new WordVectorEmbedder();
    loads.push(performance.now() - started);
  }
  const wordSpeed = await throughput((texts) => embedder.embed(texts), 50);
  const recall = await paraphraseRecallAt1(embedder, pairs);
  const overlap = wordOverlapRecallAt1(pairs);

  const server = await startOpenAIServer({ embeddingDimension: 384 });
  let openaiSpeed: number;
  try {
    const openai = new OpenAIEmbedder({ model: "bench", apiKey: "sk-bench", baseURL: server.url, dimensions: 384 });
    openaiSpeed = await throughput((texts) => openai.embed(texts), 20);
  } finally {
    await server.close();
  }

  const dir = mkdtempSync(join(tmpdir(), "agentbook-bench-"));
  let tfLoad: number;
  let tfSpeed: number;
  try {
    const vocabulary = Object.fromEntries([...new Set(sentences.join(" ").toLowerCase().match(/[a-z]+/g))].map((word, i) => [word, [Math.sin(i), Math.cos(i), Math.sin(2 * i), 1]]));
    const folder = writeTinyEmbeddingModel(join(dir, "tiny"), vocabulary);
    const started = performance.now();
    const tf = await TransformersEmbedder.load({ model: folder });
    tfLoad = performance.now() - started;
    tfSpeed = await throughput((texts) => tf.embed(texts), 5);
    await tf.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  console.log(`\nEmbedders (${sentences.length} sentences per round)`);
  console.log(`  default (GloVe 40k × 64, int8)   load p50 ${percentile(loads, 50).toFixed(1)} ms, max ${Math.max(...loads).toFixed(1)} ms; ${Math.round(wordSpeed)} sentences/s`);
  console.log(`  paraphrase recall@1 (${pairs.length} pairs)   default ${recall.toFixed(3)}  vs word overlap ${overlap.toFixed(3)}`);
  console.log(`  OpenAIEmbedder, local server     ${Math.round(openaiSpeed)} sentences/s (HTTP + JSON only)`);
  console.log(`  TransformersEmbedder, tiny model load ${tfLoad.toFixed(0)} ms (includes importing onnxruntime); ${Math.round(tfSpeed)} sentences/s`);
}

await main();
