import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { htmlToText, loadDirectory, loadHtml, loadJson, loadMarkdown, loadText, UserError } from "agentbook";

describe("document loaders", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "agentbook-load-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("load text and markdown, with the first heading as the title", async () => {
    writeFileSync(join(dir, "notes.txt"), "plain words");
    writeFileSync(join(dir, "guide.md"), "Intro line\n\n# Getting started\n\nInstall it.");
    assert.deepEqual(await loadText(join(dir, "notes.txt")), { source: join(dir, "notes.txt"), text: "plain words", metadata: { format: "text" } });
    const guide = await loadMarkdown(join(dir, "guide.md"), { source: "guide.md", metadata: { team: "docs" } });
    assert.deepEqual(guide.metadata, { title: "Getting started", team: "docs", format: "markdown" });
    assert.equal(guide.source, "guide.md");
    await assert.rejects(loadText(join(dir, "missing.txt")), (error: Error) => error instanceof UserError && /missing\.txt: ENOENT/.test(error.message));
  });

  it("turn HTML into the text a reader sees", async () => {
    const html = `<html><head><title>Q&amp;A</title><style>p{color:red}</style></head><body>
      <script>alert("x")</script><!-- hidden --><h2>Plans &mdash; prices</h2><p>Starter&nbsp;costs &euro;8 &lt;per user&gt;.</p>
      <ul><li>One</li><li>Two &#x2713;</li></ul><table><tr><td>a</td><td>b</td></tr></table></body></html>`;
    assert.equal(htmlToText(html), "## Plans — prices\n\nStarter costs €8 <per user>.\n\n- One\n- Two ✓\n\na b");
    writeFileSync(join(dir, "page.html"), html);
    const page = await loadHtml(join(dir, "page.html"));
    assert.equal(page.metadata.title, "Q&A");
    assert.doesNotMatch(page.text, /alert|color:red|hidden/);
  });

  it("load JSON arrays and JSON Lines as one document per record", async () => {
    writeFileSync(join(dir, "faq.json"), JSON.stringify([{ q: "Refunds?", a: "Within 14 days.", id: 7 }, { q: "Shipping?", a: "3 days.", id: 8 }]));
    const faq = await loadJson(join(dir, "faq.json"), { source: "faq.json", textFields: ["q", "a"], metadataFields: ["id"] });
    assert.deepEqual(faq, [
      { source: "faq.json#0", text: "Refunds?\nWithin 14 days.", metadata: { format: "json", id: 7 } },
      { source: "faq.json#1", text: "Shipping?\n3 days.", metadata: { format: "json", id: 8 } },
    ]);
    writeFileSync(join(dir, "log.jsonl"), '{"m":"a"}\n\n{"m":"b"}\n');
    assert.deepEqual((await loadJson(join(dir, "log.jsonl"), { textFields: ["m"] })).map((d) => d.text), ["a", "b"]);
    writeFileSync(join(dir, "one.json"), '{"m":"only"}');
    assert.equal((await loadJson(join(dir, "one.json")))[0]!.source, join(dir, "one.json"));
    writeFileSync(join(dir, "bad.json"), "{nope");
    await assert.rejects(loadJson(join(dir, "bad.json")), /bad\.json is not valid JSON/);
  });

  it("load a folder by globs, with relative sources, never following links out of it", async () => {
    const kb = join(dir, "kb");
    mkdirSync(join(kb, "guides", "deep"), { recursive: true });
    mkdirSync(join(kb, "node_modules", "x"), { recursive: true });
    mkdirSync(join(kb, ".git"), { recursive: true });
    writeFileSync(join(kb, "index.md"), "# Home");
    writeFileSync(join(kb, "guides", "a.md"), "# A");
    writeFileSync(join(kb, "guides", "deep", "b.html"), "<p>B</p>");
    writeFileSync(join(kb, "guides", "c.txt"), "C");
    writeFileSync(join(kb, "node_modules", "x", "readme.md"), "dependency");
    writeFileSync(join(kb, ".git", "notes.md"), "git");
    writeFileSync(join(kb, "image.png"), "binary");
    const outside = join(dir, "secret.md");
    writeFileSync(outside, "secret");
    symlinkSync(outside, join(kb, "link.md"));

    const all = await loadDirectory(kb);
    assert.deepEqual(all.map((d) => d.source), ["guides/a.md", "guides/c.txt", "guides/deep/b.html", "index.md"]);
    assert.equal(all[2]!.text, "B");
    const markdownOnly = await loadDirectory(kb, { include: "**/*.md", exclude: ["guides/**"], metadata: { kb: true } });
    assert.deepEqual(markdownOnly.map((d) => [d.source, d.metadata.kb]), [["index.md", true]]);
    await assert.rejects(loadDirectory(kb, { maxFiles: 2 }), /more than 2 matching files/);
    await assert.rejects(loadDirectory(join(dir, "nope")), /Cannot open folder/);
  });
});
