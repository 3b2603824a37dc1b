import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmbeddedVectorMemory, ListMemory } from "agentbook";
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
