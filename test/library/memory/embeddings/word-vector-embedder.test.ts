import assert from "node:assert/strict";
import { readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cosine, DEFAULT_WORD_VECTORS_URL, defaultEmbedder, UserError, WordVectorEmbedder, wordTokens } from "agentbook";
import { paraphraseRecallAt1, wordOverlapRecallAt1 } from "../../../fixtures/paraphrase-recall.ts";

const pairs = (JSON.parse(readFileSync(new URL("../../../fixtures/paraphrase-pairs.json", import.meta.url), "utf8")) as { pairs: [string, string][] }).pairs;

describe("WordVectorEmbedder (the offline default)", () => {
  it("ships as a file of a few MB and loads in well under 300 ms", () => {
    assert.ok(statSync(DEFAULT_WORD_VECTORS_URL).size < 4_000_000);
    // The best of three loads: the machine may be busy with other work during any one of them.
    const times: number[] = [];
    let embedder!: WordVectorEmbedder;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      embedder = new WordVectorEmbedder();
      times.push(performance.now() - started);
    }
    assert.ok(Math.min(...times) < 300, `loading took ${times.map((t) => t.toFixed(0)).join(", ")} ms`);
    assert.equal(embedder.dimension, 64);
    assert.equal(embedder.vocabularySize, 40_000);
    assert.equal(embedder.name, "agentbook/glove-40k-64d");
  });

  it("finds paraphrases with little word overlap far better than word overlap does", async () => {
    const embedder = defaultEmbedder();
    const recall = await paraphraseRecallAt1(embedder, pairs);
    const baseline = wordOverlapRecallAt1(pairs);
    assert.ok(pairs.length >= 50);
    assert.ok(recall >= 0.8, `recall@1 ${recall}`);
    assert.ok(baseline < 0.3, `word-overlap recall@1 ${baseline}`);
    assert.ok(recall - baseline >= 0.5, `recall@1 ${recall} vs word overlap ${baseline}`);
  });

  it("ranks related sentences above unrelated ones, and is deterministic", async () => {
    const embedder = defaultEmbedder();
    const [query, related, unrelated] = await embedder.embed(["I am allergic to shellfish", "Eating shrimp makes me ill", "The train left the station"]);
    assert.ok(cosine(query!, related!) > cosine(query!, unrelated!) + 0.2);
    const [again] = await new WordVectorEmbedder().embed(["I am allergic to shellfish"]);
    assert.deepEqual(again, query);
    assert.ok(Math.abs(cosine(query!, query!) - 1) < 1e-5);
  });

  it("matches an unknown word (a product code, a name) with itself, and handles inflections", async () => {
    const embedder = defaultEmbedder();
    const [a, b, c] = await embedder.embed(["order XK-42Q shipped", "where is XK-42Q", "where is my parcel"]);
    assert.ok(cosine(a!, b!) > cosine(a!, c!));
    assert.ok(embedder.knows("kittens") && embedder.knows("Studies"));
    assert.deepEqual(wordTokens("Café, naïve: it's 42!"), ["cafe", "naive", "it", "s", "42"]);
  });

  it("gives an all-zero vector for text without words", async () => {
    const [empty] = await defaultEmbedder().embed([" ... "]);
    assert.equal(empty!.length, 64);
    assert.ok(empty!.every((value) => value === 0));
  });

  it("refuses a file that is not a word vector file, naming it", () => {
    const dir = mkdtempSync(join(tmpdir(), "agentbook-wv-"));
    try {
      const bad = join(dir, "bad.bin");
      writeFileSync(bad, "not vectors at all");
      assert.throws(() => new WordVectorEmbedder({ path: bad }), /bad\.bin is not an agentbook word vector file/);
      assert.throws(() => new WordVectorEmbedder({ path: join(dir, "missing.bin") }), UserError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
