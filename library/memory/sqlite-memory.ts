import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { UserError } from "../errors.ts";
import type { ChatCompletionContext } from "../model-context/chat-completion-context.ts";
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
import { addMemoriesToContext, lastMessageText } from "./memory-context-update.ts";
import { displayableQueryResult } from "./memory-display.ts";
import type { MemoryFilter } from "./memory-filter.ts";
import { memoryFilterToSql } from "./memory-filter-sql.ts";
import { checkMemoryContent, checkVectorQueryOptions } from "./vector-memory-options.ts";

/** Options of SQLiteMemory. */
export interface SQLiteMemoryOptions {
  /** Name shown in events and displays (default "sqlite_memory"). */
  name?: string;
  /** Database file (created if missing); ":memory:" (the default) keeps it in this process. */
  path?: string;
  /** The same as a URL, as other frameworks write it: "sqlite:///memory.db" (relative) or "sqlite:////abs/memory.db". */
  connectionString?: string;
  /** Table that holds the items (default "memory"); its full-text index is `<tableName>_fts`. */
  tableName?: string;
  /** Results per query unless the query says otherwise (default 5). */
  k?: number;
  /** Leave out results scoring below this (scores are from 0 to 1; 0 means no keyword matched). */
  scoreThreshold?: number;
}

interface Row {
  id: number;
  content: string;
  encoding: "text" | "json" | "base64";
  mime_type: string;
  metadata: string | null;
  rank?: number | null;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function pathFromConnectionString(connectionString: string): string {
  const match = /^sqlite:\/\/\/(.*)$/.exec(connectionString);
  if (!match)
    throw new UserError(
      `connectionString ${JSON.stringify(connectionString)} is not a SQLite URL; write "sqlite:///relative.db", "sqlite:////absolute/path.db" or "sqlite:///:memory:".`,
    );
  return match[1] || ":memory:";
}

/** The words of `text` as an FTS5 query: each word quoted (no operators can sneak in), any may match. */
export function ftsQuery(text: string): string | undefined {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return undefined;
  return [...new Set(words)].map((word) => `"${word}"`).join(" OR ");
}

/**
 * A memory in a SQLite database, for structured records: each item is a row whose metadata
 * is JSON you can query with SQL (`memory.sql(...)`), and whose text is in an FTS5 full-text
 * index ranked by BM25. `query` returns keyword hits best first, then (to fill `k`) the other
 * items that pass the filter, newest first, with score 0; a hit always scores above 0, so
 * `scoreThreshold: 1e-9` keeps hits only (BM25 is tiny for a word found in most rows).
 *
 * ```ts
 * const purchases = new SQLiteMemory({ connectionString: "sqlite:///memory.db", tableName: "user_history" });
 * await purchases.add({ content: "Purchase history: 2024-12-01 - Laptop", mimeType: "text/plain",
 *   metadata: { date: "2024-12-01", item: "Laptop", amount: 1299 } });
 * purchases.sql("SELECT json_extract(metadata, '$.item') AS item FROM user_history WHERE json_extract(metadata, '$.amount') > ?", [1000]);
 * ```
 */
export class SQLiteMemory implements Memory {
  readonly name: string;
  /** The database file (":memory:" when in process). */
  readonly path: string;
  readonly tableName: string;
  readonly #k: number;
  readonly #scoreThreshold?: number;
  readonly #db: Database.Database;
  #closed = false;

