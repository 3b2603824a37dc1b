import { createHash } from "node:crypto";
import cliProgress from "cli-progress";
import type { CancellationToken } from "../core/cancellation-token.ts";
import { UserError } from "../errors.ts";
import type { Memory, MemoryAddOptions } from "../memory/memory.ts";
import type { MemoryContent } from "../memory/memory-content.ts";
import type { Chunker } from "./chunker.ts";
import type { Document } from "./document.ts";
import { RecursiveChunker } from "./recursive-chunker.ts";

/** Where indexing is, for a progress display. */
export interface IndexProgress {
  /** Documents handled so far. */
  done: number;
  /** Documents in this run. */
  total: number;
  /** The document just handled. */
  source: string;
  /** What happened to it. */
  status: "added" | "updated" | "unchanged";
  /** Chunks it was split into (0 when unchanged). */
  chunks: number;
}

/** What one `index` run did. */
export interface IndexReport {
  /** New documents. */
  added: number;
  /** Documents whose text changed, re-chunked and replaced. */
  updated: number;
  /** Documents skipped because their content hash matched the stored one. */
  unchanged: number;
  /** Sources removed because they were no longer given (with `removeMissing`). */
  removed: number;
  /** Chunks written. */
  chunks: number;
  /** Milliseconds taken. */
  durationMs: number;
}

/** Options of DocumentIndexer. */
export interface DocumentIndexerOptions {
  /** Where chunks go; it needs `list` and `delete` (every built-in memory has them). */
  memory: Memory;
  /** How documents are cut (default: RecursiveChunker with 1000-character chunks). */
  chunker?: Chunker;
  /** Called after each document (the notebook display uses it). */
  onProgress?: (progress: IndexProgress) => void;
  /** Draw a progress bar (default: when stderr is a terminal). */
  progressBar?: boolean;
  /** Where the bar is drawn (default stderr); a stream that is not a terminal gets one line per update. */
  progressStream?: NodeJS.WritableStream;
}

/** SHA-256 of a document's text, as stored in its chunks' `contentHash`. */
export function contentHash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Cuts documents into chunks and stores them in a memory, with `source`, `chunkIndex`,
 * `chunkCount` and the document's `contentHash` in each chunk's metadata. Indexing again skips documents whose
 * text has not changed and replaces the chunks of those that have.
 *
 * ```ts
 * const indexer = new DocumentIndexer({ memory: new EmbeddedVectorMemory({ path: "./kb" }), chunker: new MarkdownChunker() });
 * await indexer.index(await loadDirectory("./knowledge_base"));
 * ```
 */
export class DocumentIndexer {
  readonly memory: Memory;
  readonly chunker: Chunker;
  readonly #onProgress?: (progress: IndexProgress) => void;
  readonly #progressBar: boolean;
  readonly #progressStream: NodeJS.WritableStream;

  constructor(options: DocumentIndexerOptions) {
    if (!options?.memory) throw new UserError("DocumentIndexer needs { memory }: where the chunks go.");
    if (typeof options.memory.list !== "function" || typeof options.memory.delete !== "function")
      throw new UserError(`DocumentIndexer needs a memory with list() and delete() to skip unchanged documents; ${options.memory.name} lacks them.`);
    this.memory = options.memory;
    this.chunker = options.chunker ?? new RecursiveChunker();
    this.#onProgress = options.onProgress;
    this.#progressBar = options.progressBar ?? Boolean(process.stderr.isTTY);
    this.#progressStream = options.progressStream ?? process.stderr;
  }

  /** Index `documents`; with `removeMissing`, also drop stored sources not among them. */
  async index(
    documents: readonly Document[],
    options: { removeMissing?: boolean; cancellationToken?: CancellationToken } = {},
  ): Promise<IndexReport> {
    const started = performance.now();
    const token = options.cancellationToken;
    const sources = new Set<string>();
    for (const document of documents) {
      if (!document || typeof document.source !== "string" || typeof document.text !== "string")
        throw new UserError(`Each document needs { source, text, metadata }; got ${JSON.stringify(document)?.slice(0, 80)}.`);
      if (sources.has(document.source)) throw new UserError(`Two documents share the source "${document.source}"; sources identify documents.`);
      sources.add(document.source);
    }
    // source -> the hash its chunks carry, or "" when they disagree or some are missing
    // (an earlier run stopped half way): such a document is indexed again.
    const stored = new Map<string, string>();
    const seen = new Map<string, number>();
    const expected = new Map<string, number>();
    for (const item of await this.memory.list!({ cancellationToken: token })) {
      const { source, contentHash: hash, chunkCount } = item.metadata ?? {};
      if (typeof source !== "string" || typeof hash !== "string") continue;
      stored.set(source, stored.has(source) && stored.get(source) !== hash ? "" : hash);
      seen.set(source, (seen.get(source) ?? 0) + 1);
      expected.set(source, Number(chunkCount));
    }
    for (const [source, count] of seen) if (expected.get(source) !== count) stored.set(source, "");
    const report: IndexReport = { added: 0, updated: 0, unchanged: 0, removed: 0, chunks: 0, durationMs: 0 };
    const bar = this.#progressBar
      ? new cliProgress.SingleBar(
          {
            format: "indexing [{bar}] {value}/{total} documents | {chunks} chunks | {source}",
            stream: this.#progressStream,
            hideCursor: true,
            noTTYOutput: !(this.#progressStream as { isTTY?: boolean }).isTTY,
            notTTYSchedule: 0,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
    bar?.start(documents.length, 0, { chunks: 0, source: "" });
    try {
      for (const [index, document] of documents.entries()) {
        token?.throwIfCancelled();
        const hash = contentHash(document.text);
        const previous = stored.get(document.source);
        let status: IndexProgress["status"] = "unchanged";
        let chunkCount = 0;
        if (previous !== hash) {
          if (previous !== undefined) await this.memory.delete!({ source: document.source });
          const chunks = this.chunker.chunk(document);
          const items = chunks.map((chunk) => ({
            content: chunk.text,
            mimeType: "text/plain",
            metadata: { ...chunk.metadata, contentHash: hash, chunkCount: chunks.length },
          }));
          const batched = this.memory as Memory & { addMany?: (items: MemoryContent[], options?: MemoryAddOptions) => Promise<void> };
          if (typeof batched.addMany === "function") await batched.addMany(items, { cancellationToken: token });
          else
            for (const item of items) {
              token?.throwIfCancelled();
              await this.memory.add(item, { cancellationToken: token });
            }
          chunkCount = chunks.length;
          report.chunks += chunks.length;
          status = previous === undefined ? "added" : "updated";
        }
        report[status === "unchanged" ? "unchanged" : status]++;
        bar?.update(index + 1, { chunks: report.chunks, source: document.source.slice(-40) });
        this.#onProgress?.({ done: index + 1, total: documents.length, source: document.source, status, chunks: chunkCount });
      }
      if (options.removeMissing)
        for (const source of stored.keys())
          if (!sources.has(source)) {
            await this.memory.delete!({ source });
            report.removed++;
          }
    } finally {
      bar?.stop();
    }
    report.durationMs = performance.now() - started;
    return report;
  }
}
