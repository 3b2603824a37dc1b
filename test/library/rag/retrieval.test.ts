import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Chunk, RetrievedChunk, Retriever } from "agentbook";
import {
  BM25Retriever,
  CrossEncoderReranker,
  DocumentIndexer,
  EmbeddedVectorMemory,
  HybridRetriever,
  ModelBehaviorError,
  ModelReranker,
  MultiHopRetriever,
  parseQueryList,
  QueryExpansionRetriever,
  reciprocalRankFusion,
  ReplayChatCompletionClient,
  RerankingRetriever,
  VectorRetriever,
} from "agentbook";
import { writeTinyCrossEncoder } from "../../fixtures/tiny-transformer-model.ts";

interface Corpus {
  documents: Array<{ source: string; text: string }>;
  queries: Array<{ query: string; relevant: string }>;
}
const corpus = JSON.parse(readFileSync(new URL("../../fixtures/rag-corpus.json", import.meta.url), "utf8")) as Corpus;

async function recallAt(retriever: Retriever, k: number): Promise<number> {
  let hits = 0;
  for (const { query, relevant } of corpus.queries)
    if ((await retriever.retrieve(query, { k })).some((chunk) => chunk.metadata.source === relevant)) hits++;
  return hits / corpus.queries.length;
}

const chunk = (source: string, text: string, chunkIndex = 0): Chunk => ({ text, metadata: { source, chunkIndex } });
const found = (source: string): RetrievedChunk => ({ text: source, score: 0, metadata: { source, chunkIndex: 0 } });

describe("retrieval on a labelled corpus", () => {
  let memory: EmbeddedVectorMemory;
  before(async () => {
    memory = new EmbeddedVectorMemory();
    await new DocumentIndexer({ memory, progressBar: false }).index(corpus.documents.map((d) => ({ ...d, metadata: {} })));
  });

  it("hybrid recall@5 is at least as good as vector-only and keyword-only", async () => {
    const vector = new VectorRetriever({ memory });
    const keyword = new BM25Retriever({ memory });
    const hybrid = HybridRetriever.vectorAndKeyword({ memory, vectorWeight: 0.7, keywordWeight: 0.3 });
    const [v, kw, h] = [await recallAt(vector, 5), await recallAt(keyword, 5), await recallAt(hybrid, 5)];
    console.log(`recall@5 on ${corpus.queries.length} questions: vector ${v.toFixed(3)}, keyword ${kw.toFixed(3)}, hybrid ${h.toFixed(3)}`);
    assert.ok(h >= v && h >= kw, `hybrid ${h} vs vector ${v} and keyword ${kw}`);
    assert.ok(h >= 0.8);
  });

  it("each retriever finds what it is good at: meaning for vectors, exact codes for BM25", async () => {
    const vector = new VectorRetriever({ memory });
    const keyword = new BM25Retriever({ memory });
    // No shared words, same meaning: only the vectors find these.
    for (const [query, source] of [["can blind users work with the product", "kb/accessibility.md"], ["cheaper price for charities", "kb/pricing.md"]]) {
      assert.equal((await vector.retrieve(query!, { k: 1 }))[0]!.metadata.source, source);
      assert.ok(!(await keyword.retrieve(query!, { k: 5 })).some((c) => c.metadata.source === source));
    }
    assert.equal((await keyword.retrieve("E1042", { k: 1 }))[0]!.metadata.source, "kb/error-e1042.md");
    assert.deepEqual(await keyword.retrieve("E1042", { k: 3, filter: { source: "kb/refunds.md" } }), []);
  });
});

describe("BM25Retriever", () => {
  it("ranks rare words that a chunk repeats highest, with stemming and stopwords", async () => {
    const bm25 = new BM25Retriever({
      chunks: [chunk("a", "the indexer indexes documents"), chunk("b", "the the the cat"), chunk("c", "indexing indexed index of the cat")],
    });
    const results = await bm25.retrieve("Indexing the cats", { k: 3 });
    // "c" has both terms ("indexing" and "index" stem alike, "cats" and "cat"); short "b" beats long "a".
    assert.deepEqual(results.map((r) => r.metadata.source), ["c", "b", "a"]);
    assert.ok(results[0]!.score > results[1]!.score);
    assert.deepEqual(await bm25.retrieve("the of", { k: 3 }), [], "stopwords alone match nothing");
  });
});

describe("reciprocalRankFusion", () => {
  it("sums weight / (60 + rank) over lists", () => {
    const fused = reciprocalRankFusion([[found("x"), found("y")], [found("y"), found("z")]], [1, 2]);
    assert.deepEqual(fused.map((c) => c.metadata.source), ["y", "z", "x"]);
    assert.ok(Math.abs(fused[0]!.score - (1 / 62 + 2 / 61)) < 1e-12);
  });
});

