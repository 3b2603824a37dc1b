import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";

/** `# filename: x.py`, `// filename: x.ts`, `/* filename: x.js *\/` or `<!-- filename: x.html -->` on a block's first line. */
const FILENAME_LINE = /^\s*(?:#|\/\/|\/\*|<!--)\s*filename:\s*(.+?)\s*(?:\*\/|-->)?\s*$/i;

/**
 * The file name a block asks to be saved as, from AutoGen's first-line convention
 * (`# filename: plot.py`), or undefined when the first line does not name one.
 */
export function fileNameFromCode(code: string): string | undefined {
  const firstLine = code.split("\n", 1)[0] ?? "";
  return FILENAME_LINE.exec(firstLine)?.[1];
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** The real path of `path`, resolving symlinks of its nearest existing ancestor. */
function realPathOfNearestAncestor(path: string): string {
  let existing = path;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const real = realpathSync(existing);
  return resolve(real, relative(existing, path));
}

/**
 * The absolute path of `name` inside `root`, or undefined when it would land outside
 * (`..`, an absolute path elsewhere, or a symlink that leads out).
 */
export function pathInside(root: string, name: string): string | undefined {
  const absoluteRoot = resolve(root);
  const target = resolve(absoluteRoot, name);
  if (!isInside(absoluteRoot, target)) return undefined;
  if (!isInside(realpathSync(absoluteRoot), realPathOfNearestAncestor(target))) return undefined;
  return target;
}
