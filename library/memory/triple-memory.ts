import { UserError } from "../errors.ts";
import type { Memory, MemoryAddOptions, MemoryListOptions, MemoryQueryOptions, MemoryQueryResult } from "./memory.ts";
import type { MemoryContent } from "./memory-content.ts";
import { displayableQueryResult } from "./memory-display.ts";
import type { MemoryFilter } from "./memory-filter.ts";
import { MemoryWrapper } from "./memory-wrapper.ts";

/** A fact as subject, predicate, object: ("Paris", "capital of", "France"). */
export interface Triple {
  subject: string;
  predicate: string;
  object: string;
}

/** A triple pattern: a fixed value, `"?name"` (a variable to bind), or absent (anything). */
export type TriplePattern = Partial<Record<keyof Triple, string>>;

/** Variable bindings of a pattern query: `{ "?city": "Paris" }`. */
export type TripleBindings = Record<string, string>;

/** The MIME type of a triple given as a MemoryContent. */
export const TRIPLE_MIME = "application/triplet";

const ARROWS = /\s*(?:→|->|\|)\s*/;

/** Read "Paris → capital of → France" (also "->" or "|"), or `{ subject, predicate, object }`. */
export function parseTriple(content: MemoryContent["content"]): Triple {
  if (typeof content === "string") {
    const parts = content.split(ARROWS).map((part) => part.trim());
    if (parts.length === 3 && parts.every(Boolean)) return { subject: parts[0]!, predicate: parts[1]!, object: parts[2]! };
  } else if (content && !(content instanceof Uint8Array) && typeof content === "object") {
    const { subject, predicate, object } = content as Record<string, unknown>;
    if ([subject, predicate, object].every((part) => typeof part === "string" && part.trim()))
      return { subject: String(subject).trim(), predicate: String(predicate).trim(), object: String(object).trim() };
  }
  throw new UserError(
    `A triple is "subject → predicate → object" (or "->", "|") or { subject, predicate, object }; got ${JSON.stringify(content)?.slice(0, 80)}.`,
  );
}

/** A triple as the text a model reads and an embedder sees. */
export function tripleToText(triple: Triple): string {
  return `${triple.subject} → ${triple.predicate} → ${triple.object}`;
}

const isVariable = (value: string | undefined): boolean => typeof value === "string" && value.startsWith("?");
/** Metadata flag that marks an item as a triple (other items may share the memory). */
const MARK = "_triple";
const FIELDS: Array<keyof Triple> = ["subject", "predicate", "object"];

/**
 * A knowledge-graph memory: facts stored as triples in any memory (each is an item whose
 * metadata holds subject, predicate and object), so they are found by meaning through the
 * memory's own search, and by pattern with `match` and `select`.
 *
 * ```ts
 * const graph = new TripleMemory(new EmbeddedVectorMemory());
 * await graph.add({ content: "Paris → capital of → France", mimeType: "application/triplet" });
 * await graph.match({ object: "France" });                    // every fact about France
 * await graph.select([{ subject: "?city", predicate: "capital of", object: "?country" },
 *                     { subject: "?country", predicate: "in", object: "Europe" }]);  // [{ "?city": "Paris", "?country": "France" }]
 * ```
 *
 * Matching is exact after trimming, and case-insensitive.
 */
export class TripleMemory extends MemoryWrapper {
  constructor(memory: Memory, options: { name?: string } = {}) {
    super(memory, options.name);
    this.requireListAndDelete("TripleMemory");
  }

  /** Store one fact. */
  async addTriple(subject: string, predicate: string, object: string, metadata: Record<string, unknown> = {}, options?: MemoryAddOptions): Promise<void> {
    const triple = parseTriple({ subject, predicate, object });
    await this.inner.add(
      {
        content: tripleToText(triple),
        mimeType: TRIPLE_MIME,
        metadata: {
          ...metadata,
          ...triple,
          subjectKey: triple.subject.toLowerCase(),
          predicateKey: triple.predicate.toLowerCase(),
          objectKey: triple.object.toLowerCase(),
          [MARK]: true,
        },
      },
      options,
    );
  }