describe("model-assisted retrieval (with the replay model)", () => {
  const bm25 = new BM25Retriever({
    chunks: [
      chunk("refunds.md", "Refunds reach the original payment method within ten business days."),
      chunk("shipping.md", "Parcels ship from Rotterdam and arrive in three days."),
      chunk("founder.md", "Acme was founded by Ada Byron in 1999."),
      chunk("product.md", "The Widget 3000 is made by Acme."),
    ],
  });

  it("query expansion searches the model's rephrasings too", async () => {
    const model = new ReplayChatCompletionClient(["1. refund payment method\n2. \"money returned\"\n- refund payment method"]);
    const expanding = new QueryExpansionRetriever({ retriever: bm25, modelClient: model, count: 3 });
    assert.equal((await bm25.retrieve("when do I get my money back", { k: 1 })).length, 0);
    const results = await expanding.retrieve("when do I get my money back", { k: 2 });
    assert.equal(results[0]!.metadata.source, "refunds.md");
    assert.deepEqual(parseQueryList("Here are queries:\n1) a\n• b\n"), ["a", "b"]);
  });

  it("a model reranker reorders by its scores and refuses an answer it cannot read", async () => {
    const candidates = await bm25.retrieve("Acme", { k: 2 });
    const reranker = new ModelReranker({ modelClient: new ReplayChatCompletionClient(['```json\n{"scores": [2, 9]}\n```', "not json", '{"scores": [1]}']) });
    const reranked = await reranker.rerank("Who founded Acme?", candidates);
    assert.deepEqual(reranked.map((c) => [c.metadata.source, c.score]), [[candidates[1]!.metadata.source, 9], [candidates[0]!.metadata.source, 2]]);
    await assert.rejects(reranker.rerank("q", candidates), ModelBehaviorError);
    await assert.rejects(reranker.rerank("q", candidates), /expected \{"scores": \[\.\.\.\]\} with 2 numbers/);
  });

  it("multi-hop retrieval asks what is missing and retrieves again, up to maxHops", async () => {
    const model = new ReplayChatCompletionClient(["Search query: who founded Acme", "DONE"]);
    const multiHop = new MultiHopRetriever({ retriever: bm25, modelClient: model, maxHops: 3, k: 1 });
    const result = await multiHop.search("Who founded the company that makes the Widget 3000?");
    assert.deepEqual(result.hops.map((hop) => [hop.query, hop.found.map((c) => c.metadata.source)]), [
      ["Who founded the company that makes the Widget 3000?", ["product.md"]],
      ["who founded Acme", ["founder.md"]],
    ]);
    assert.equal(result.stopReason, "enough");
    assert.match(model.remaining === 0 ? "used" : "left", /used/);

    const capped = new MultiHopRetriever({ retriever: bm25, modelClient: new ReplayChatCompletionClient(["shipping Rotterdam"]), maxHops: 2, k: 1 });
    const cappedResult = await capped.search("Widget 3000");
    assert.equal(cappedResult.hops.length, 2);
    assert.equal(cappedResult.stopReason, "max hops");
  });
});

describe("CrossEncoderReranker (transformers.js, a tiny model written by the test)", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "agentbook-ce-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("loads from a folder, scores (query, passage) pairs, and reranks by them", async () => {
    const folder = writeTinyCrossEncoder(join(dir, "tiny-cross-encoder"), { refund: 4, money: 2, parcel: -1, ship: -1, when: 0, back: 0 });
    const reranker = await CrossEncoderReranker.load({ model: folder });
    try {
      const scores = await reranker.score("refund", ["refund money", "parcel ship"]);
      // [CLS] refund [SEP] refund money [SEP]: (4 + 4 + 2) / 6 tokens; [CLS] refund [SEP] parcel ship [SEP]: (4 - 1 - 1) / 6.
      assert.ok(Math.abs(scores[0]! - 10 / 6) < 1e-5 && Math.abs(scores[1]! - 2 / 6) < 1e-5, `scores ${scores}`);
      const retriever = new RerankingRetriever({
        retriever: { name: "fixed", retrieve: async () => [found("parcel ship"), found("refund money")].map((c) => ({ ...c, text: c.metadata.source as string })) },
        reranker,
        k: 1,
      });
      assert.equal((await retriever.retrieve("when do I get my refund back"))[0]!.text, "refund money");
      assert.equal(reranker.name, "cross-encoder/tiny-cross-encoder");
    } finally {
      await reranker.close();
    }
  });
});
