import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChromaDBVectorMemory, EmbeddedVectorMemory, ListMemory, SQLiteMemory } from "agentbook";
import { memoryContract } from "./memory-contract.ts";

function tempFolder(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

memoryContract("ListMemory", { ranks: false, create: async () => new ListMemory() });

memoryContract("EmbeddedVectorMemory in process", { ranks: true, create: async () => new EmbeddedVectorMemory() });

{
  const folder = tempFolder("agentbook-evm-");
  memoryContract("EmbeddedVectorMemory on disk", {
    ranks: true,
    create: async () => new EmbeddedVectorMemory({ path: folder }),
    reopen: async () => new EmbeddedVectorMemory({ path: folder }),
    cleanup: async () => rmSync(folder, { recursive: true, force: true }),
  });
}

memoryContract("SQLiteMemory in process", { ranks: true, create: async () => new SQLiteMemory() });

{
  const folder = tempFolder("agentbook-sqlite-");
  memoryContract("SQLiteMemory on disk", {
    ranks: true,
    create: async () => new SQLiteMemory({ path: join(folder, "memory.db"), tableName: "facts" }),
    reopen: async () => new SQLiteMemory({ connectionString: `sqlite:///${join(folder, "memory.db")}`, tableName: "facts" }),
    cleanup: async () => rmSync(folder, { recursive: true, force: true }),
  });
}

{
  // A real Chroma server, started by the memory itself on a folder and stopped by close().
  const folder = tempFolder("agentbook-chroma-");
  memoryContract("ChromaDBVectorMemory with its own server", {
    ranks: true,
    create: async () => new ChromaDBVectorMemory({ collectionName: "contract", persistencePath: folder, startupTimeoutMs: 60_000 }),
    reopen: async () => new ChromaDBVectorMemory({ collectionName: "contract", persistencePath: folder, startupTimeoutMs: 60_000 }),
    cleanup: async () => rmSync(folder, { recursive: true, force: true }),
  });
}
