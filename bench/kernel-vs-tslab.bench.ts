/**
 * The agentbook kernel against tslab 1.0.22, in the same run, through the same ZeroMQ client:
 * kernel start to first result, a trivial cell's round trip, and a 50-cell notebook.
 * Run: node --import tsx bench/kernel-vs-tslab.bench.ts [rounds]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KernelConnection } from "../kernel/client/kernel-connection.ts";
import { agentbookKernelSpec } from "../kernel/kernelspec.ts";
import { percentile } from "./stats.ts";

const rounds = Number(process.argv[2] ?? 5);
const require = createRequire(import.meta.url);
const kernels = [
  { name: "agentbook", argv: agentbookKernelSpec().argv },
  { name: "tslab 1.0.22", argv: [process.execPath, join(require.resolve("tslab/package.json"), "..", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"] },
];

/** 50 cells that build state across cells, the way a tutorial notebook does. */
function fiftyCells(): string[] {
  const cells: string[] = ["interface Row { id: number; label: string; score: number }", "const rows: Row[] = [];"];
  for (let i = 0; cells.length < 48; i++) {
    cells.push(`function make${i}(n: number): Row { return { id: n, label: "row " + n, score: n * ${i + 1} }; }`);
    cells.push(`for (let n = 0; n < 20; n++) rows.push(make${i}(n));\nconst total${i} = rows.reduce((sum, row) => sum + row.score, 0);\ntotal${i}`);
  }
  cells.push("console.log(rows.length);", "rows.filter((row) => row.score > 100).length");
  return cells;
}

async function measure(argv: string[], cwd: string) {
  const started = performance.now();
  const kernel = await KernelConnection.start({ cwd, argv, timeoutMs: 120_000 });
  const ready = performance.now();
  await kernel.execute("1 + 1");
  const firstResult = performance.now();
  const trips: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await kernel.execute(`${i} + 1`);
    trips.push(performance.now() - t);
  }
  await kernel.shutdown();
  const notebookStart = performance.now();
  const notebookKernel = await KernelConnection.start({ cwd, argv, timeoutMs: 120_000 });
  for (const cell of fiftyCells()) {
    const reply = await notebookKernel.execute(cell);
    if (reply.content.status !== "ok") throw new Error(`cell failed: ${cell}\n${JSON.stringify(reply.content)}`);
  }
  const notebookDone = performance.now();
  await notebookKernel.shutdown();
  return { ready: ready - started, firstResult: firstResult - started, trip: percentile(trips, 50), notebook: notebookDone - notebookStart };
}

const folder = mkdtempSync(join(tmpdir(), "agentbook-bench-"));
writeFileSync(join(folder, "package.json"), JSON.stringify({ name: "bench", private: true, type: "module" }));
type Measures = Awaited<ReturnType<typeof measure>>;
const results = new Map<string, Measures[]>();
try {
  // Interleaved rounds, so machine load drifts hit both kernels alike.
  for (let round = 0; round < rounds; round++)
    for (const kernel of kernels) {
      const list = results.get(kernel.name) ?? [];
      list.push(await measure(kernel.argv, folder));
      results.set(kernel.name, list);
    }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

const median = (name: string, key: keyof Measures) => percentile(results.get(name)!.map((entry) => entry[key]), 50);
const rows: Array<[string, keyof Measures]> = [
  ["kernel start to kernel_info ready (ms)", "ready"],
  ["kernel start to first result (ms)", "firstResult"],
  ["trivial cell round trip, p50 (ms)", "trip"],
  ["50-cell notebook, start to last reply (ms)", "notebook"],
];
console.log(`medians of ${rounds} rounds; ratio = agentbook / tslab (below 1 is faster)`);
console.log(["measure".padEnd(44), "agentbook".padStart(10), "tslab".padStart(10), "ratio".padStart(7)].join(" "));
for (const [label, key] of rows) {
  const ours = median("agentbook", key);
  const theirs = median("tslab 1.0.22", key);
  console.log([label.padEnd(44), ours.toFixed(0).padStart(10), theirs.toFixed(0).padStart(10), (ours / theirs).toFixed(2).padStart(7)].join(" "));
}
