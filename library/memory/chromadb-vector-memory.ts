import { randomUUID } from "node:crypto";
import type { ChromaClient, Collection, Metadata, Where } from "chromadb";
import { UserError } from "../errors.ts";
import type { ChatCompletionContext } from "../model-context/chat-completion-context.ts";
import { ChromaServer } from "./chroma-server.ts";
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
import { memoryFilterToChromaWhere } from "./memory-filter-chroma.ts";
import type { VectorMemoryOptions } from "./vector-memory-options.ts";
import { checkMemoryContent, checkVectorQueryOptions } from "./vector-memory-options.ts";

/** Options of ChromaDBVectorMemory. */
export interface ChromaDBVectorMemoryOptions extends VectorMemoryOptions {
  /** Collection to keep the items in (created if missing). */
  collectionName: string;
  /** Start a local Chroma server on this folder (stopped by `close()`); no Python needed. */
  persistencePath?: string;
  /** Host of an existing Chroma server (default "localhost" when persistencePath is not given). */
  host?: string;
  /** Port of the existing server (default 8000), or the port for the server started on persistencePath (default: a free one). */
  port?: number;
  /** Use HTTPS for an existing server. */
  ssl?: boolean;
  /** Extra HTTP headers (for example an auth token) for an existing server. */
  headers?: Record<string, string>;
  /** How Chroma measures distance in its index (default "cosine"); scores are cosine similarities in every case. */
  distanceMetric?: "cosine" | "l2" | "ip";
  /** Milliseconds to wait for a server started on persistencePath (default 30000). */
  startupTimeoutMs?: number;
}

/** Metadata keys this memory reserves for itself in Chroma. */
const ITEM_KEY = "_agentbook_item";
const SEQ_KEY = "_agentbook_seq";
const PAGE = 1000;

interface ItemJson {
  mimeType: string;
  encoding: "text" | "json" | "base64";
  /** Absent for text, which is the document itself. */
  content?: unknown;
  metadata?: Record<string, unknown>;
}

function toChromaMetadata(item: MemoryContent, seq: number): Metadata {
  const value = item.content;
  const json: ItemJson =
    typeof value === "string"
      ? { mimeType: item.mimeType, encoding: "text" }
      : value instanceof Uint8Array
        ? { mimeType: item.mimeType, encoding: "base64", content: Buffer.from(value).toString("base64") }
        : { mimeType: item.mimeType, encoding: "json", content: value };
  if (item.metadata !== undefined) json.metadata = item.metadata;
  const metadata: Metadata = { [ITEM_KEY]: JSON.stringify(json), [SEQ_KEY]: seq };
  // Scalar fields are copied out so Chroma can filter on them.
  for (const [key, field] of Object.entries(item.metadata ?? {}))
    if (typeof field === "string" || typeof field === "number" || typeof field === "boolean") metadata[key] = field;
  return metadata;
}

function fromChroma(document: string | null, metadata: Metadata | null): MemoryContent {
  const json = JSON.parse(String(metadata?.[ITEM_KEY] ?? "{}")) as ItemJson;
  const content =
    json.encoding === "base64"
      ? new Uint8Array(Buffer.from(json.content as string, "base64"))
      : json.encoding === "json"
        ? (json.content as Record<string, unknown>)
        : (document ?? "");
  const item: MemoryContent = { content, mimeType: json.mimeType ?? "text/plain" };
  if (json.metadata !== undefined) item.metadata = json.metadata;
  return item;
}

/**
 * A vector memory in a Chroma collection. With `persistencePath` it starts its own local Chroma
 * server (a child process bound to 127.0.0.1) and stops it on `close()`; with `host`/`port` it
 * uses a server you run. Vectors come from `embedder` (the offline default unless you pass
 * one); Chroma's own embedding functions are never used, so nothing is downloaded.
 *
 * ```ts
 * const memory = new ChromaDBVectorMemory({ collectionName: "user_prefs", persistencePath: "./chroma", k: 5, scoreThreshold: 0.4 });
 * await memory.add({ content: "Allergic to shellfish", mimeType: "text/plain", metadata: { category: "medical", priority: "high" } });
 * ```
 */
export class ChromaDBVectorMemory implements Memory {
  readonly name: string;
  readonly collectionName: string;
  readonly embedder: Embedder;
  readonly #options: ChromaDBVectorMemoryOptions;
  readonly #k: number;
  readonly #scoreThreshold?: number;
  #ready: Promise<{ client: ChromaClient; collection: Collection; server?: ChromaServer }> | undefined;
  #closed = false;
  #nextSeq: number | undefined;

