import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalized, PackedVectorIndex } from "agentbook";

function random(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 0xffffffff - 0.5;
  };
}

describe("PackedVectorIndex", () => {
  for (const dimension of [7, 384])
    it(`finds exactly the top k by cosine (dimension ${dimension}), with filters and a minimum score`, () => {
      const next = random(dimension);
      const index = new PackedVectorIndex(dimension, 2);
      const rows = Array.from({ length: 500 }, () => normalized(Array.from({ length: dimension }, next)));
      rows.forEach((row) => index.push(row));
      const query = normalized(Array.from({ length: dimension }, next));
      const brute = rows
        .map((row, i) => ({ row: i, score: row.reduce((sum, value, j) => sum + value * query[j]!, 0) }))
        .sort((a, b) => b.score - a.score);
      const top = index.search(query, 10);
      assert.deepEqual(top.map((hit) => hit.row), brute.slice(0, 10).map((hit) => hit.row));
      top.forEach((hit, i) => assert.ok(Math.abs(hit.score - brute[i]!.score) < 1e-5));
      const even = index.search(query, 5, { accept: (row) => row % 2 === 0 });
      assert.deepEqual(even.map((hit) => hit.row), brute.filter((hit) => hit.row % 2 === 0).slice(0, 5).map((hit) => hit.row));
      const threshold = brute[3]!.score;
      assert.equal(index.search(query, 10, { minScore: threshold }).length, 4);
    });

  it("removes a row by moving the last one into its place", () => {
    const index = new PackedVectorIndex(2);
    index.push(new Float32Array([1, 0]));
    index.push(new Float32Array([0, 1]));
    index.push(new Float32Array([-1, 0]));
    assert.equal(index.swapRemove(0), 2);
    assert.deepEqual([...index.row(0)], [-1, 0]);
    assert.equal(index.size, 2);
    assert.equal(index.swapRemove(1), -1);
    assert.throws(() => index.push(new Float32Array(3)), /dimension 2/);
  });
});
