import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cosine, TransformersEmbedder, UserError } from "agentbook";
import { writeTinyEmbeddingModel } from "../../../fixtures/tiny-transformer-model.ts";

describe("TransformersEmbedder", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "agentbook-tf-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("loads a sentence-transformer from a local folder and mean-pools its token vectors", async () => {
    const folder = writeTinyEmbeddingModel(join(dir, "tiny-minilm"), {
      car: [1, 0, 0, 0],
      automobile: [0.9, 0.1, 0, 0],
      banana: [0, 0, 1, 0],
      fruit: [0, 0, 0.8, 0.3],
    });
    const embedder = await TransformersEmbedder.load({ model: folder });
    try {
      assert.equal(embedder.dimension, 4);
      assert.equal(embedder.name, "transformers/tiny-minilm");
      const [car, automobile, banana, mixed] = await embedder.embed(["Car", "automobile", "banana", "car banana"]);
      assert.ok(Math.abs(cosine(car!, car!) - 1) < 1e-5);
      assert.ok(cosine(car!, automobile!) > 0.95);
      assert.ok(Math.abs(cosine(car!, banana!)) < 1e-6);
      // [CLS] and [SEP] are zero vectors here, so "car banana" is the normalised sum of both words.
      assert.ok(Math.abs(mixed![0]! - Math.SQRT1_2) < 1e-5 && Math.abs(mixed![2]! - Math.SQRT1_2) < 1e-5);
    } finally {
      await embedder.close();
    }
  });

  it("says what the folder lacks when it is not a model", async () => {
    const broken = join(dir, "broken");
    writeTinyEmbeddingModel(broken, { a: [1, 0] });
    writeFileSync(join(broken, "onnx", "model.onnx"), "not onnx");
    await assert.rejects(TransformersEmbedder.load({ model: broken }), (error: Error) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /could not load the model in .*broken.*onnx\/model\.onnx/s);
      return true;
    });
  });

  it("does not download a hub id when allowRemote is false", async () => {
    await assert.rejects(TransformersEmbedder.load({ model: "Xenova/all-MiniLM-L6-v2", allowRemote: false }), /allowRemote is false/);
  });
});
