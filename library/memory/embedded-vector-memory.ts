import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { UserError } from "../errors.ts";
import type { ChatCompletionContext } from "../model-context/chat-completion-context.ts";
import { AppendOnlyLog } from "./append-only-log.ts";
import type { Embedder } from "./embeddings/embedder.ts";
import { normalized } from "./embeddings/vector-math.ts";
import { defaultEmbedder } from "./embeddings/word-vector-embedder.ts";
import type {
  Memory,
  MemoryAddOptions,
  MemoryListOptions,
  MemoryQueryOptions,
  MemoryQueryResult,
  ScoredMemoryContent,
  UpdateContextResult,
} from "./memory.ts";
import { memoryContentToText } from "./memory.ts";
import type { MemoryContent } from "./memory-content.ts";
import { updateContextByQuery } from "./memory-context-update.ts";
import { displayableQueryResult } from "./memory-display.ts";
import type { MemoryFilter } from "./memory-filter.ts";
import { matchesMemoryFilter, validateMemoryFilter } from "./memory-filter.ts";
import { PackedVectorIndex } from "./packed-vector-index.ts";
import type { VectorMemoryOptions } from "./vector-memory-options.ts";
import { checkMemoryContent, checkVectorQueryOptions } from "./vector-memory-options.ts";

/** Options of EmbeddedVectorMemory. */
export interface EmbeddedVectorMemoryOptions extends VectorMemoryOptions {
  /** Folder to keep the store in (created if missing). Without it the store lives in this process only. */
  path?: string;
  /** fsync after every add, so an add survives a power cut too (default false: it survives a killed process). */
  fsyncEachWrite?: boolean;
  /** Rewrite the log when it holds more than this many dead records per live one (default 1). */
  compactionRatio?: number;
}

const LOG_FILE = "vectors.log";
const LOCK_FILE = "LOCK";
const FORMAT = 1;

const enum Op {
  Header = 0,
  Add = 1,
  Delete = 2,
  Clear = 3,
}

interface StoredItem {
  id: string;
  /** Order of addition. */
  seq: number;
  item: MemoryContent;
}

interface ItemJson {
  id: string;
  seq: number;
  mimeType: string;
  metadata?: Record<string, unknown>;
  content: unknown;
  /** How `content` is written: text as it is, objects as JSON, bytes as base64. */
  encoding: "text" | "json" | "base64";
}

/** Folders open in this process: two stores on one folder would interleave their writes. */
const openFolders = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function acquireLock(folder: string): void {
  if (openFolders.has(folder))
    throw new UserError(`The vector store in ${folder} is already open in this process; close() it first, or share the one instance.`);
  const lock = join(folder, LOCK_FILE);
  try {
    writeFileSync(lock, String(process.pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const holder = Number(readFileSync(lock, "utf8"));
    if (Number.isInteger(holder) && holder !== process.pid && pidAlive(holder))
      throw new UserError(`The vector store in ${folder} is open in process ${holder}; close it there first (one process writes a store at a time).`);
    // The holder died without closing: take the lock over.
    writeFileSync(lock, String(process.pid));
  }
  openFolders.add(folder);
}

function encodeAdd(stored: StoredItem, vector: Float32Array): Buffer {
  const { content, mimeType, metadata } = stored.item;
  const json: ItemJson =
    typeof content === "string"
      ? { id: stored.id, seq: stored.seq, mimeType, metadata, content, encoding: "text" }
      : content instanceof Uint8Array
        ? { id: stored.id, seq: stored.seq, mimeType, metadata, content: Buffer.from(content).toString("base64"), encoding: "base64" }
        : { id: stored.id, seq: stored.seq, mimeType, metadata, content, encoding: "json" };
  const text = Buffer.from(JSON.stringify(json));
  const out = Buffer.allocUnsafe(1 + 4 + text.length + vector.byteLength);
  out[0] = Op.Add;
  out.writeUInt32LE(text.length, 1);
  text.copy(out, 5);
  Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).copy(out, 5 + text.length);
  return out;
}

function decodeAdd(payload: Buffer): { stored: StoredItem; vector: Float32Array } {
  const length = payload.readUInt32LE(1);
  const json = JSON.parse(payload.subarray(5, 5 + length).toString("utf8")) as ItemJson;
  const bytes = payload.subarray(5 + length);
  const vector = new Float32Array(bytes.length / 4);
  Buffer.from(vector.buffer).set(bytes);
  const content =
    json.encoding === "base64" ? new Uint8Array(Buffer.from(json.content as string, "base64")) : (json.content as MemoryContent["content"]);
  const item: MemoryContent = { content, mimeType: json.mimeType };
  if (json.metadata !== undefined) item.metadata = json.metadata;
  return { stored: { id: json.id, seq: json.seq, item }, vector };
}

function jsonRecord(op: Op, value?: unknown): Buffer {
  const text = value === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(value));
  return Buffer.concat([Buffer.from([op]), text]);
}