  /** Store a fact given as text ("a → b → c") or `{ subject, predicate, object }`, whatever its mimeType says. */
  async add(content: MemoryContent, options?: MemoryAddOptions): Promise<void> {
    const triple = parseTriple(content.content);
    await this.addTriple(triple.subject, triple.predicate, triple.object, content.metadata ?? {}, options);
  }

  #filter(pattern: TriplePattern): MemoryFilter {
    const filter: MemoryFilter = { [MARK]: true };
    for (const field of FIELDS) {
      const value = pattern[field];
      if (value !== undefined && !isVariable(value)) filter[`${field}Key`] = value.trim().toLowerCase();
    }
    return filter;
  }

  /** Facts matching `pattern` (fixed parts must be equal; variables and absent parts match anything), in the order added. */
  async match(pattern: TriplePattern = {}, options?: MemoryListOptions): Promise<Triple[]> {
    const items = await this.inner.list!({ ...options, filter: this.#filter(pattern) });
    const triples = items.map((item) => ({
      subject: String(item.metadata!.subject),
      predicate: String(item.metadata!.predicate),
      object: String(item.metadata!.object),
    }));
    // The same variable in two places must bind the same value: (?x, knows, ?x).
    return triples.filter((triple) => this.#bind(pattern, triple, {}) !== null);
  }

  #bind(pattern: TriplePattern, triple: Triple, bindings: TripleBindings): TripleBindings | null {
    const out = { ...bindings };
    for (const field of FIELDS) {
      const value = pattern[field];
      if (!isVariable(value)) continue;
      const bound = out[value!];
      if (bound !== undefined && bound.toLowerCase() !== triple[field].toLowerCase()) return null;
      out[value!] = triple[field];
    }
    return out;
  }

  /**
   * Answer a conjunctive pattern query: every way to bind the `?variables` so that each pattern
   * matches a stored fact. Patterns are joined left to right.
   */
  async select(patterns: readonly TriplePattern[], options?: MemoryListOptions): Promise<TripleBindings[]> {
    if (!Array.isArray(patterns) || patterns.length === 0) throw new UserError("select needs at least one triple pattern.");
    let solutions: TripleBindings[] = [{}];
    for (const pattern of patterns) {
      const next: TripleBindings[] = [];
      for (const bindings of solutions) {
        const concrete: TriplePattern = {};
        for (const field of FIELDS) {
          const value = pattern[field];
          concrete[field] = isVariable(value) && bindings[value!] !== undefined ? bindings[value!] : value;
        }
        for (const triple of await this.match(concrete, options)) {
          const bound = this.#bind(pattern, triple, bindings);
          if (bound) next.push(bound);
        }
      }
      solutions = next;
      if (solutions.length === 0) break;
    }
    return solutions;
  }

  /** Facts that mention `entity` as subject or object. */
  async neighbours(entity: string): Promise<Triple[]> {
    const [out, incoming] = await Promise.all([this.match({ subject: entity }), this.match({ object: entity })]);
    return [...out, ...incoming];
  }

  /** Remove facts matching `pattern`; returns how many went. */
  async deleteTriples(pattern: TriplePattern): Promise<number> {
    return this.inner.delete!(this.#filter(pattern));
  }

  /** Search facts by meaning (or keywords) through the memory underneath. */
  async query(query: string | MemoryContent, options: MemoryQueryOptions = {}): Promise<MemoryQueryResult> {
    const started = performance.now();
    const filter: MemoryFilter = options.filter ? { $and: [options.filter, { [MARK]: true }] } : { [MARK]: true };
    const found = await this.inner.query(query, { ...options, filter });
    return displayableQueryResult({ results: found.results }, this.name, query, performance.now() - started);
  }
}
