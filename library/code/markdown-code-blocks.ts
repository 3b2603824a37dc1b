import type { CodeBlock } from "./code-block.ts";

const OPENING_FENCE = /^([ \t]*)(`{3,}|~{3,})[ \t]*([^`\s]*)[^`]*$/;

/**
 * The fenced code blocks (``` or ~~~) of a markdown text, in order. The language is the first
 * word of the fence's info string, lower-cased ("" when there is none); an unclosed fence is
 * not a block. A fence indented inside a list keeps its code with that indentation removed.
 */
export function extractMarkdownCodeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const opening = OPENING_FENCE.exec(lines[i]!);
    if (!opening) continue;
    const [, indent, fence, info] = opening as unknown as [string, string, string, string];
    const closing = new RegExp(`^[ \\t]*${fence[0] === "`" ? "`" : "~"}{${fence.length},}[ \\t]*$`);
    let end = i + 1;
    while (end < lines.length && !closing.test(lines[end]!)) end++;
    if (end >= lines.length) break;
    const body = lines.slice(i + 1, end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()));
    blocks.push({ code: body.join("\n"), language: info.toLowerCase() });
    i = end;
  }
  return blocks;
}