/**
 * The zero-setup vector memory: exact cosine search over unit vectors packed in one
 * Float32Array, in this process, with metadata filters. With `path` it persists to a folder as
 * an append-only log of checksummed records, compacted now and then by writing a new file
 * and renaming it over the old one: killing the process mid-write loses at most that write.
 *
 * ```ts
 * const memory = new EmbeddedVectorMemory({ path: "./memory", k: 3 });
 * await memory.add({ content: "Allergic to shellfish", mimeType: "text/plain", metadata: { category: "medical" } });
 * const { results } = await memory.query("what can't I eat?", { filter: { category: "medical" } });
 * ```
 */
export class EmbeddedVectorMemory implements Memory {
  readonly name: string;
  /** Folder of the store, when it persists. */
  readonly path?: string;
  readonly embedder: Embedder;
  readonly #k: number;
  readonly #scoreThreshold?: number;
  readonly #compactionRatio: number;
  #index: PackedVectorIndex | undefined;
  #items: StoredItem[] = [];
  #rowOf = new Map<string, number>();
  #nextSeq = 0;
  #log: AppendOnlyLog | undefined;
  #deadRecords = 0;
  #closed = false;
  /** Bytes of a torn record cut off when the store was opened (0 after a clean shutdown). */
  readonly recoveredTornBytes: number = 0;

  constructor(options: EmbeddedVectorMemoryOptions = {}) {
    checkVectorQueryOptions("EmbeddedVectorMemory", options.k, options.scoreThreshold);
    this.name = options.name ?? "embedded_vector_memory";
    this.embedder = options.embedder ?? defaultEmbedder();
    this.#k = options.k ?? 3;
    this.#scoreThreshold = options.scoreThreshold;
    this.#compactionRatio = options.compactionRatio ?? 1;
    if (this.embedder.dimension > 0) this.#index = new PackedVectorIndex(this.embedder.dimension);
    if (options.path === undefined) return;

    this.path = resolve(options.path);
    mkdirSync(this.path, { recursive: true });
    acquireLock(this.path);
    try {
      const { log, records, truncatedBytes } = AppendOnlyLog.open(join(this.path, LOG_FILE), { fsyncEachAppend: options.fsyncEachWrite });
      this.#log = log;
      this.recoveredTornBytes = truncatedBytes;
      this.#replay(records);
      if (records.length === 0) this.#log.append(this.#headerRecord());
      else this.#maybeCompact();
    } catch (error) {
      this.#releaseLock();
      throw error;
    }
  }

  /** Number of items. */
  get size(): number {
    return this.#items.length;
  }

