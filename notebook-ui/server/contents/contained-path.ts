import { realpath } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { HttpError } from "../http-error.ts";

/**
 * Turn a contents-API path ("dir/nb.ipynb") into a file system path inside `root`, refusing
 * anything that could leave it: `..` segments, absolute paths, NUL and backslashes, hidden
 * names (".env", ".ipynb_checkpoints"), and symlinks that resolve outside the root.
 *
 * `root` must already be a real path (no symlinks in it).
 */
export async function containedPath(root: string, apiPath: string): Promise<string> {
  const segments = normalizeApiPath(apiPath).split("/").filter(Boolean);
  for (const segment of segments) {
    if (segment === ".." || segment === "." || segment.includes("\\") || segment.includes("\0"))
      throw new HttpError(400, `Path "${apiPath}" is not allowed: paths stay inside the notebook root (no "..", "." or backslashes).`);
    if (segment.startsWith(".")) throw new HttpError(404, `No such file or directory: ${apiPath} (hidden files are not served).`);
  }
  const target = join(root, ...segments);
  await assertRealPathInside(root, target, apiPath);
  return target;
}

/** The API path with surrounding slashes removed ("" is the root). */
export function normalizeApiPath(apiPath: string): string {
  return apiPath.replace(/^\/+|\/+$/g, "");
}

/** Whether `child` is `root` itself or below it. */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/** Resolve the longest existing prefix of `target` through symlinks and make sure it stays inside `root`. */
async function assertRealPathInside(root: string, target: string, apiPath: string): Promise<void> {
  let probe = target;
  for (;;) {
    try {
      const real = await realpath(probe);
      if (!isInside(root, real)) throw new HttpError(403, `Path "${apiPath}" resolves outside the notebook root; symlinks may not lead out of it.`);
      return;
    } catch (error) {
      if (error instanceof HttpError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
      const parent = dirname(probe);
      if (parent === probe) return;
      probe = parent;
    }
  }
}