  constructor(options: ChromaDBVectorMemoryOptions) {
    if (!options || typeof options.collectionName !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]$/.test(options.collectionName))
      throw new UserError(
        `ChromaDBVectorMemory needs a collectionName of 3 to 63 letters, digits, ".", "_" or "-" (starting and ending with a letter or digit); got ${JSON.stringify(options?.collectionName)}.`,
      );
    if (options.persistencePath !== undefined && options.host !== undefined)
      throw new UserError("ChromaDBVectorMemory: give persistencePath (start a local server) or host (use a running one), not both.");
    checkVectorQueryOptions("ChromaDBVectorMemory", options.k, options.scoreThreshold);
    this.#options = options;
    this.name = options.name ?? `chromadb_${options.collectionName}`;
    this.collectionName = options.collectionName;
    this.embedder = options.embedder ?? defaultEmbedder();
    this.#k = options.k ?? 3;
    this.#scoreThreshold = options.scoreThreshold;
  }

  /** URL of the Chroma server in use, once connected. */
  async serverUrl(): Promise<string> {
    const { server } = await this.#connect();
    if (server) return server.url;
    const { host = "localhost", port = 8000, ssl = false } = this.#options;
    return `${ssl ? "https" : "http"}://${host}:${port}`;
  }

  #connect(): Promise<{ client: ChromaClient; collection: Collection; server?: ChromaServer }> {
    if (this.#closed) return Promise.reject(new UserError(`${this.name} is closed; create a new ChromaDBVectorMemory to use the collection again.`));
    this.#ready ??= (async () => {
      const { ChromaClient } = await import("chromadb");
      const options = this.#options;
      const server =
        options.persistencePath !== undefined
          ? await ChromaServer.start({ path: options.persistencePath, port: options.port, startupTimeoutMs: options.startupTimeoutMs })
          : undefined;
      try {
        const client = server
          ? new ChromaClient({ host: server.host, port: server.port })
          : new ChromaClient({ host: options.host ?? "localhost", port: options.port ?? 8000, ssl: options.ssl ?? false, headers: options.headers });
        let collection: Collection;
        try {
          collection = await client.getOrCreateCollection({
            name: this.collectionName,
            embeddingFunction: null,
            configuration: { hnsw: { space: options.distanceMetric ?? "cosine" } },
            metadata: { embedder: this.embedder.name },
          });
        } catch (error) {
          const where = server ? server.url : `${options.ssl ? "https" : "http"}://${options.host ?? "localhost"}:${options.port ?? 8000}`;
          throw new UserError(
            `Could not open Chroma collection "${this.collectionName}" at ${where}: ${(error as Error).message}. ` +
              (server ? "The local server started but refused the collection." : "Is a Chroma server running there? Or pass persistencePath to start one."),
            { cause: error },
          );
        }
        const storedEmbedder = collection.metadata?.embedder;
        if (typeof storedEmbedder === "string" && storedEmbedder !== this.embedder.name)
          throw new UserError(
            `Chroma collection "${this.collectionName}" was built with embedder "${storedEmbedder}", not "${this.embedder.name}"; pass the same embedder or use another collection.`,
          );
        return { client, collection, server };
      } catch (error) {
        await server?.stop();
        throw error;
      }
    })();
    // A failed start can be retried by the next call.
    this.#ready.catch(() => (this.#ready = undefined));
    return this.#ready;
  }

  async #embed(texts: string[], cancellationToken?: MemoryAddOptions["cancellationToken"]): Promise<number[][]> {
    const vectors = await this.embedder.embed(texts, { cancellationToken });
    return vectors.map((vector) => Array.from(normalized(vector)));
  }

  async #seq(collection: Collection): Promise<number> {
    if (this.#nextSeq === undefined) {
      // Continue after the highest sequence number stored.
      let highest = -1;
      for await (const { metadatas } of this.#pages(collection, undefined, ["metadatas"]))
        for (const metadata of metadatas) highest = Math.max(highest, Number(metadata?.[SEQ_KEY] ?? -1));
      this.#nextSeq = highest + 1;
    }
    return this.#nextSeq++;
  }

  async *#pages(collection: Collection, where: Where | undefined, include: Array<"metadatas" | "documents">) {
    for (let offset = 0; ; offset += PAGE) {
      const page = await collection.get({ where, limit: PAGE, offset, include });
      yield page;
      if (page.ids.length < PAGE) return;
    }
  }

  async add(content: MemoryContent, options: MemoryAddOptions = {}): Promise<void> {
    await this.addMany([content], options);
  }

  /** Add several items: one embedder call, and one request per batch the server accepts. */
  async addMany(contents: readonly MemoryContent[], options: MemoryAddOptions = {}): Promise<void> {
    options.cancellationToken?.throwIfCancelled();
    for (const content of contents) {
      checkMemoryContent("ChromaDBVectorMemory.add", content);
      for (const key of Object.keys(content.metadata ?? {}))
        if (key.startsWith("_agentbook")) throw new UserError(`ChromaDBVectorMemory.add: metadata key "${key}" is reserved; rename it.`);
    }
    if (contents.length === 0) return;
    const { client, collection } = await this.#connect();
    const texts = contents.map(memoryContentToText);
    const embeddings = await this.#embed(texts, options.cancellationToken);
    const batch = Math.max(1, Math.min(await client.getMaxBatchSize().catch(() => PAGE), 5000));
    for (let start = 0; start < contents.length; start += batch) {
      options.cancellationToken?.throwIfCancelled();
      const end = Math.min(contents.length, start + batch);
      const metadatas: Metadata[] = [];
      for (let i = start; i < end; i++) metadatas.push(toChromaMetadata(contents[i]!, await this.#seq(collection)));
      await collection.add({
        ids: contents.slice(start, end).map(() => randomUUID()),
        embeddings: embeddings.slice(start, end),
        documents: texts.slice(start, end),
        metadatas,
      });
    }
  }

  /** Ids of the items that pass `filter` (for filters Chroma cannot express itself). */
  async #idsMatching(collection: Collection, filter: MemoryFilter): Promise<string[]> {
    const ids: string[] = [];
    for await (const page of this.#pages(collection, undefined, ["metadatas", "documents"]))
      page.ids.forEach((id, index) => {
        if (matchesMemoryFilter(fromChroma(page.documents[index] ?? null, page.metadatas[index] ?? null).metadata, filter)) ids.push(id);
      });
    return ids;
  }

  async query(query: string | MemoryContent, options: MemoryQueryOptions = {}): Promise<MemoryQueryResult> {
    options.cancellationToken?.throwIfCancelled();
    const started = performance.now();
    const k = options.k ?? this.#k;
    const scoreThreshold = options.scoreThreshold ?? this.#scoreThreshold;
    checkVectorQueryOptions("ChromaDBVectorMemory.query", k, scoreThreshold);
    if (options.filter !== undefined) validateMemoryFilter(options.filter);
    const { collection } = await this.#connect();
    const text = typeof query === "string" ? query : memoryContentToText(query);
    const results: ScoredMemoryContent[] = [];
    if (k > 0) {
      let where: Where | undefined;
      let ids: string[] | undefined;
      if (options.filter && Object.keys(options.filter).length > 0) {
        const translated = memoryFilterToChromaWhere(options.filter);
        if (translated) where = translated as Where;
        else ids = await this.#idsMatching(collection, options.filter);
      }
      if (ids?.length !== 0) {
        const [embedding] = await this.#embed([text], options.cancellationToken);
        const found = await collection.query({
          queryEmbeddings: [embedding!],
          nResults: k,
          where,
          ids,
          include: ["documents", "metadatas", "distances"],
        });
        const metric = this.#options.distanceMetric ?? "cosine";
        found.ids[0]!.forEach((_id, index) => {
          const distance = found.distances[0]![index] ?? 0;
          // Vectors are unit length, so each metric's distance converts to the cosine similarity.
          const score = metric === "l2" ? 1 - distance / 2 : 1 - distance;
          if (scoreThreshold !== undefined && score < scoreThreshold) return;
          results.push({ ...fromChroma(found.documents[0]![index] ?? null, found.metadatas[0]![index] ?? null), score });
        });
      }
    }
    return displayableQueryResult({ results }, this.name, query, performance.now() - started);
  }

  async list(options: MemoryListOptions = {}): Promise<MemoryContent[]> {
    if (options.filter !== undefined) validateMemoryFilter(options.filter);
    const { collection } = await this.#connect();
    const rows: Array<{ seq: number; item: MemoryContent }> = [];
    for await (const page of this.#pages(collection, undefined, ["metadatas", "documents"]))
      page.ids.forEach((_id, index) => {
        const metadata = page.metadatas[index] ?? null;
        rows.push({ seq: Number(metadata?.[SEQ_KEY] ?? 0), item: fromChroma(page.documents[index] ?? null, metadata) });
      });
    return rows
      .sort((a, b) => a.seq - b.seq)
      .map((row) => row.item)
      .filter((item) => matchesMemoryFilter(item.metadata, options.filter));
  }

  async delete(filter: MemoryFilter, options: MemoryListOptions = {}): Promise<number> {
    options.cancellationToken?.throwIfCancelled();
    validateMemoryFilter(filter);
    const { collection } = await this.#connect();
    const ids = await this.#idsMatching(collection, filter);
    if (ids.length > 0) await collection.delete({ ids });
    return ids.length;
  }

  async updateContext(modelContext: ChatCompletionContext): Promise<UpdateContextResult> {
    return updateContextByQuery(this, modelContext);
  }

  /** Delete the collection's items (the collection stays, empty). */
  async clear(): Promise<void> {
    const ready = await this.#connect();
    await ready.client.deleteCollection({ name: this.collectionName });
    this.#ready = undefined;
    this.#nextSeq = 0;
    // Reconnecting recreates the collection; a server this memory started keeps running.
    const reopened = (async () => {
      const collection = await ready.client.getOrCreateCollection({
        name: this.collectionName,
        embeddingFunction: null,
        configuration: { hnsw: { space: this.#options.distanceMetric ?? "cosine" } },
        metadata: { embedder: this.embedder.name },
      });
      return { client: ready.client, collection, server: ready.server };
    })();
    this.#ready = reopened;
    await reopened;
  }

  /** Disconnect, and stop the server this memory started (safe to call twice). */
  async close(): Promise<void> {
    if (this.#closed) return;
    const ready = this.#ready;
    this.#closed = true;
    this.#ready = undefined;
    if (!ready) return;
    try {
      const { server } = await ready;
      await server?.stop();
    } catch {
      // It never started; nothing to stop.
    }
  }
}