  #headerRecord(): Buffer {
    return jsonRecord(Op.Header, { format: FORMAT, embedder: this.embedder.name, dimension: this.#index?.dimension ?? 0 });
  }

  #replay(records: Buffer[]): void {
    for (const payload of records) {
      const op = payload[0] as Op;
      if (op === Op.Header) {
        const header = JSON.parse(payload.subarray(1).toString("utf8")) as { format: number; embedder: string; dimension: number };
        if (header.format !== FORMAT)
          throw new UserError(`The vector store in ${this.path} has format ${header.format}; this agentbook reads format ${FORMAT}.`);
        if (header.embedder !== this.embedder.name)
          throw new UserError(
            `The vector store in ${this.path} was built with embedder "${header.embedder}", not "${this.embedder.name}": its vectors would not compare. ` +
              "Pass the same embedder, or use another folder (or clear() this one).",
          );
        if (header.dimension > 0 && !this.#index) this.#index = new PackedVectorIndex(header.dimension);
      } else if (op === Op.Add) {
        const { stored, vector } = decodeAdd(payload);
        this.#insert(stored, vector);
      } else if (op === Op.Delete) {
        const ids = JSON.parse(payload.subarray(1).toString("utf8")) as string[];
        this.#deadRecords += 1;
        for (const id of ids) if (this.#remove(id)) this.#deadRecords += 1;
      } else if (op === Op.Clear) {
        this.#deadRecords += this.#items.length + 1;
        this.#resetIndex();
      }
    }
  }

  #insert(stored: StoredItem, vector: Float32Array): void {
    this.#index ??= new PackedVectorIndex(vector.length);
    const row = this.#index.push(vector);
    this.#items[row] = stored;
    this.#rowOf.set(stored.id, row);
    this.#nextSeq = Math.max(this.#nextSeq, stored.seq + 1);
  }

  #remove(id: string): boolean {
    const row = this.#rowOf.get(id);
    if (row === undefined || !this.#index) return false;
    const moved = this.#index.swapRemove(row);
    this.#rowOf.delete(id);
    if (moved >= 0) {
      this.#items[row] = this.#items[moved]!;
      this.#rowOf.set(this.#items[row]!.id, row);
    }
    this.#items.length = this.#index.size;
    return true;
  }

  #resetIndex(): void {
    this.#index?.clear();
    this.#items = [];
    this.#rowOf.clear();
  }

  #maybeCompact(): void {
    if (this.#log && this.#deadRecords > Math.max(64, this.#items.length * this.#compactionRatio)) this.compact();
  }

  /** Rewrite the log with only the live items (atomically: temp file, fsync, rename). */
  compact(): void {
    this.#checkOpen();
    if (!this.#log) return;
    const index = this.#index;
    const ordered = [...this.#items.keys()].sort((a, b) => this.#items[a]!.seq - this.#items[b]!.seq);
    const items = this.#items;
    const header = this.#headerRecord();
    this.#log.rewrite(
      (function* records() {
        yield header;
        for (const row of ordered) yield encodeAdd(items[row]!, index!.row(row));
      })(),
    );
    this.#deadRecords = 0;
  }

  #checkOpen(): void {
    if (this.#closed) throw new UserError(`${this.name} is closed; create a new EmbeddedVectorMemory to use the store again.`);
  }

  async #embedOne(text: string, options: { cancellationToken?: MemoryAddOptions["cancellationToken"] }): Promise<Float32Array> {
    const [vector] = await this.embedder.embed([text], options);
    if (!vector) throw new UserError(`Embedder "${this.embedder.name}" returned no vector.`);
    return this.#checkVector(vector);
  }

  /** `vector` at unit length, after checking it fits the store. */
  #checkVector(vector: Float32Array): Float32Array {
    if (this.#index && vector.length !== this.#index.dimension)
      throw new UserError(
        `Embedder "${this.embedder.name}" returned ${vector.length} numbers but this store holds vectors of ${this.#index.dimension}.`,
      );
    return normalized(vector);
  }

  async add(content: MemoryContent, options: MemoryAddOptions = {}): Promise<void> {
    await this.addMany([content], options);
  }