  constructor(options: SQLiteMemoryOptions = {}) {
    checkVectorQueryOptions("SQLiteMemory", options.k, undefined);
    if (options.scoreThreshold !== undefined && !(options.scoreThreshold >= 0 && options.scoreThreshold <= 1))
      throw new UserError(`SQLiteMemory: scoreThreshold is from 0 to 1; got ${options.scoreThreshold}.`);
    if (options.path !== undefined && options.connectionString !== undefined)
      throw new UserError("SQLiteMemory: give path or connectionString, not both.");
    this.name = options.name ?? "sqlite_memory";
    this.tableName = options.tableName ?? "memory";
    if (!TABLE_NAME.test(this.tableName))
      throw new UserError(`SQLiteMemory: tableName ${JSON.stringify(this.tableName)} must be letters, digits and "_", starting with a letter or "_".`);
    this.#k = options.k ?? 5;
    this.#scoreThreshold = options.scoreThreshold;
    const path = options.connectionString !== undefined ? pathFromConnectionString(options.connectionString) : (options.path ?? ":memory:");
    this.path = path === ":memory:" ? path : resolve(path);
    if (this.path !== ":memory:") mkdirSync(dirname(this.path), { recursive: true });
    this.#db = new Database(this.path);
    try {
      this.#db.pragma("journal_mode = WAL");
      this.#db.pragma("synchronous = NORMAL");
      this.#createSchema();
    } catch (error) {
      this.#db.close();
      throw error;
    }
  }

