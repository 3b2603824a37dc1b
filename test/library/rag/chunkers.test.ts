import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MarkdownChunker, markdownSections, RecursiveChunker, UserError } from "agentbook";

const paragraph = (n: number) => `Paragraph ${n} talks about topic ${n}. It has a second sentence about ${n}.`;

describe("RecursiveChunker", () => {
  it("keeps chunks under chunkSize, cuts at paragraphs first, and overlaps neighbours", () => {
    const text = Array.from({ length: 12 }, (_, i) => paragraph(i)).join("\n\n");
    const chunker = new RecursiveChunker({ chunkSize: 200, chunkOverlap: 80 });
    const chunks = chunker.chunk({ source: "doc.md", text, metadata: { lang: "en" } });
    assert.ok(chunks.length > 3);
    for (const chunk of chunks) {
      assert.ok(chunk.text.length <= 200, `chunk of ${chunk.text.length}`);
      assert.match(chunk.text, /^Paragraph \d+/, "a chunk starts at a paragraph");
    }
    chunks.forEach((chunk, index) => assert.deepEqual(chunk.metadata, { lang: "en", source: "doc.md", chunkIndex: index }));
    // Neighbours share a paragraph, so nothing cut at a border is lost.
    for (let i = 1; i < chunks.length; i++) {
      const firstOfNext = chunks[i]!.text.split("\n\n")[0]!;
      assert.ok(chunks[i - 1]!.text.includes(firstOfNext), `chunk ${i} starts with the end of chunk ${i - 1}`);
    }
    for (let i = 0; i < 12; i++) assert.ok(chunks.some((chunk) => chunk.text.includes(paragraph(i))), `paragraph ${i} is whole somewhere`);
  });

  it("falls back to sentences, words and characters for long runs", () => {
    const chunker = new RecursiveChunker({ chunkSize: 50, chunkOverlap: 0 });
    assert.deepEqual(chunker.split("One two three. Four five six. Seven eight nine. Ten eleven twelve."), [
      "One two three. Four five six. Seven eight nine.",
      "Ten eleven twelve.",
    ]);
    const pieces = chunker.split("x".repeat(120));
    assert.deepEqual(pieces.map((p) => p.length), [50, 50, 20]);
    assert.deepEqual(chunker.split("short"), ["short"]);
  });

  it("refuses an overlap as large as the chunk", () => {
    assert.throws(() => new RecursiveChunker({ chunkSize: 100, chunkOverlap: 100 }), UserError);
    assert.throws(() => new RecursiveChunker({ chunkSize: 0 }), /chunkSize/);
  });
});

describe("MarkdownChunker", () => {
  const markdown = [
    "Preface text.",
    "# Guide",
    "Welcome.",
    "## Install",
    "Run the installer.",
    "```sh",
    "# not a heading, a shell comment",
    "npm install agentbook",
    "```",
    "### Linux",
    "Use the AppImage.",
    "## Use",
    "Open a notebook.",
  ].join("\n");

  it("splits at headings (not inside code fences) and records the heading path", () => {
    const sections = markdownSections(markdown);
    assert.deepEqual(sections.map((s) => s.headings), [[], ["Guide"], ["Guide", "Install"], ["Guide", "Install", "Linux"], ["Guide", "Use"]]);
    assert.match(sections[2]!.text, /# not a heading, a shell comment/);

    const chunks = new MarkdownChunker({ chunkSize: 500 }).chunk({ source: "guide.md", text: markdown, metadata: {} });
    assert.equal(chunks.length, 5);
    assert.deepEqual(chunks[3]!.metadata, { source: "guide.md", chunkIndex: 3, headings: ["Guide", "Install", "Linux"], section: "Guide > Install > Linux" });
    assert.equal(chunks[3]!.text, "### Linux\nUse the AppImage.");
  });

  it("cuts a long section further, every piece keeping its headings", () => {
    const long = `# Big\n\n${Array.from({ length: 10 }, (_, i) => paragraph(i)).join("\n\n")}`;
    const chunks = new MarkdownChunker({ chunkSize: 150, chunkOverlap: 0 }).chunk({ source: "big.md", text: long, metadata: {} });
    assert.ok(chunks.length >= 5);
    assert.ok(chunks.every((chunk) => chunk.metadata.section === "Big" && chunk.text.length <= 150));
  });
});
