import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Embedder } from "agentbook";
import { ChromaDBVectorMemory, ChromaServer, freePort, memoryFilterToChromaWhere, UserError } from "agentbook";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("ChromaDBVectorMemory", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "agentbook-chroma-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("starts its own server on persistencePath and stops it on close", async () => {
    const memory = new ChromaDBVectorMemory({ collectionName: "own-server", persistencePath: join(dir, "own"), k: 2, scoreThreshold: 0.1 });
    try {
      await memory.add({ content: "Allergic to shellfish", mimeType: "text/plain", metadata: { category: "medical", priority: "high" } });
      const url = await memory.serverUrl();
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${url}/api/v2/heartbeat`);
      assert.equal(response.status, 200);
      const { results } = await memory.query("seafood allergy");
      assert.equal(results.length, 1);
      assert.equal(results[0]!.metadata?.priority, "high");
    } finally {
      await memory.close();
    }
    const url = await memory.serverUrl().catch((error: Error) => error);
    assert.ok(url instanceof UserError && /closed/.test(url.message));
  });

  it("uses a server someone else runs, by host and port, and checks the embedder", async () => {
    const server = await ChromaServer.start({ path: join(dir, "shared") });
    try {
      const writer = new ChromaDBVectorMemory({ collectionName: "shared", host: "127.0.0.1", port: server.port });
      await writer.add({ content: "The office wifi password rotates monthly.", mimeType: "text/plain", metadata: { team: "it" } });
      await writer.close();
      assert.ok(alive(server.pid!), "closing a memory does not stop a server it did not start");

      const reader = new ChromaDBVectorMemory({ collectionName: "shared", host: "127.0.0.1", port: server.port });
      assert.equal((await reader.list()).length, 1);
      await reader.close();

      const other: Embedder = { name: "other-model", dimension: 64, embed: async (texts) => texts.map(() => new Float32Array(64).fill(1)) };
      const mismatched = new ChromaDBVectorMemory({ collectionName: "shared", host: "127.0.0.1", port: server.port, embedder: other });
      await assert.rejects(mismatched.query("x"), /built with embedder "agentbook\/glove-40k-64d", not "other-model"/);
      await mismatched.close();
    } finally {
      const pid = server.pid!;
      await server.stop();
      assert.ok(!alive(pid));
    }
  });

  it("says where it looked when no server answers", async () => {
    const port = await freePort();
    const memory = new ChromaDBVectorMemory({ collectionName: "nowhere", host: "127.0.0.1", port });
    await assert.rejects(memory.query("x"), (error: Error) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      assert.match(error.message, /persistencePath/);
      return true;
    });
    await memory.close();
  });

  it("surfaces the server's own output when it cannot start", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      await assert.rejects(ChromaServer.start({ path: join(dir, "blocked"), port, startupTimeoutMs: 20_000 }), (error: Error) => {
        assert.ok(error instanceof UserError);
        assert.match(error.message, /exited during startup|did not answer/);
        assert.match(error.message, /Its output|check its output/);
        return true;
      });
    } finally {
      blocker.close();
    }
  });

  it("refuses bad options", () => {
    assert.throws(() => new ChromaDBVectorMemory({ collectionName: "x" }), /collectionName/);
    assert.throws(() => new ChromaDBVectorMemory({ collectionName: "okay", persistencePath: dir, host: "h" }), /not both/);
  });
});

describe("memoryFilterToChromaWhere", () => {
  it("translates what Chroma means the same way, and gives up on the rest", () => {
    assert.deepEqual(memoryFilterToChromaWhere({ category: "medical" }), { category: { $eq: "medical" } });
    assert.deepEqual(memoryFilterToChromaWhere({ a: 1, b: { $in: ["x", "y"] } }), { $and: [{ a: { $eq: 1 } }, { b: { $in: ["x", "y"] } }] });
    assert.deepEqual(memoryFilterToChromaWhere({ $or: [{ a: { $gte: 2, $lt: 5 } }, { c: true }] }), {
      $or: [{ $and: [{ a: { $gte: 2 } }, { a: { $lt: 5 } }] }, { c: { $eq: true } }],
    });
    assert.equal(memoryFilterToChromaWhere({ a: { $ne: 1 } }), null, "Chroma's $ne skips items without the field");
    assert.equal(memoryFilterToChromaWhere({ date: { $gte: "2024-01-01" } }), null, "Chroma compares numbers only");
    assert.equal(memoryFilterToChromaWhere({ tags: ["a"] }), null);
  });
});