  #createSchema(): void {
    const t = this.tableName;
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS ${t} (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        content TEXT NOT NULL,
        encoding TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        metadata TEXT,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      );
      CREATE VIRTUAL TABLE IF NOT EXISTS ${t}_fts USING fts5(text, content='${t}', content_rowid='id', tokenize='porter unicode61');
      CREATE TRIGGER IF NOT EXISTS ${t}_fts_insert AFTER INSERT ON ${t} BEGIN
        INSERT INTO ${t}_fts(rowid, text) VALUES (new.id, new.text);
      END;
      CREATE TRIGGER IF NOT EXISTS ${t}_fts_delete AFTER DELETE ON ${t} BEGIN
        INSERT INTO ${t}_fts(${t}_fts, rowid, text) VALUES ('delete', old.id, old.text);
      END;
    `);
  }

  #checkOpen(): void {
    if (this.#closed) throw new UserError(`${this.name} is closed; create a new SQLiteMemory to use the database again.`);
  }

  #toItem(row: Row): MemoryContent {
    const content =
      row.encoding === "json" ? JSON.parse(row.content) : row.encoding === "base64" ? new Uint8Array(Buffer.from(row.content, "base64")) : row.content;
    const item: MemoryContent = { content, mimeType: row.mime_type };
    if (row.metadata !== null) item.metadata = JSON.parse(row.metadata);
    return item;
  }

  async add(content: MemoryContent, options: MemoryAddOptions = {}): Promise<void> {
    await this.addMany([content], options);
  }

  /** Add several items in one transaction (all or none). */
  async addMany(contents: readonly MemoryContent[], options: MemoryAddOptions = {}): Promise<void> {
    this.#checkOpen();
    options.cancellationToken?.throwIfCancelled();
    contents.forEach((content) => checkMemoryContent("SQLiteMemory.add", content));
    const insert = this.#db.prepare(`INSERT INTO ${this.tableName} (content, encoding, mime_type, metadata, text) VALUES (?, ?, ?, ?, ?)`);
    this.#db.transaction(() => {
      for (const content of contents) {
        const value = content.content;
        const [stored, encoding] =
          typeof value === "string"
            ? [value, "text"]
            : value instanceof Uint8Array
              ? [Buffer.from(value).toString("base64"), "base64"]
              : [JSON.stringify(value), "json"];
        // Metadata values are searchable words too ("Laptop" in { item: "Laptop" }).
        const metadataText = content.metadata ? Object.values(content.metadata).filter((v) => typeof v === "string").join(" ") : "";
        insert.run(
          stored,
          encoding,
          content.mimeType,
          content.metadata === undefined ? null : JSON.stringify(content.metadata),
          `${memoryContentToText(content)} ${metadataText}`.trim(),
        );
      }
    })();
  }

  async query(query: string | MemoryContent, options: MemoryQueryOptions = {}): Promise<MemoryQueryResult> {
    this.#checkOpen();
    options.cancellationToken?.throwIfCancelled();
    const started = performance.now();
    const k = options.k ?? this.#k;
    checkVectorQueryOptions("SQLiteMemory.query", k, undefined);
    const threshold = options.scoreThreshold ?? this.#scoreThreshold;
    const where = memoryFilterToSql(options.filter, "t.metadata");
    const match = ftsQuery(typeof query === "string" ? query : memoryContentToText(query));
    const t = this.tableName;
    // bm25() is lower for better matches; rows without a match get NULL and come last.
    const rows = (
      match
        ? this.#db
            .prepare(
              `SELECT t.id, t.content, t.encoding, t.mime_type, t.metadata, f.rank AS rank FROM ${t} t
               LEFT JOIN (SELECT rowid, bm25(${t}_fts) AS rank FROM ${t}_fts WHERE ${t}_fts MATCH ?) f ON f.rowid = t.id
               WHERE ${where.sql} ORDER BY f.rank IS NULL, f.rank, t.id DESC LIMIT ?`,
            )
            .all(match, ...where.params, k)
        : this.#db.prepare(`SELECT t.* FROM ${t} t WHERE ${where.sql} ORDER BY t.id DESC LIMIT ?`).all(...where.params, k)
    ) as Row[];
    const results: ScoredMemoryContent[] = [];
    for (const row of rows) {
      const strength = row.rank === null || row.rank === undefined ? 0 : Math.max(0, -row.rank);
      const score = strength / (1 + strength);
      if (threshold !== undefined && score < threshold) continue;
      results.push({ ...this.#toItem(row), score });
    }
    return displayableQueryResult({ results }, this.name, query, performance.now() - started);
  }

  /**
   * Run a read-only SQL statement (SELECT, WITH ...) against the database and return its rows.
   * The items are in the table named `tableName`; `metadata` is JSON (use `json_extract`).
   */
  sql<T = Record<string, unknown>>(statement: string, params: readonly unknown[] = []): T[] {
    this.#checkOpen();
    let prepared: Database.Statement;
    try {
      prepared = this.#db.prepare(statement);
    } catch (error) {
      throw new UserError(`SQLiteMemory.sql: ${(error as Error).message} in ${JSON.stringify(statement.slice(0, 200))}.`, { cause: error });
    }
    if (!prepared.readonly || !prepared.reader)
      throw new UserError("SQLiteMemory.sql runs read-only statements that return rows (SELECT); change items with add, delete and clear.");
    return prepared.all(...params) as T[];
  }

  async list(options: MemoryListOptions = {}): Promise<MemoryContent[]> {
    this.#checkOpen();
    const where = memoryFilterToSql(options.filter, "t.metadata");
    const rows = this.#db.prepare(`SELECT t.* FROM ${this.tableName} t WHERE ${where.sql} ORDER BY t.id`).all(...where.params) as Row[];
    return rows.map((row) => this.#toItem(row));
  }

  async delete(filter: MemoryFilter, options: MemoryListOptions = {}): Promise<number> {
    this.#checkOpen();
    options.cancellationToken?.throwIfCancelled();
    const where = memoryFilterToSql(filter, "t.metadata");
    return this.#db.prepare(`DELETE FROM ${this.tableName} AS t WHERE ${where.sql}`).run(...where.params).changes;
  }

  /** Add the keyword hits for the last message (items without a hit are left out) to the context. */
  async updateContext(modelContext: ChatCompletionContext): Promise<UpdateContextResult> {
    this.#checkOpen();
    const text = await lastMessageText(modelContext);
    if (!text) return { memories: { results: [] } };
    const found = await this.query(text);
    const memories = { results: found.results.filter((item) => (item.score ?? 0) > 0) };
    await addMemoriesToContext(modelContext, memories);
    return { memories };
  }

  async clear(): Promise<void> {
    this.#checkOpen();
    this.#db.exec(`DELETE FROM ${this.tableName}; INSERT INTO ${this.tableName}_fts(${this.tableName}_fts) VALUES ('rebuild');`);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}
