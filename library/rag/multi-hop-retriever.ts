import { UserError } from "../errors.ts";
import type { ChatCompletionClient } from "../models/types.ts";
import { answerText } from "./model-text.ts";
import type { RetrievedChunk, Retriever, RetrieveOptions } from "./retriever.ts";
import { chunkKey } from "./retriever.ts";

/** Options of MultiHopRetriever. */
export interface MultiHopRetrieverOptions {
  retriever: Retriever;
  /** Decides after each hop what is still missing. */
  modelClient: ChatCompletionClient;
  /** Most retrievals per question, the first included (default 3). */
  maxHops?: number;
  /** Chunks per hop (default 3). */
  k?: number;
  name?: string;
}

/** One retrieval of a multi-hop search. */
export interface RetrievalHop {
  query: string;
  /** Chunks this hop added (not found by an earlier hop). */
  found: RetrievedChunk[];
}

/** What a multi-hop search did: its hops, and every chunk found, in order. */
export interface MultiHopResult {
  hops: RetrievalHop[];
  chunks: RetrievedChunk[];
  /** Why it stopped: the model said it had enough, nothing new was found, or maxHops was reached. */
  stopReason: "enough" | "nothing new" | "max hops";
}

/**
 * Retrieval for questions whose answer spans documents ("Who founded the company that makes
 * X?"): retrieve, ask the model what is still missing, retrieve that, up to `maxHops` times.
 */
export class MultiHopRetriever implements Retriever {
  readonly name: string;
  readonly #options: MultiHopRetrieverOptions;
  readonly #maxHops: number;

  constructor(options: MultiHopRetrieverOptions) {
    if (!options?.retriever || !options.modelClient) throw new UserError("MultiHopRetriever needs { retriever, modelClient }.");
    this.#maxHops = options.maxHops ?? 3;
    if (!(Number.isInteger(this.#maxHops) && this.#maxHops >= 1)) throw new UserError(`maxHops must be a whole number of at least 1; got ${options.maxHops}.`);
    this.#options = options;
    this.name = options.name ?? `multi-hop(${options.retriever.name})`;
  }

  /** Search, and say how: each hop's query and what it found. */
  async search(question: string, options: RetrieveOptions = {}): Promise<MultiHopResult> {
    const k = options.k ?? this.#options.k ?? 3;
    const hops: RetrievalHop[] = [];
    const chunks: RetrievedChunk[] = [];
    const seen = new Set<string>();
    let query = question;
    for (let hop = 1; ; hop++) {
      const found = (await this.#options.retriever.retrieve(query, { ...options, k })).filter((chunk) => !seen.has(chunkKey(chunk)));
      for (const chunk of found) seen.add(chunkKey(chunk));
      chunks.push(...found);
      hops.push({ query, found });
      if (hop > 1 && found.length === 0) return { hops, chunks, stopReason: "nothing new" };
      if (hop >= this.#maxHops) return { hops, chunks, stopReason: "max hops" };
      const passages = chunks.map((chunk, index) => `[${index + 1}] ${chunk.text.replace(/\s+/g, " ").slice(0, 600)}`).join("\n");
      const prompt =
        `Question: ${question}\n\nPassages found so far:\n${passages || "(none)"}\n\n` +
        "If these passages hold everything needed to answer the question, reply DONE. " +
        "Otherwise reply with one search query for the information that is still missing, and nothing else.";
      const result = await this.#options.modelClient.create([{ type: "UserMessage", content: prompt, source: "user" }], {
        cancellationToken: options.cancellationToken,
      });
      const reply = answerText(result, "MultiHopRetriever").trim();
      if (/^done\b/i.test(reply) || reply === "") return { hops, chunks, stopReason: "enough" };
      query = reply.split("\n")[0]!.replace(/^(search query|query)\s*:\s*/i, "").replace(/^["']|["']$/g, "").trim();
    }
  }

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrievedChunk[]> {
    return (await this.search(query, options)).chunks;
  }
}
