import type { ServerResponse } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { HttpError } from "./http-error.ts";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".json": "application/json",
  ".ttf": "font/ttf",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/** Serve one file from `dir` (no path escapes: the name is normalised and must stay below `dir`). */
export async function sendStaticFile(response: ServerResponse, dir: string, name: string, extraHeaders: Record<string, string> = {}): Promise<void> {
  const path = normalize(join(dir, name));
  if (!path.startsWith(dir.endsWith(sep) ? dir : dir + sep)) throw new HttpError(404, `No such file: ${name}`);
  const stats = await stat(path).catch(() => null);
  if (!stats?.isFile()) throw new HttpError(404, `No such file: ${name}`);
  const body = await readFile(path);
  response.writeHead(200, {
    "Content-Type": CONTENT_TYPES[extname(path)] ?? "application/octet-stream",
    "Content-Length": body.length,
    "Cache-Control": "no-cache",
    "Last-Modified": stats.mtime.toUTCString(),
    "X-Content-Type-Options": "nosniff",
    ...extraHeaders,
  });
  response.end(body);
}
