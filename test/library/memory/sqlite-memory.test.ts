import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import type { MemoryFilter } from "agentbook";
import { ftsQuery, matchesMemoryFilter, memoryFilterToSql, SQLiteMemory, UserError } from "agentbook";

describe("SQLiteMemory", () => {
  it("keeps purchase history as structured records you can query with SQL and by keyword", async () => {
    const dir = mkdtempSync(join(tmpdir(), "agentbook-sql-"));
    const memory = new SQLiteMemory({ connectionString: `sqlite:///${join(dir, "memory.db")}`, tableName: "user_history" });
    try {
      const purchases = [
        { date: "2024-11-20", item: "Headphones", amount: 199 },
        { date: "2024-12-01", item: "Laptop", amount: 1299 },
        { date: "2025-01-15", item: "Laptop sleeve", amount: 39 },
      ];
      for (const p of purchases)
        await memory.add({ content: `Purchase history: ${p.date} - ${p.item}`, mimeType: "text/plain", metadata: { kind: "purchase", ...p } });

      const big = memory.sql<{ item: string; amount: number }>(
        "SELECT json_extract(metadata, '$.item') AS item, json_extract(metadata, '$.amount') AS amount FROM user_history WHERE json_extract(metadata, '$.amount') > ? ORDER BY amount DESC",
        [100],
      );
      assert.deepEqual(big, [
        { item: "Laptop", amount: 1299 },
        { item: "Headphones", amount: 199 },
      ]);

      // Any score above 0 is a keyword hit (BM25 is tiny for a word in most rows of a small table).
      const laptops = await memory.query("laptop", { k: 5, scoreThreshold: 1e-9 });
      assert.deepEqual(laptops.results.map((r) => r.metadata?.item), ["Laptop", "Laptop sleeve"]);
      assert.ok(laptops.results[0]!.score! > 0 && laptops.results[0]!.score! < 1);

      const since = await memory.query("purchase", { k: 5, filter: { date: { $gte: "2024-12-01" } } });
      assert.deepEqual(since.results.map((r) => r.metadata?.date).sort(), ["2024-12-01", "2025-01-15"]);
    } finally {
      await memory.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs only read-only SQL and names the bad statement", async () => {
    const memory = new SQLiteMemory();
    await memory.add({ content: "x", mimeType: "text/plain" });
    assert.throws(() => memory.sql("DELETE FROM memory"), /read-only/);
    assert.throws(() => memory.sql("SELEC nonsense"), (error: Error) => error instanceof UserError && /SELEC nonsense/.test(error.message));
    assert.equal(memory.sql<{ n: number }>("SELECT count(*) AS n FROM memory")[0]!.n, 1);
    await memory.close();
  });

  it("treats the query as words, never as FTS5 syntax", async () => {
    assert.equal(ftsQuery('NEAR("a" b) OR * -x'), '"near" OR "a" OR "b" OR "or" OR "x"');
    assert.equal(ftsQuery("  ...  "), undefined);
    const memory = new SQLiteMemory();
    await memory.add({ content: "quotes \" and stars * are fine", mimeType: "text/plain" });
    assert.equal((await memory.query('"quotes * NEAR(', { scoreThreshold: 1e-9 })).results.length, 1);
    await memory.close();
  });

  it("refuses bad table names and connection strings", () => {
    assert.throws(() => new SQLiteMemory({ tableName: "x; DROP TABLE y" }), /tableName/);
    assert.throws(() => new SQLiteMemory({ connectionString: "postgres://db" }), /not a SQLite URL/);
  });
});

describe("memoryFilterToSql", () => {
  it("means exactly what matchesMemoryFilter means, over many filters", () => {
    const rows: Array<Record<string, unknown> | undefined> = [
      { a: 1, b: "x", c: true, d: null, e: [1, 2], f: { g: 1 } },
      { a: 2, b: "y", c: false },
      { a: "1", b: "x" },
      { a: 3.5 },
      {},
      undefined,
    ];
    const db = new Database(":memory:");
    db.exec("CREATE TABLE t (id INTEGER, metadata TEXT)");
    rows.forEach((row, id) => db.prepare("INSERT INTO t VALUES (?, ?)").run(id, row === undefined ? null : JSON.stringify(row)));
    const filters: MemoryFilter[] = [
      { a: 1 },
      { a: "1" },
      { b: "x", a: { $gte: 1 } },
      { c: true },
      { c: false },
      { d: null },
      { a: { $ne: 1 } },
      { d: { $ne: null } },
      { a: { $in: [1, 2, "1"] } },
      { a: { $nin: [1, 2] } },
      { a: { $in: [] } },
      { a: { $gt: 1, $lt: 4 } },
      { a: { $lte: "1" } },
      { b: { $gt: "a" } },
      { e: [1, 2] },
      { f: { g: 1 } },
      { $or: [{ a: 1 }, { a: 3.5 }] },
      { $and: [{ b: "x" }, { $or: [{ c: true }, { a: "1" }] }] },
      { missing: { $ne: "z" } },
      { missing: "z" },
      {},
    ];
    for (const filter of filters) {
      const { sql, params } = memoryFilterToSql(filter);
      const fromSql = (db.prepare(`SELECT id FROM t WHERE ${sql} ORDER BY id`).all(...params) as { id: number }[]).map((r) => r.id);
      const inProcess = rows.flatMap((row, id) => (matchesMemoryFilter(row, filter) ? [id] : []));
      assert.deepEqual(fromSql, inProcess, `filter ${JSON.stringify(filter)}`);
    }
    db.close();
  });
});
