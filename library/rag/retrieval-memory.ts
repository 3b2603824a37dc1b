import { UserError } from "../errors.ts";
import type { ChatCompletionContext } from "../model-context/chat-completion-context.ts";
import type { Memory, MemoryQueryOptions, MemoryQueryResult, UpdateContextResult } from "../memory/memory.ts";
import { memoryContentToText } from "../memory/memory.ts";
import type { MemoryContent } from "../memory/memory-content.ts";
import { lastMessageText } from "../memory/memory-context-update.ts";
import { displayableQueryResult } from "../memory/memory-display.ts";
import type { RetrievedChunk, Retriever } from "./retriever.ts";
import { chunkCitation } from "./retriever.ts";

/** Options of RetrievalMemory. */
export interface RetrievalMemoryOptions {
  retriever: Retriever;
  /** Chunks put into the context per model call (default 5). */
  k?: number;
  /** What the model is told before the numbered sources. */
  instructions?: string;
  name?: string;
}

const DEFAULT_INSTRUCTIONS =
  "Answer from the numbered sources below. Cite each fact with its source number in square brackets, like [1] or [2][3]. " +
  "If the sources do not contain the answer, say that they do not.";

/** The numbered source list a model reads: "[1] (guide.md#0) text". */
export function formatSources(chunks: readonly RetrievedChunk[]): string {
  return chunks.map((chunk, index) => `[${index + 1}] (${chunkCitation(chunk)}) ${chunk.text.trim()}`).join("\n\n");
}

/**
 * A retriever as an agent's memory: before each model call it retrieves for the last message
 * and adds the chunks as numbered sources with instructions to cite them. `lastSources` holds
 * what the model saw, so citations in its answer can be resolved.
 *
 * ```ts
 * const agent = new AssistantAgent({ name: "writer", modelClient, memory: new RetrievalMemory({ retriever }) });
 * ```
 */
export class RetrievalMemory implements Memory {
  readonly name: string;
  readonly retriever: Retriever;
  readonly #k: number;
  readonly #instructions: string;
  /** The sources of the last `updateContext`, numbered from 1 in this order. */
  lastSources: RetrievedChunk[] = [];

  constructor(options: RetrievalMemoryOptions) {
    if (!options?.retriever) throw new UserError("RetrievalMemory needs { retriever }.");
    this.retriever = options.retriever;
    this.#k = options.k ?? 5;
    this.#instructions = options.instructions ?? DEFAULT_INSTRUCTIONS;
    this.name = options.name ?? `retrieval(${options.retriever.name})`;
  }

  async add(): Promise<void> {
    throw new UserError(`${this.name} reads from its retriever and stores nothing; index documents with a DocumentIndexer into the retriever's memory.`);
  }

  async query(query: string | MemoryContent, options: MemoryQueryOptions = {}): Promise<MemoryQueryResult> {
    const started = performance.now();
    const chunks = await this.retriever.retrieve(typeof query === "string" ? query : memoryContentToText(query), {
      k: options.k ?? this.#k,
      filter: options.filter,
      cancellationToken: options.cancellationToken,
    });
    const results = chunks
      .filter((chunk) => options.scoreThreshold === undefined || chunk.score >= options.scoreThreshold)
      .map((chunk) => ({ content: chunk.text, mimeType: "text/plain", metadata: chunk.metadata, score: chunk.score }));
    return displayableQueryResult({ results }, this.name, query, performance.now() - started);
  }

  async updateContext(modelContext: ChatCompletionContext): Promise<UpdateContextResult> {
    const query = await lastMessageText(modelContext);
    this.lastSources = query ? await this.retriever.retrieve(query, { k: this.#k }) : [];
    if (this.lastSources.length === 0) return { memories: { results: [] } };
    await modelContext.addMessage({ type: "SystemMessage", content: `${this.#instructions}\n\nSources:\n${formatSources(this.lastSources)}` });
    return {
      memories: { results: this.lastSources.map((chunk) => ({ content: chunk.text, mimeType: "text/plain", metadata: chunk.metadata, score: chunk.score })) },
    };
  }

  async clear(): Promise<void> {
    this.lastSources = [];
  }

  async close(): Promise<void> {}
}
