#!/usr/bin/env node
// The one test command (`npm test`): makes sure the system packages the tests need are
// present (Debian's chromium and Jupyter), then runs every test file under test/ with
// node's test runner. Its summary is the last thing printed.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Binaries some tests need, and the Debian packages that provide them. */
const SYSTEM_PACKAGES = [
  { binary: "/usr/bin/chromium", packages: ["chromium"] },
  {
    binary: "/usr/bin/jupyter-nbconvert",
    packages: ["jupyter-server", "python3-nbclient", "jupyter-nbconvert", "jupyter-client"],
  },
];

function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter((entry) => !existsSync(entry.binary)).flatMap((entry) => entry.packages);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(`Some tests need Debian packages that are missing: ${missing.join(" ")}. Install them with apt-get; those tests will be skipped.`);
    return;
  }
  console.log(`Installing missing system packages: ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update", "-q"], { stdio: "inherit", env });
  const install = spawnSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], { stdio: "inherit", env });
  if (install.status !== 0) console.error("apt-get install failed; the tests that need these packages will be skipped.");
}

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "fixtures") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith(".test.ts")) found.push(path);
  }
  return found;
}

const filter = process.argv.slice(2);
const files = findTests(join(root, "test"))
  .map((file) => relative(root, file))
  .filter((file) => filter.length === 0 || filter.some((part) => file.includes(part)))
  .sort();

if (filter.length === 0 || process.env.AGENTBOOK_ENSURE_PACKAGES === "1") ensureSystemPackages();

const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-timeout=180000", "--test-concurrency=2", ...files],
  { cwd: root, stdio: "inherit", env: { ...process.env, AGENTBOOK_TEST: "1" } },
);
process.exit(result.status ?? 1);