  /** Add several items, embedding them in one call (much faster than one `add` each). */
  async addMany(contents: readonly MemoryContent[], options: MemoryAddOptions = {}): Promise<void> {
    this.#checkOpen();
    options.cancellationToken?.throwIfCancelled();
    contents.forEach((content) => checkMemoryContent("EmbeddedVectorMemory.add", content));
    if (contents.length === 0) return;
    const vectors = await this.embedder.embed(contents.map(memoryContentToText), options);
    options.cancellationToken?.throwIfCancelled();
    this.#checkOpen();
    if (vectors.length !== contents.length) throw new UserError(`Embedder "${this.embedder.name}" returned ${vectors.length} vectors for ${contents.length} texts.`);
    contents.forEach((content, index) => {
      const vector = this.#checkVector(vectors[index]!);
      const item: MemoryContent = { content: content.content, mimeType: content.mimeType };
      if (content.metadata !== undefined) item.metadata = structuredClone(content.metadata);
      const stored: StoredItem = { id: randomUUID(), seq: this.#nextSeq++, item };
      // Write first: if the write throws, memory and disk still agree.
      if (this.#log && this.#index === undefined) {
        this.#index = new PackedVectorIndex(vector.length);
        this.#log.append(this.#headerRecord());
      }
      this.#log?.append(encodeAdd(stored, vector));
      this.#insert(stored, vector);
    });
  }

  async query(query: string | MemoryContent, options: MemoryQueryOptions = {}): Promise<MemoryQueryResult> {
    this.#checkOpen();
    options.cancellationToken?.throwIfCancelled();
    const started = performance.now();
    const k = options.k ?? this.#k;
    const scoreThreshold = options.scoreThreshold ?? this.#scoreThreshold;
    checkVectorQueryOptions("EmbeddedVectorMemory.query", k, scoreThreshold);
    if (options.filter !== undefined) validateMemoryFilter(options.filter);
    const text = typeof query === "string" ? query : memoryContentToText(query);
    let results: ScoredMemoryContent[] = [];
    if (this.#index && this.#items.length > 0 && k > 0) {
      const vector = await this.#embedOne(text, options);
      const filter = options.filter;
      const hits = this.#index.search(vector, k, {
        accept: filter ? (row) => matchesMemoryFilter(this.#items[row]!.item.metadata, filter) : undefined,
        minScore: scoreThreshold,
      });
      results = hits.map(({ row, score }) => ({ ...this.#copy(this.#items[row]!.item), score }));
    }
    return displayableQueryResult({ results }, this.name, query, performance.now() - started);
  }

  #copy(item: MemoryContent): MemoryContent {
    const out: MemoryContent = { content: item.content, mimeType: item.mimeType };
    if (item.metadata !== undefined) out.metadata = structuredClone(item.metadata);
    return out;
  }

  async list(options: MemoryListOptions = {}): Promise<MemoryContent[]> {
    this.#checkOpen();
    if (options.filter !== undefined) validateMemoryFilter(options.filter);
    return [...this.#items]
      .sort((a, b) => a.seq - b.seq)
      .filter((stored) => matchesMemoryFilter(stored.item.metadata, options.filter))
      .map((stored) => this.#copy(stored.item));
  }

  async delete(filter: MemoryFilter, options: MemoryListOptions = {}): Promise<number> {
    this.#checkOpen();
    options.cancellationToken?.throwIfCancelled();
    validateMemoryFilter(filter);
    const ids = this.#items.filter((stored) => matchesMemoryFilter(stored.item.metadata, filter)).map((stored) => stored.id);
    if (ids.length === 0) return 0;
    this.#log?.append(jsonRecord(Op.Delete, ids));
    for (const id of ids) this.#remove(id);
    this.#deadRecords += ids.length + 1;
    this.#maybeCompact();
    return ids.length;
  }

  async updateContext(modelContext: ChatCompletionContext): Promise<UpdateContextResult> {
    this.#checkOpen();
    return updateContextByQuery(this, modelContext);
  }

  async clear(): Promise<void> {
    this.#checkOpen();
    this.#resetIndex();
    if (this.#log) {
      this.#log.rewrite([this.#headerRecord()]);
      this.#deadRecords = 0;
    }
  }

  /** Flush and release the folder (safe to call twice). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#log?.close();
    this.#releaseLock();
  }

  #releaseLock(): void {
    if (!this.path || !openFolders.has(this.path)) return;
    openFolders.delete(this.path);
    const lock = join(this.path, LOCK_FILE);
    if (existsSync(lock) && readFileSync(lock, "utf8") === String(process.pid)) rmSync(lock, { force: true });
  }
}
