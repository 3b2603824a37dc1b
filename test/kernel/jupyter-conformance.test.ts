// Through real Jupyter: `agentbook kernel install --prefix` writes a kernelspec that Jupyter lists,
// and `jupyter nbconvert --execute` runs a notebook on our kernel with the outputs Jupyter expects.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { stripAnsi } from "../../kernel/evaluator/traceback.ts";
import { CLI_PATH } from "../../kernel/kernelspec.ts";

const NBCONVERT = "/usr/bin/jupyter-nbconvert";
const skip = existsSync(NBCONVERT) ? false : "Debian's jupyter-nbconvert is not installed (npm test installs it)";

/** nbformat stores multi-line strings as lists of lines; join them back. */
function joined(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 && value.every((item) => typeof item === "string") ? value.join("") : value.map(joined);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, joined(item)]));
  return value;
}

function code(source: string, tags: string[] = []) {
  return { cell_type: "code", source, metadata: tags.length ? { tags } : {}, outputs: [], execution_count: null };
}

describe("real Jupyter", { skip }, () => {
  let folder: string;
  let env: NodeJS.ProcessEnv;

  before(() => {
    folder = mkdtempSync(join(tmpdir(), "agentbook-jupyter-"));
    for (const name of ["data", "config", "runtime"]) mkdirSync(join(folder, name));
    // Nothing outside the temporary folder is read or changed.
    env = {
      ...process.env,
      JUPYTER_PATH: join(folder, "prefix", "share", "jupyter"),
      JUPYTER_DATA_DIR: join(folder, "data"),
      JUPYTER_CONFIG_DIR: join(folder, "config"),
      JUPYTER_RUNTIME_DIR: join(folder, "runtime"),
      JUPYTER_PLATFORM_DIRS: "0",
    };
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  test("agentbook kernel install --prefix writes a kernelspec Jupyter lists", () => {
    const install = spawnSync(process.execPath, [CLI_PATH, "kernel", "install", "--prefix", join(folder, "prefix")], { env, encoding: "utf8", timeout: 60_000 });
    assert.equal(install.status, 0, install.stderr);
    const listed = spawnSync("jupyter", ["kernelspec", "list", "--json"], { env, encoding: "utf8", timeout: 60_000 });
    assert.equal(listed.status, 0, listed.stderr);
    const spec = JSON.parse(listed.stdout).kernelspecs.agentbook;
    assert.ok(spec, listed.stdout);
    assert.equal(spec.spec.display_name, "TypeScript (agentbook)");
    assert.equal(spec.spec.language, "typescript");
    assert.equal(spec.spec.interrupt_mode, "message");
    assert.ok(spec.spec.argv.includes("{connection_file}"));
  });

  test("nbconvert --execute runs a notebook: results with counts, display data, errors", () => {
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "agentbook", display_name: "TypeScript (agentbook)", language: "typescript" } },
      cells: [
        { cell_type: "markdown", source: "# A notebook", metadata: {} },
        code("interface Item { name: string; price: number }\nconst items: Item[] = [{ name: 'tea', price: 3 }, { name: 'cake', price: 4 }];"),
        code("const total = items.reduce((sum, item) => sum + item.price, 0);\nconsole.log('items:', items.length);\ntotal"),
        code("display.html('<b>total</b>');\ndisplay.markdown(`**${total}**`);"),
        code("items.find((item) => item.name === 'pie')!.price"),
        code("total * 2"),
      ].map((cell, index) => ({ id: `cell-${index}`, ...cell })),
    };
    const input = join(folder, "input.ipynb");
    writeFileSync(input, JSON.stringify(notebook));
    const run = spawnSync(
      "jupyter",
      ["nbconvert", "--execute", "--to", "notebook", "--allow-errors", "--ExecutePreprocessor.timeout=120", "--output", "output.ipynb", input],
      { env, encoding: "utf8", timeout: 180_000, cwd: folder },
    );
    assert.equal(run.status, 0, run.stderr);
    const executed = joined(JSON.parse(readFileSync(join(folder, "output.ipynb"), "utf8"))) as { cells: any[] };
    const cells = executed.cells.filter((cell: { cell_type: string }) => cell.cell_type === "code");
    assert.deepEqual(cells.map((cell: { execution_count: number }) => cell.execution_count), [1, 2, 3, 4, 5]);
    assert.deepEqual(cells[0].outputs, []);
    assert.deepEqual(cells[1].outputs, [
      { output_type: "stream", name: "stdout", text: "items: 2\n" },
      { output_type: "execute_result", execution_count: 2, data: { "text/plain": "7" }, metadata: {} },
    ]);
    assert.deepEqual(
      cells[2].outputs.map((output: { output_type: string; data: Record<string, string> }) => [output.output_type, output.data]),
      [
        ["display_data", { "text/html": "<b>total</b>", "text/plain": "total" }],
        ["display_data", { "text/markdown": "**7**", "text/plain": "**7**" }],
      ],
    );
    const [error] = cells[3].outputs;
    assert.equal(error.output_type, "error");
    assert.equal(error.ename, "TypeError");
    assert.match(error.evalue, /Cannot read properties of undefined \(reading 'price'\)/);
    assert.match(stripAnsi(String(error.traceback)), /Cell In\[4\], line 1/);
    // With --allow-errors the next cell still runs, and state from before the error is there.
    assert.deepEqual(cells[4].outputs, [{ output_type: "execute_result", execution_count: 5, data: { "text/plain": "14" }, metadata: {} }]);
  });

  test("without --allow-errors, nbconvert stops at the failing cell", () => {
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "agentbook", display_name: "TypeScript (agentbook)", language: "typescript" } },
      cells: [code("throw new Error('stop here')"), code("console.log('not reached')")].map((cell, index) => ({ id: `c${index}`, ...cell })),
    };
    const input = join(folder, "failing.ipynb");
    writeFileSync(input, JSON.stringify(notebook));
    const run = spawnSync("jupyter", ["nbconvert", "--execute", "--to", "notebook", "--output", "failing-out.ipynb", input], { env, encoding: "utf8", timeout: 180_000, cwd: folder });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /stop here/);
  });
});
