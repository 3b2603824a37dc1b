import { UserError } from "../errors.ts";
import type { ChatCompletionClient } from "../models/types.ts";
import { answerText } from "./model-text.ts";
import { reciprocalRankFusion } from "./rank-fusion.ts";
import type { RetrievedChunk, Retriever, RetrieveOptions } from "./retriever.ts";

/** Options of QueryExpansionRetriever. */
export interface QueryExpansionRetrieverOptions {
  /** Searches each query. */
  retriever: Retriever;
  /** Writes the extra queries (any ChatCompletionClient). */
  modelClient: ChatCompletionClient;
  /** How many extra queries to ask for (default 3). */
  count?: number;
  /** Results per query (default 5). */
  k?: number;
  /** The prompt; `{count}` and `{query}` are filled in. */
  prompt?: string;
  name?: string;
}

const DEFAULT_PROMPT =
  "Generate {count} search queries that would find documents answering the question below. " +
  "Use different words and angles than the question. Reply with the queries only, one per line.\n\nQuestion: {query}";

/** The queries in a model's answer: one per line, numbering, bullets and quotes removed. */
export function parseQueryList(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.replace(/^\s*(?:\d+[.)]|[-*•])\s*/, "").replace(/^["'“]|["'”]$/g, "").trim())
    .filter((line) => line.length > 0 && !/^(here are|queries:?)/i.test(line));
}

/**
 * Asks a model for other ways to phrase the query, searches them all, and fuses the results by
 * reciprocal rank: recall improves when documents use other words than the question.
 */
export class QueryExpansionRetriever implements Retriever {
  readonly name: string;
  readonly #options: QueryExpansionRetrieverOptions;

  constructor(options: QueryExpansionRetrieverOptions) {
    if (!options?.retriever || !options.modelClient) throw new UserError("QueryExpansionRetriever needs { retriever, modelClient }.");
    this.#options = options;
    this.name = options.name ?? `expanded(${options.retriever.name})`;
  }

  /** The original query followed by the model's alternatives (duplicates removed). */
  async expand(query: string, options: Pick<RetrieveOptions, "cancellationToken"> = {}): Promise<string[]> {
    const count = this.#options.count ?? 3;
    const prompt = (this.#options.prompt ?? DEFAULT_PROMPT).replaceAll("{count}", String(count)).replaceAll("{query}", query);
    const result = await this.#options.modelClient.create([{ type: "UserMessage", content: prompt, source: "user" }], {
      cancellationToken: options.cancellationToken,
    });
    const seen = new Set([query.trim().toLowerCase()]);
    const queries = [query];
    for (const candidate of parseQueryList(answerText(result, "Query expansion"))) {
      const key = candidate.toLowerCase();
      if (seen.has(key) || queries.length > count) continue;
      seen.add(key);
      queries.push(candidate);
    }
    return queries;
  }

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrievedChunk[]> {
    const k = options.k ?? this.#options.k ?? 5;
    const queries = await this.expand(query, options);
    const lists = await Promise.all(queries.map((q) => this.#options.retriever.retrieve(q, { ...options, k })));
    return reciprocalRankFusion(lists).slice(0, k);
  }
}
