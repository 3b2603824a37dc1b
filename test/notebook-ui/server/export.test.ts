import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startFixture, type ServerFixture } from "./server-fixture.ts";

let fx: ServerFixture;
before(async () => {
  fx = await startFixture();
});
after(() => fx.close());

const post = (body: unknown) =>
  fetch(`${fx.server.baseUrl}agentbook/export`, {
    method: "POST",
    headers: { Authorization: `token ${fx.server.token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

test("exports the notebook on screen as the CLI's TypeScript module", async () => {
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", id: "a", metadata: {}, source: "# Title" },
      { cell_type: "code", id: "b", metadata: {}, execution_count: null, outputs: [], source: "const greeting: string = 'hello';\nconsole.log(greeting);" },
    ],
  };
  const response = await post({ path: "folder/My Notebook.ipynb", notebook });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { name: string; script: string };
  assert.equal(body.name, "My Notebook.ts");
  assert.match(body.script, /const greeting: string = 'hello';/);
  assert.match(body.script, /console\.log\(greeting\)/);
});

test("refuses what is not a notebook, naming the problem", async () => {
  const response = await post({ path: "x.ipynb", notebook: { cells: [] } });
  assert.equal(response.status, 400);
  assert.match(((await response.json()) as { message: string }).message, /Cannot export x\.ipynb: .*no nbformat version/);
});
