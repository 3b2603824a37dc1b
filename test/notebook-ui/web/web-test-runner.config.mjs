// web-test-runner configuration for the notebook UI's component tests. The node test
// (components.test.ts) bundles the browser tests first and passes their folder and the result
// file through the environment; this file only launches Debian's Chromium and records results.
import { chromeLauncher } from "@web/test-runner-chrome";
import { writeFileSync } from "node:fs";

const outDir = process.env.AGENTBOOK_WTR_DIR;
const resultFile = process.env.AGENTBOOK_WTR_RESULTS;
if (!outDir || !resultFile) throw new Error("Run the component tests through `node test/run.mjs notebook-ui/web`.");

/** Writes every test's outcome as JSON so the node test can report each one. */
const jsonReporter = {
  onTestRunFinished({ sessions }) {
    const files = sessions.map((session) => ({
      file: session.testFile,
      passed: session.passed === true,
      errors: session.errors.map((error) => error.message ?? String(error)),
      logs: session.logs.map((args) => args.map(String).join(" ")),
      results: session.testResults ?? null,
    }));
    writeFileSync(resultFile, JSON.stringify(files, null, 1));
  },
};

export default {
  files: [`${outDir}/*.browser.js`],
  nodeResolve: false,
  concurrency: 1,
  browserStartTimeout: 60000,
  testsStartTimeout: 60000,
  testsFinishTimeout: 120000,
  testFramework: { config: { timeout: 15000 } },
  reporters: [jsonReporter],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
        headless: true,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      },
    }),
  ],
};
