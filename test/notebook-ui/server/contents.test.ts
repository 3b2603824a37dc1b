import assert from "node:assert/strict";
import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startFixture, type ServerFixture } from "./server-fixture.ts";

const notebook = (sources: string[]) => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: sources.map((source, index) => ({
    cell_type: "code",
    id: `cell-${index}`,
    source,
    metadata: {},
    execution_count: index + 1,
    outputs: [{ output_type: "stream", name: "stdout", text: `line one ${index}\nline two\n` }],
  })),
});

describe("contents API through @jupyterlab/services", () => {
  let fx: ServerFixture;
  before(async () => {
    fx = await startFixture();
  });
  after(() => fx.close());

  test("creates, lists, reads, renames and deletes notebooks, files and folders", async () => {
    const created = await fx.contents.newUntitled({ type: "notebook" });
    assert.equal(created.path, "Untitled.ipynb");
    const second = await fx.contents.newUntitled({ type: "notebook" });
    assert.equal(second.path, "Untitled1.ipynb");
    const folder = await fx.contents.newUntitled({ type: "directory" });
    assert.equal(folder.type, "directory");
    const file = await fx.contents.newUntitled({ type: "file", ext: ".ts", path: folder.path });
    assert.equal(file.path, `${folder.path}/Untitled.ts`);

    await writeFile(join(fx.root, ".env"), "OPENAI_API_KEY=secret\n");
    const listing = await fx.contents.get("");
    const names = (listing.content as Array<{ name: string }>).map((entry) => entry.name);
    assert.deepEqual(names, ["Untitled Folder", "Untitled.ipynb", "Untitled1.ipynb"], "hidden files are not listed");

    const renamed = await fx.contents.rename("Untitled1.ipynb", "Untitled Folder/moved.ipynb");
    assert.equal(renamed.path, "Untitled Folder/moved.ipynb");
    const read = await fx.contents.get("Untitled Folder/moved.ipynb");
    assert.equal(read.type, "notebook");
    assert.deepEqual((read.content as { cells: unknown[] }).cells, []);

    await assert.rejects(fx.contents.rename("Untitled.ipynb", "Untitled Folder/moved.ipynb"), /already exists/);
    await assert.rejects(fx.contents.delete("Untitled Folder"), /not empty/);
    await fx.contents.delete("Untitled Folder/moved.ipynb");
    await fx.contents.delete("Untitled Folder/Untitled.ts");
    await fx.contents.delete("Untitled Folder");
    await assert.rejects(fx.contents.get("Untitled Folder"), /No such file/);

    const copy = await fx.contents.copy("Untitled.ipynb", "");
    assert.equal(copy.path, "Untitled-Copy1.ipynb");
  });

  test("saves text and binary files and reads them back in the format they need", async () => {
    await fx.contents.save("notes.md", { type: "file", format: "text", content: "# Notes\n" });
    const text = await fx.contents.get("notes.md");
    assert.equal(text.content, "# Notes\n");
    assert.equal(text.format, "text");
    assert.equal(text.mimetype, "text/markdown");
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00, 0xfe]);
    await fx.contents.save("dot.png", { type: "file", format: "base64", content: png.toString("base64") });
    const binary = await fx.contents.get("dot.png");
    assert.equal(binary.format, "base64");
    assert.deepEqual(Buffer.from(binary.content as string, "base64"), png);
  });

  test("saves notebooks atomically as nbformat writes them, and keeps a checkpoint", async () => {
    await fx.contents.save("atomic.ipynb", { type: "notebook", content: notebook(["1 + 1"]) });
    const onDisk = await readFile(join(fx.root, "atomic.ipynb"), "utf8");
    assert.match(onDisk, /^\{\n "cells": \[/, "one-space indent, keys sorted");
    assert.match(onDisk, /"text": \[\n\s+"line one 0\\n",\n\s+"line two\\n"\n\s+\]/, "multi-line text stored as a list of lines");
    const back = await fx.contents.get("atomic.ipynb");
    const cell = (back.content as ReturnType<typeof notebook>).cells[0]!;
    assert.equal(cell.outputs[0]!.text, "line one 0\nline two\n", "clients get joined strings");

    // Readers never see a half-written notebook while big saves happen.
    const big = notebook(Array.from({ length: 300 }, (_, index) => `const value${index} = ${"x".repeat(2000)};`));
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        JSON.parse(await readFile(join(fx.root, "atomic.ipynb"), "utf8"));
        reads++;
      }
    })();
    for (let round = 0; round < 15; round++) {
      big.cells[0]!.source = `round ${round}`;
      await fx.contents.save("atomic.ipynb", { type: "notebook", content: big });
    }
    writing = false;
    await reader;
    assert.ok(reads > 0);
    const leftovers = (await readdir(fx.root)).filter((name) => name.endsWith(".tmp"));
    assert.deepEqual(leftovers, [], "no temporary files are left behind");

    // The first overwrite kept the original as the checkpoint; restoring brings it back.
    const checkpoints = await fx.contents.listCheckpoints("atomic.ipynb");
    assert.equal(checkpoints.length, 1);
    await fx.contents.restoreCheckpoint("atomic.ipynb", checkpoints[0]!.id);
    const restored = await fx.contents.get("atomic.ipynb");
    assert.equal((restored.content as ReturnType<typeof notebook>).cells[0]!.source, "1 + 1");
    const fresh = await fx.contents.createCheckpoint("atomic.ipynb");
    assert.equal(fresh.id, checkpoints[0]!.id);
  });

  test("reports a notebook that fails to parse and never overwrites it", async () => {
    const broken = '{"cells": [ {"cell_type": "code", "source": "oops" ';
    await writeFile(join(fx.root, "broken.ipynb"), broken);
    await assert.rejects(fx.contents.get("broken.ipynb"), /Unreadable notebook broken\.ipynb: not valid JSON/);
    await assert.rejects(
      fx.contents.save("broken.ipynb", { type: "notebook", content: notebook(["replaced"]) }),
      /will not overwrite it/,
    );
    assert.equal(await readFile(join(fx.root, "broken.ipynb"), "utf8"), broken);
    await writeFile(join(fx.root, "old.ipynb"), JSON.stringify({ nbformat: 3, worksheets: [] }));
    await assert.rejects(fx.contents.get("old.ipynb"), /nbformat 3 is not supported/);
    await assert.rejects(fx.contents.save("bad.ipynb", { type: "notebook", content: { cells: "no" } }), /not an nbformat 4 notebook/);
  });
});

