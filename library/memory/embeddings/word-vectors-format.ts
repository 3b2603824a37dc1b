/**
 * The file format of the shipped word vectors (`data/glove-40k-64d.bin`), little-endian:
 *
 * | bytes | what |
 * |---|---|
 * | 4 | magic "ABWV" |
 * | 4 | format version (1) |
 * | 4 | word count N |
 * | 4 | dimension D |
 * | 4·N | float32 scale of each word's vector |
 * | N·D | int8 components; component = int8 / 127 · scale |
 * | rest | the words, UTF-8, separated by "\n", most frequent first |
 *
 * Word order is corpus frequency order: the embedder derives word weights from the rank.
 */
export const WORD_VECTORS_MAGIC = "ABWV";
export const WORD_VECTORS_VERSION = 1;
export const WORD_VECTORS_HEADER_BYTES = 16;

/** Word vectors decoded from the file. */
export interface WordVectorTable {
  /** Words, most frequent first. */
  words: string[];
  dimension: number;
  /** Per-word scale. */
  scales: Float32Array;
  /** Quantised components, `dimension` per word. */
  components: Int8Array;
}

/** Encode a table (quantising each vector to int8 with its own scale). */
export function encodeWordVectors(words: readonly string[], vectors: readonly ArrayLike<number>[]): Uint8Array {
  const count = words.length;
  const dimension = vectors[0]?.length ?? 0;
  const wordBytes = new TextEncoder().encode(words.join("\n"));
  const out = new Uint8Array(WORD_VECTORS_HEADER_BYTES + 4 * count + count * dimension + wordBytes.length);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(WORD_VECTORS_MAGIC), 0);
  view.setUint32(4, WORD_VECTORS_VERSION, true);
  view.setUint32(8, count, true);
  view.setUint32(12, dimension, true);
  const componentsStart = WORD_VECTORS_HEADER_BYTES + 4 * count;
  vectors.forEach((vector, w) => {
    let max = 0;
    for (let i = 0; i < dimension; i++) max = Math.max(max, Math.abs(vector[i]!));
    view.setFloat32(WORD_VECTORS_HEADER_BYTES + 4 * w, max, true);
    for (let i = 0; i < dimension; i++) view.setInt8(componentsStart + w * dimension + i, max === 0 ? 0 : Math.round((vector[i]! / max) * 127));
  });
  out.set(wordBytes, componentsStart + count * dimension);
  return out;
}

/** Decode a file written by `encodeWordVectors`; throws naming the problem when it is not one. */
export function decodeWordVectors(bytes: Uint8Array, origin = "word vector file"): WordVectorTable {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < WORD_VECTORS_HEADER_BYTES || new TextDecoder().decode(bytes.subarray(0, 4)) !== WORD_VECTORS_MAGIC)
    throw new Error(`${origin} is not an agentbook word vector file (no "${WORD_VECTORS_MAGIC}" header); rebuild it with distill-word-vectors.ts.`);
  const version = view.getUint32(4, true);
  if (version !== WORD_VECTORS_VERSION) throw new Error(`${origin} has format version ${version}; this agentbook reads version ${WORD_VECTORS_VERSION}.`);
  const count = view.getUint32(8, true);
  const dimension = view.getUint32(12, true);
  const componentsStart = WORD_VECTORS_HEADER_BYTES + 4 * count;
  const wordsStart = componentsStart + count * dimension;
  if (wordsStart > bytes.byteLength) throw new Error(`${origin} is truncated: ${bytes.byteLength} bytes, need at least ${wordsStart}.`);
  const scales = new Float32Array(count);
  for (let w = 0; w < count; w++) scales[w] = view.getFloat32(WORD_VECTORS_HEADER_BYTES + 4 * w, true);
  const components = new Int8Array(bytes.buffer, bytes.byteOffset + componentsStart, count * dimension);
  const words = new TextDecoder().decode(bytes.subarray(wordsStart)).split("\n");
  if (words.length !== count) throw new Error(`${origin} lists ${words.length} words but its header says ${count}.`);
  return { words, dimension, scales, components };
}
