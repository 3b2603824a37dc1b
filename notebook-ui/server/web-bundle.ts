/**
 * Builds the front end with esbuild when the bundle is missing or older than its sources, so a
 * fresh clone needs only `npm install` before `agentbook open`. Two bundles: the app (Lit
 * components, renderers, the Jupyter client) and Monaco with its worker, which the app loads
 * only when the first editor is needed.
 */
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Folder of the front end sources (index.html, src/). */
export const WEB_DIR = fileURLToPath(new URL("../web/", import.meta.url));
/** Folder the bundles are written to and served from (under /static/). */
export const BUILD_DIR = join(WEB_DIR, "build");

const STAMP = "build-stamp.json";
const LOCK = join(WEB_DIR, ".build.lock");

async function newestSourceTime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestSourceTime(path));
    else newest = Math.max(newest, (await stat(path)).mtimeMs);
  }
  return newest;
}

async function sourceStamp(): Promise<string> {
  const sources = Math.max(
    await newestSourceTime(join(WEB_DIR, "src")),
    (await stat(fileURLToPath(import.meta.url))).mtimeMs,
  );
  const lock = await stat(fileURLToPath(new URL("../../package-lock.json", import.meta.url))).catch(() => null);
  return JSON.stringify({ sources, lock: lock?.mtimeMs ?? 0 });
}

async function isFresh(stamp: string): Promise<boolean> {
  const built = await readFile(join(BUILD_DIR, STAMP), "utf8").catch(() => null);
  return built === stamp;
}

async function withLock<T>(work: () => Promise<T>, timeoutMs = 180_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      const handle = await open(LOCK, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = Date.now() - ((await stat(LOCK).catch(() => null))?.mtimeMs ?? Date.now());
      if (age > timeoutMs) await rm(LOCK, { force: true });
      else if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for another front end build (lock ${LOCK}); delete the lock if no build is running.`);
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await work();
  } finally {
    await rm(LOCK, { force: true });
  }
}

/** Build options shared by the app and by the browser tests, which bundle components the same way. */
export const ESBUILD_COMMON = {
  bundle: true,
  target: "es2022",
  platform: "browser",
  legalComments: "none",
  define: { "process.env.NODE_ENV": '"production"' },
  loader: { ".ttf": "file", ".css": "css" },
} as const;

async function build(outDir: string, minify: boolean): Promise<void> {
  const esbuild = await import("esbuild");
  const src = join(WEB_DIR, "src");
  await esbuild.build({
    ...ESBUILD_COMMON,
    entryPoints: { app: join(src, "main.ts") },
    outdir: outDir,
    format: "esm",
    minify,
    sourcemap: "linked",
    logLevel: "error",
  });
  await esbuild.build({
    ...ESBUILD_COMMON,
    entryPoints: { monaco: join(src, "editor", "monaco-entry.ts") },
    outdir: outDir,
    format: "esm",
    minify,
    assetNames: "[name]",
    logLevel: "error",
  });
  await esbuild.build({
    ...ESBUILD_COMMON,
    entryPoints: { "editor.worker": "monaco-editor/esm/vs/editor/editor.worker.js" },
    absWorkingDir: WEB_DIR,
    outdir: outDir,
    format: "iife",
    minify,
    logLevel: "error",
  });
}

/**
 * Make sure the bundle in BUILD_DIR matches the sources; build it if not. Returns BUILD_DIR.
 * Concurrent callers (several servers, tests) wait for one build.
 */
export async function ensureWebBundle(options: { force?: boolean; minify?: boolean } = {}): Promise<string> {
  const stamp = await sourceStamp();
  if (!options.force && (await isFresh(stamp))) return BUILD_DIR;
  await withLock(async () => {
    if (!options.force && (await isFresh(stamp))) return;
    const temp = `${BUILD_DIR}.tmp-${process.pid}`;
    await rm(temp, { recursive: true, force: true });
    await mkdir(temp, { recursive: true });
    await build(temp, options.minify ?? true);
    await writeFile(join(temp, STAMP), stamp);
    const old = `${BUILD_DIR}.old-${process.pid}`;
    await rename(BUILD_DIR, old).catch(() => {});
    await rename(temp, BUILD_DIR);
    await rm(old, { recursive: true, force: true });
  });
  return BUILD_DIR;
}
