import { UserError } from "../errors.ts";
import type { Chunker } from "./chunker.ts";
import type { Chunk, Document } from "./document.ts";

/** Options of RecursiveChunker. */
export interface RecursiveChunkerOptions {
  /** Longest chunk, in characters (default 1000). */
  chunkSize?: number;
  /** Characters each chunk repeats from the end of the previous one, so a sentence cut at a border is whole in one of them (default 200). */
  chunkOverlap?: number;
  /** Where to cut, best first (default: paragraphs, lines, sentences, words, anywhere). */
  separators?: string[];
}

const DEFAULT_SEPARATORS = ["\n\n", "\n", ". ", " ", ""];

/**
 * Cuts text at the best boundary that keeps chunks under `chunkSize`: paragraphs first, then
 * lines, sentences, words, and characters only as a last resort; neighbouring chunks overlap.
 */
export class RecursiveChunker implements Chunker {
  readonly chunkSize: number;
  readonly chunkOverlap: number;
  readonly separators: string[];

  constructor(options: RecursiveChunkerOptions = {}) {
    this.chunkSize = options.chunkSize ?? 1000;
    this.chunkOverlap = options.chunkOverlap ?? Math.min(200, Math.floor(this.chunkSize / 5));
    this.separators = options.separators ?? DEFAULT_SEPARATORS;
    if (!(Number.isInteger(this.chunkSize) && this.chunkSize > 0)) throw new UserError(`chunkSize must be a positive whole number; got ${options.chunkSize}.`);
    if (!(Number.isInteger(this.chunkOverlap) && this.chunkOverlap >= 0 && this.chunkOverlap < this.chunkSize))
      throw new UserError(`chunkOverlap must be a whole number from 0 to below chunkSize (${this.chunkSize}); got ${options.chunkOverlap}.`);
  }

  /** `text` cut into pieces of at most chunkSize characters. */
  split(text: string): string[] {
    return this.#split(text, this.separators).map((piece) => piece.trim()).filter(Boolean);
  }

  chunk(document: Document): Chunk[] {
    return this.split(document.text).map((text, chunkIndex) => ({ text, metadata: { ...document.metadata, source: document.source, chunkIndex } }));
  }

  #split(text: string, separators: string[]): string[] {
    if (text.length <= this.chunkSize) return [text];
    const index = separators.findIndex((separator) => separator === "" || text.includes(separator));
    const separator = separators[index] ?? "";
    const rest = separators.slice(index + 1);
    // Keep the separator on the piece before it, so joining pieces gives the text back.
    const pieces = separator === "" ? [...text] : text.split(separator).map((piece, i, all) => (i < all.length - 1 ? piece + separator : piece));
    const small: string[] = [];
    for (const piece of pieces) {
      if (piece.length <= this.chunkSize) small.push(piece);
      else small.push(...this.#split(piece, rest.length > 0 ? rest : [""]));
    }
    return this.#merge(small);
  }

  /** Join pieces into chunks up to chunkSize, each starting with up to chunkOverlap characters of the one before. */
  #merge(pieces: string[]): string[] {
    const chunks: string[] = [];
    let window: string[] = [];
    let length = 0;
    for (const piece of pieces) {
      if (length + piece.length > this.chunkSize && window.length > 0) {
        chunks.push(window.join(""));
        while (window.length > 0 && (length > this.chunkOverlap || length + piece.length > this.chunkSize)) {
          length -= window[0]!.length;
          window.shift();
        }
      }
      window.push(piece);
      length += piece.length;
    }
    if (window.length > 0) chunks.push(window.join(""));
    return chunks;
  }
}
