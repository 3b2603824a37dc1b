import { readFileSync } from "node:fs";
import { UserError } from "../../errors.ts";
import type { Embedder, EmbedOptions } from "./embedder.ts";
import { normalized } from "./vector-math.ts";
import type { WordVectorTable } from "./word-vectors-format.ts";
import { decodeWordVectors } from "./word-vectors-format.ts";

/** The word vectors that ship with agentbook (GloVe, 40,000 words, 64 dimensions, int8). */
export const DEFAULT_WORD_VECTORS_URL = new URL("./data/glove-40k-64d.bin", import.meta.url);

/** Options of WordVectorEmbedder. */
export interface WordVectorEmbedderOptions {
  /** A word vector file (agentbook's format); the shipped GloVe vectors by default. */
  path?: string | URL;
  /** Name reported to stores (default: derived from the file name). */
  name?: string;
  /**
   * Smooth-inverse-frequency constant: a word of corpus probability p weighs a / (a + p), so
   * "the" counts little and "shellfish" a lot (default 1e-3).
   */
  weightConstant?: number;
}

const EULER_GAMMA = 0.5772156649;
/** Endings tried, in order, for a word not in the vocabulary ("kittens" -> "kitten"). */
const SUFFIXES = ["ies", "ing", "ed", "es", "s", "ly", "er", "est"];

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A fixed pseudo-random unit direction for `word` (xorshift seeded by its hash). */
function hashedDirection(word: string, dimension: number): Float32Array {
  let state = fnv1a(word) || 1;
  const out = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = ((state >>> 0) / 0xffffffff) * 2 - 1;
  }
  return normalized(out);
}

/** Lowercase word and number tokens of `text`, accents removed. */
export function wordTokens(text: string): string[] {
  return (
    text
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/**
 * The offline default embedder: a sentence is the frequency-weighted average of its words'
 * GloVe vectors (smooth inverse frequency), so paraphrases that share meaning but not words
 * still land close. No network, no native code; loads in a few milliseconds.
 *
 * Words outside the vocabulary (names, codes) get a fixed random direction of their own, so
 * the same unknown word in a query and a document still matches.
 */
export class WordVectorEmbedder implements Embedder {
  readonly name: string;
  readonly dimension: number;
  readonly #table: WordVectorTable;
  readonly #index = new Map<string, number>();
  readonly #weights: Float32Array;
  readonly #unknownNorm: number;
  readonly #unknownCache = new Map<string, Float32Array>();

  constructor(options: WordVectorEmbedderOptions = {}) {
    const path = options.path ?? DEFAULT_WORD_VECTORS_URL;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new UserError(`Cannot read word vectors from ${String(path)}: ${(error as Error).message}. Pass an existing file as { path }.`, {
        cause: error,
      });
    }
    this.#table = decodeWordVectors(bytes, String(path));
    this.dimension = this.#table.dimension;
    const fileName = String(path).split("/").pop()!.replace(/\.bin$/, "");
    this.name = options.name ?? `agentbook/${fileName}`;
    const a = options.weightConstant ?? 1e-3;
    const count = this.#table.words.length;
    const harmonic = Math.log(count) + EULER_GAMMA;
    this.#weights = new Float32Array(count);
    let normSum = 0;
    for (let w = 0; w < count; w++) {
      this.#index.set(this.#table.words[w]!, w);
      // Zipf's law: the word of rank r has probability about 1 / (r · H).
      const probability = 1 / ((w + 1) * harmonic);
      this.#weights[w] = a / (a + probability);
      let squares = 0;
      for (let i = 0; i < this.dimension; i++) squares += this.#table.components[w * this.dimension + i]! ** 2;
      normSum += (Math.sqrt(squares) / 127) * this.#table.scales[w]!;
    }
    this.#unknownNorm = count > 0 ? normSum / count : 1;
  }

  /** Number of words with a vector. */
  get vocabularySize(): number {
    return this.#table.words.length;
  }

  /** True when `word` (or a form of it without a common ending) has a vector. */
  knows(word: string): boolean {
    return this.#lookup(word.toLowerCase()) !== undefined;
  }

  #lookup(word: string): number | undefined {
    const found = this.#index.get(word);
    if (found !== undefined) return found;
    for (const suffix of SUFFIXES) {
      if (word.length <= suffix.length + 2 || !word.endsWith(suffix)) continue;
      const stem = word.slice(0, -suffix.length);
      const candidates = suffix === "ies" ? [`${stem}y`] : [stem, `${stem}e`];
      for (const candidate of candidates) {
        const index = this.#index.get(candidate);
        if (index !== undefined) return index;
      }
    }
    return undefined;
  }

  #unknown(word: string): Float32Array {
    let vector = this.#unknownCache.get(word);
    if (!vector) {
      vector = hashedDirection(word, this.dimension).map((x) => x * this.#unknownNorm);
      if (this.#unknownCache.size > 10_000) this.#unknownCache.clear();
      this.#unknownCache.set(word, vector);
    }
    return vector;
  }

  /** The unit-length embedding of one text (all zeros for a text without words). */
  embedOne(text: string): Float32Array {
    const sum = new Float32Array(this.dimension);
    const { components, scales } = this.#table;
    for (const word of wordTokens(text)) {
      const index = this.#lookup(word);
      if (index === undefined) {
        // Single letters ("s" of "it's", "i") carry no meaning of their own.
        if (word.length < 2) continue;
        const vector = this.#unknown(word);
        for (let i = 0; i < this.dimension; i++) sum[i]! += vector[i]!;
        continue;
      }
      const factor = (this.#weights[index]! * scales[index]!) / 127;
      const offset = index * this.dimension;
      for (let i = 0; i < this.dimension; i++) sum[i]! += factor * components[offset + i]!;
    }
    return normalized(sum);
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    options.cancellationToken?.throwIfCancelled();
    return texts.map((text) => this.embedOne(text));
  }
}

let shared: WordVectorEmbedder | undefined;

/** The offline default embedder, loaded once per process. */
export function defaultEmbedder(): WordVectorEmbedder {
  shared ??= new WordVectorEmbedder();
  return shared;
}
