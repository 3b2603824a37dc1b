import assert from "node:assert/strict";
import { test } from "node:test";
import { extractMarkdownCodeBlocks } from "agentbook";

test("fenced blocks come out in order with their language, lower-cased", () => {
  const text = [
    "Here is the plan:",
    "```Python",
    "print('a')",
    "",
    "print('b')",
    "```",
    "then",
    "~~~sh",
    "echo hi",
    "~~~",
    "```",
    "no language",
    "```",
  ].join("\n");
  assert.deepEqual(extractMarkdownCodeBlocks(text), [
    { language: "python", code: "print('a')\n\nprint('b')" },
    { language: "sh", code: "echo hi" },
    { language: "", code: "no language" },
  ]);
});

test("a fence inside a list loses the list's indentation; inline backticks and unclosed fences are not blocks", () => {
  const text = "1. Run this:\n   ```bash\n   ls -la\n     indented\n   ```\nInline ```python print(1)``` is text.\n```python\nnever closed";
  assert.deepEqual(extractMarkdownCodeBlocks(text), [{ language: "bash", code: "ls -la\n  indented" }]);
});

test("a longer fence can hold a shorter one, and Windows line endings work", () => {
  const text = "````markdown\n```python\nx = 1\n```\n````\r\n```js {title=x}\r\nconsole.log(1)\r\n```";
  assert.deepEqual(extractMarkdownCodeBlocks(text), [
    { language: "markdown", code: "```python\nx = 1\n```" },
    { language: "js", code: "console.log(1)" },
  ]);
});
