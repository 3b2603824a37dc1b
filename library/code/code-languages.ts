/** The languages the command-line executors run, after aliases are resolved. */
export type CodeLanguage = "python" | "bash" | "sh" | "javascript" | "typescript";

const ALIASES: Record<string, CodeLanguage> = {
  python: "python",
  python3: "python",
  py: "python",
  bash: "bash",
  shell: "bash",
  sh: "sh",
  javascript: "javascript",
  js: "javascript",
  node: "javascript",
  mjs: "javascript",
  typescript: "typescript",
  ts: "typescript",
};

/** Fence tags the command-line executors accept (aliases included). */
export const COMMAND_LINE_LANGUAGES: readonly string[] = Object.keys(ALIASES);

/** The canonical language of a fence tag ("py" -> "python"), or undefined when it is not supported. */
export function normalizeLanguage(tag: string): CodeLanguage | undefined {
  return ALIASES[tag.trim().toLowerCase()];
}

/**
 * The file extension to save `code` with. JavaScript is saved as an ES module (`.mjs`) unless it
 * only uses CommonJS (`require`, `module.exports`), so both styles run wherever the file sits.
 */
export function fileExtension(language: CodeLanguage, code: string): string {
  switch (language) {
    case "python":
      return "py";
    case "bash":
    case "sh":
      return "sh";
    case "typescript":
      return "ts";
    case "javascript": {
      const usesCommonJs = /\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w+\s*=/.test(code);
      const usesEsm = /^(import[\s{*"']|export\s|await\s)/m.test(code);
      return usesCommonJs && !usesEsm ? "cjs" : "mjs";
    }
  }
}