describe("contents API stays inside its root", () => {
  let fx: ServerFixture;
  let outside: string;
  before(async () => {
    fx = await startFixture();
    outside = join(fx.root, "..", `outside-${process.pid}-${Date.now()}`);
    await mkdir(outside);
    await writeFile(join(outside, "secret.txt"), "top secret");
    await symlink(outside, join(fx.root, "escape"));
    await mkdir(join(fx.root, "inner"));
    await writeFile(join(fx.root, "inner", "ok.txt"), "fine");
    await symlink(join(fx.root, "inner"), join(fx.root, "inner-link"));
  });
  after(async () => {
    await fx.close();
    const { rm } = await import("node:fs/promises");
    await rm(outside, { recursive: true, force: true });
  });

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${fx.server.baseUrl}api/contents/${path}`, { ...init, headers: { Authorization: `token ${fx.server.token}`, ...init.headers } });

  test("refuses .. in any spelling", async () => {
    for (const path of ["..%2Fsecret.txt", "inner/..%2F..%2Fsecret.txt", "inner%2F%2E%2E%2F%2E%2E%2Fx", "inner%5C..%5C..%5Cx"]) {
      const response = await api(path);
      assert.equal(response.status, 400, path);
      assert.match(((await response.json()) as { message: string }).message, /stay inside the notebook root/);
    }
    await assert.rejects(fx.contents.rename("inner/ok.txt", "../stolen.txt"), /stay inside the notebook root/);
  });

  test("refuses symlinks that lead out, follows those that stay in", async () => {
    const read = await api("escape/secret.txt");
    assert.equal(read.status, 403);
    assert.match(((await read.json()) as { message: string }).message, /resolves outside the notebook root/);
    const write = await api("escape/new.txt", { method: "PUT", body: JSON.stringify({ type: "file", format: "text", content: "x" }) });
    assert.equal(write.status, 403);
    const names = ((await fx.contents.get("")).content as Array<{ name: string }>).map((entry) => entry.name);
    assert.ok(!names.includes("escape"), "a link out of the root is not listed");
    assert.equal((await fx.contents.get("inner-link/ok.txt")).content, "fine");
  });

  test("does not serve hidden files", async () => {
    await writeFile(join(fx.root, ".env"), "OPENAI_API_KEY=sk-secret");
    assert.equal((await api(".env")).status, 404);
  });
});
