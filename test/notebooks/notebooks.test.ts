// The bundled tutorial notebooks as committed: the agentbook kernelspec, outputs saved so they
// read well before anyone runs them (no errors, no machine paths), and those outputs showing what
// the prose promises. Each notebook is also run and exported in its own test file beside this one.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { assertCleanOutputs, EXPECTATIONS, NOTEBOOKS, type NotebookJson } from "./notebook-checks.ts";

describe("bundled notebooks as committed", () => {
  test("the tutorials 01 to 05 are all there, each with its own test file", () => {
    const notebooks = readdirSync(NOTEBOOKS);
    const testFiles = readdirSync(new URL(".", import.meta.url));
    for (const name of Object.keys(EXPECTATIONS)) {
      assert.ok(notebooks.includes(name), `notebooks/${name}`);
      assert.ok(testFiles.includes(name.replace(/\.ipynb$/, ".test.ts")), `test/notebooks/${name.replace(/\.ipynb$/, ".test.ts")}`);
    }
  });

  for (const name of Object.keys(EXPECTATIONS)) {
    test(`${name} carries the agentbook kernelspec and saved outputs that show what its prose promises`, () => {
      const notebook = JSON.parse(readFileSync(join(NOTEBOOKS, name), "utf8")) as NotebookJson;
      assert.deepEqual(notebook.metadata.kernelspec, { display_name: "TypeScript (agentbook)", language: "typescript", name: "agentbook" });
      assert.equal(notebook.metadata.language_info?.name, "typescript");
      assertCleanOutputs(notebook, `${name} as committed`);
      EXPECTATIONS[name]!.outputs(notebook);
    });
  }
});
