/**
 * Runs the notebook UI's component tests in Debian's Chromium with web-test-runner and reports
 * each browser test as a node test, so `npm test` counts them. The browser tests
 * (browser/*.browser.ts) are bundled with esbuild the way the app is.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { ESBUILD_COMMON } from "../../../notebook-ui/server/web-bundle.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = fileURLToPath(new URL("../../../", import.meta.url));
const outDir = join(root, "test-output", "notebook-ui", "wtr");
const resultFile = join(outDir, "results.json");
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

interface SuiteResult {
  name: string;
  suites: SuiteResult[];
  tests: Array<{ name: string; passed: boolean; skipped: boolean; error?: { message: string; stack?: string } }>;
}
interface FileResult {
  file: string;
  passed: boolean;
  errors: string[];
  logs: string[];
  results: SuiteResult | null;
}

function flatten(suite: SuiteResult, prefix: string[] = []): Array<{ name: string; passed: boolean; skipped: boolean; error?: string }> {
  const path = suite.name ? [...prefix, suite.name] : prefix;
  return [
    ...suite.tests.map((t) => ({ name: [...path, t.name].join(" › "), passed: t.passed, skipped: t.skipped, error: [t.error?.message, t.error?.stack].filter(Boolean).join("\n") })),
    ...suite.suites.flatMap((child) => flatten(child, path)),
  ];
}

test("notebook UI components in Chromium (web-test-runner)", { skip: !existsSync(chromium) && `${chromium} is missing` }, async (t) => {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const entries = (await readdir(join(here, "browser"))).filter((name) => name.endsWith(".browser.ts"));
  await esbuild.build({
    ...ESBUILD_COMMON,
    entryPoints: entries.map((name) => join(here, "browser", name)),
    outdir: outDir,
    format: "esm",
    logLevel: "error",
  });

  const child = spawn(process.execPath, [join(root, "node_modules", "@web", "test-runner", "dist", "bin.js"), "--config", join(here, "web-test-runner.config.mjs")], {
    cwd: root,
    env: { ...process.env, AGENTBOOK_WTR_DIR: outDir, AGENTBOOK_WTR_RESULTS: resultFile, CI: "true", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const timer = setTimeout(() => {
    output += "\n[web-test-runner timed out after 150 s and was killed]";
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {}
  }, 150_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (exitCode) => resolve(exitCode)));
  clearTimeout(timer);

  assert.ok(existsSync(resultFile), `web-test-runner wrote no results (exit ${code}):\n${output}`);
  const files = JSON.parse(await readFile(resultFile, "utf8")) as FileResult[];
  assert.equal(files.length, entries.length, `every browser test file ran:\n${output}`);
  for (const file of files) {
    const name = file.file.split("/").pop()!;
    const tests = file.results ? flatten(file.results) : [];
    await t.test(name, async (fileTest) => {
      assert.deepEqual(file.errors, [], `${name} failed to load or run:\n${file.errors.join("\n")}\n${file.logs.join("\n")}`);
      assert.ok(tests.length > 0, `${name} ran no tests`);
      for (const result of tests) {
        await fileTest.test(result.name, { skip: result.skipped }, () => {
          assert.ok(result.passed, result.error ?? "failed");
        });
      }
    });
  }
  assert.equal(code, 0, output);
});
