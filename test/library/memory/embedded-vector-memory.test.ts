import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Embedder } from "agentbook";
import { AppendOnlyLog, EmbeddedVectorMemory, UserError } from "agentbook";
import { prefixEmbedder } from "../../fixtures/prefix-embedder.ts";

const WRITER = new URL("../../fixtures/vector-store-writer.ts", import.meta.url).pathname;

/**
 * Start the writer; once it has acknowledged `acks` writes, kill -9 it `delayMs` later (so the
 * kill lands anywhere in its loop, not just after a write). Resolve with its acknowledgements.
 */
function runAndKill(folder: string, start: number, acks: number, delayMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WRITER, folder, String(start)], { stdio: ["ignore", "pipe", "pipe"] });
    const lines: string[] = [];
    let buffered = "";
    let stderr = "";
    let killScheduled = false;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the writer did not reach ${acks} writes in 30 s; stderr: ${stderr}`));
    }, 30_000);
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split("\n");
      buffered = parts.pop()!;
      lines.push(...parts);
      if (lines.length >= acks && !killScheduled) {
        killScheduled = true;
        setTimeout(() => child.kill("SIGKILL"), delayMs);
      }
    });
    child.on("exit", (_code, signal) => {
      clearTimeout(timer);
      if (signal !== "SIGKILL") reject(new Error(`the writer exited by itself (${signal}); stderr: ${stderr}`));
      else resolve(lines);
    });
  });
}

describe("EmbeddedVectorMemory on disk", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "agentbook-evm-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("survives kill -9 mid-write, again and again: acknowledged writes stay, nothing is corrupted", async () => {
    const folder = join(dir, "killed");
    let next = 0;
    let tornTails = 0;
    for (let round = 0; round < 20; round++) {
      const acknowledged = await runAndKill(folder, next, 5 + ((round * 37) % 40), (round * 7) % 13);
      const adds = acknowledged.filter((line) => line.startsWith("add ")).map((line) => Number(line.slice(4)));
      const deletes = acknowledged.filter((line) => line.startsWith("del ")).map((line) => Number(line.slice(4)));
      const lastDelete = deletes.at(-1) ?? -1;

      const memory = new EmbeddedVectorMemory({ path: folder, embedder: prefixEmbedder });
      if (memory.recoveredTornBytes > 0) tornTails++;
      const present = new Set((await memory.list()).map((item) => item.metadata!.n as number));
      for (const n of adds) {
        if (n % 2 === 0) assert.ok(present.has(n), `round ${round}: acknowledged item ${n} is missing`);
        else if (n <= lastDelete) assert.ok(!present.has(n), `round ${round}: item ${n} was deleted but came back`);
      }
      // Only the write in flight may be there without an acknowledgement.
      const maxAcked = Math.max(next - 1, ...adds);
      for (const n of present) assert.ok(n <= maxAcked + 1, `round ${round}: item ${n} was never written`);
      // The store answers queries and takes writes after recovery.
      assert.equal((await memory.query("item", { k: 1 })).results.length, 1);
      await memory.close();
      next = maxAcked + 2;
    }
    // Not asserted (timing decides), but reported: how often a kill tore a record.
    console.log(`kill -9 rounds with a torn tail cut off on reopen: ${tornTails} of 20`);
  });

  it("cuts a torn or corrupted tail and keeps every whole record before it", async () => {
    const folder = join(dir, "torn");
    const memory = new EmbeddedVectorMemory({ path: folder });
    for (let n = 0; n < 5; n++) await memory.add({ content: `note ${n}`, mimeType: "text/plain", metadata: { n } });
    await memory.close();
    const log = join(folder, "vectors.log");
    const whole = readFileSync(log);

    for (const cut of [1, 7, 100]) {
      writeFileSync(log, whole.subarray(0, whole.length - cut));
      const reopened = new EmbeddedVectorMemory({ path: folder });
      assert.deepEqual((await reopened.list()).map((item) => item.metadata!.n), [0, 1, 2, 3]);
      assert.ok(reopened.recoveredTornBytes > 0);
      await reopened.close();
      assert.ok(statSync(log).size < whole.length - cut + 1, "the torn tail is cut from the file");
    }

    const flipped = Buffer.from(whole);
    flipped[flipped.length - 3] ^= 0xff;
    writeFileSync(log, flipped);
    const reopened = new EmbeddedVectorMemory({ path: folder });
    assert.deepEqual((await reopened.list()).map((item) => item.metadata!.n), [0, 1, 2, 3]);
    await reopened.add({ content: "after repair", mimeType: "text/plain", metadata: { n: 9 } });
    await reopened.close();
    const again = new EmbeddedVectorMemory({ path: folder });
    assert.deepEqual((await again.list()).map((item) => item.metadata!.n), [0, 1, 2, 3, 9]);
    await again.close();
  });

  it("compacts deleted items away by rewriting the log, and keeps the rest", async () => {
    const folder = join(dir, "compact");
    const memory = new EmbeddedVectorMemory({ path: folder });
    for (let n = 0; n < 200; n++) await memory.add({ content: `entry ${n}`, mimeType: "text/plain", metadata: { n } });
    const log = join(folder, "vectors.log");
    const before = statSync(log).size;
    assert.equal(await memory.delete({ n: { $gte: 10 } }), 190);
    assert.ok(statSync(log).size < before / 5, "190 dead of 200 triggers a rewrite");
    await memory.close();
    const reopened = new EmbeddedVectorMemory({ path: folder });
    assert.equal(reopened.size, 10);
    await reopened.close();
  });

  it("refuses a second writer on the same folder, and a different embedder", async () => {
    const folder = join(dir, "locked");
    const memory = new EmbeddedVectorMemory({ path: folder });
    await memory.add({ content: "x", mimeType: "text/plain" });
    assert.throws(() => new EmbeddedVectorMemory({ path: folder }), /already open in this process/);
    await memory.close();
    // A lock left by a dead process is taken over.
    writeFileSync(join(folder, "LOCK"), "999999999");
    const other: Embedder = { name: "other-model", dimension: 64, embed: async (texts) => texts.map(() => new Float32Array(64).fill(1)) };
    assert.throws(() => new EmbeddedVectorMemory({ path: folder, embedder: other }), (error: Error) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /built with embedder "agentbook\/glove-40k-64d", not "other-model"/);
      return true;
    });
    const reopened = new EmbeddedVectorMemory({ path: folder });
    assert.equal(reopened.size, 1);
    await reopened.close();
    await assert.rejects(reopened.query("x"), /closed/);
  });

  it("rejects vectors of the wrong length and bad options", async () => {
    const short: Embedder = { name: "short", dimension: 64, embed: async (texts) => texts.map(() => new Float32Array(3)) };
    await assert.rejects(new EmbeddedVectorMemory({ embedder: short }).add({ content: "x", mimeType: "text/plain" }), /returned 3 numbers/);
    assert.throws(() => new EmbeddedVectorMemory({ k: -1 }), /k must be/);
    assert.throws(() => new EmbeddedVectorMemory({ scoreThreshold: 2 }), /scoreThreshold/);
  });

  it("keeps bytes and JSON content exactly", async () => {
    const folder = join(dir, "bytes");
    const memory = new EmbeddedVectorMemory({ path: folder });
    await memory.add({ content: new Uint8Array([0, 1, 254, 255]), mimeType: "application/octet-stream", metadata: { kind: "blob" } });
    await memory.add({ content: { nested: { list: [1, "two"] } }, mimeType: "application/json" });
    await memory.close();
    const reopened = new EmbeddedVectorMemory({ path: folder });
    const [blob, json] = await reopened.list();
    assert.deepEqual(blob!.content, new Uint8Array([0, 1, 254, 255]));
    assert.deepEqual(json!.content, { nested: { list: [1, "two"] } });
    await reopened.close();
  });
});

describe("AppendOnlyLog", () => {
  it("reads back what it appended and reports nothing torn after a clean close", () => {
    const dir = mkdtempSync(join(tmpdir(), "agentbook-log-"));
    try {
      const path = join(dir, "log");
      const { log } = AppendOnlyLog.open(path);
      log.append(Buffer.from("one"));
      log.append(Buffer.from("two"));
      log.close();
      appendFileSync(path, AppendOnlyLog.encode(Buffer.from("three")).subarray(0, 6));
      const reopened = AppendOnlyLog.open(path);
      assert.deepEqual(reopened.records.map(String), ["one", "two"]);
      assert.equal(reopened.truncatedBytes, 6);
      reopened.log.close();
      truncateSync(path, 0);
      assert.deepEqual(AppendOnlyLog.open(path).records, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
