import type { Chunker } from "./chunker.ts";
import type { Chunk, Document } from "./document.ts";
import type { RecursiveChunkerOptions } from "./recursive-chunker.ts";
import { RecursiveChunker } from "./recursive-chunker.ts";

/** One heading-delimited part of a markdown text. */
export interface MarkdownSection {
  /** The heading path down to this section: ["Guide", "Install", "Linux"]. */
  headings: string[];
  /** The section's text, its heading line included. */
  text: string;
}

/** Split markdown at its headings (`#` to `######`, not inside ``` fences). */
export function markdownSections(markdown: string): MarkdownSection[] {
  const sections: MarkdownSection[] = [];
  const path: string[] = [];
  let lines: string[] = [];
  let inFence = false;
  const flush = () => {
    const text = lines.join("\n").trim();
    if (text) sections.push({ headings: [...path], text });
    lines = [];
  };
  for (const line of markdown.split("\n")) {
    if (/^\s{0,3}(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const level = heading[1]!.length;
      path.length = Math.min(path.length, level - 1);
      while (path.length < level - 1) path.push("");
      path.push(heading[2]!);
    }
    lines.push(line);
  }
  flush();
  return sections.map((section) => ({ ...section, headings: section.headings.filter(Boolean) }));
}

/**
 * Chunks markdown along its structure: one chunk per section under a heading, sections longer
 * than `chunkSize` cut further with the recursive chunker. Each chunk carries its heading
 * path as `metadata.headings` and `metadata.section` ("Guide > Install").
 */
export class MarkdownChunker implements Chunker {
  readonly #inner: RecursiveChunker;

  constructor(options: RecursiveChunkerOptions = {}) {
    this.#inner = new RecursiveChunker(options);
  }

  chunk(document: Document): Chunk[] {
    const chunks: Chunk[] = [];
    for (const section of markdownSections(document.text))
      for (const text of this.#inner.split(section.text))
        chunks.push({
          text,
          metadata: {
            ...document.metadata,
            source: document.source,
            chunkIndex: chunks.length,
            headings: section.headings,
            section: section.headings.join(" > "),
          },
        });
    return chunks;
  }
}
