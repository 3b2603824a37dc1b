/** Starts `agentbook open` (the real CLI) on a folder and Debian's Chromium, and stops both. */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";

export const root = fileURLToPath(new URL("../../../", import.meta.url));
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Why the browser tests cannot run here, or false when they can. */
export const skipReason: string | false = !existsSync(chromiumPath) && `${chromiumPath} is missing`;
export const screenshotDir = join(root, "test-output", "notebook-ui");

export interface E2eFixture {
  /** The folder the server serves. */
  dir: string;
  /** The printed URL, token included. */
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Write `files` (name -> notebook JSON) to a new folder, serve it, launch Chromium. */
export async function startE2e(files: Record<string, unknown>): Promise<E2eFixture> {
  const dir = await mkdtemp(join(tmpdir(), "agentbook-e2e-"));
  for (const [name, notebook] of Object.entries(files)) await writeFile(join(dir, name), JSON.stringify(notebook));
  const server: ChildProcess = spawn(process.execPath, [join(root, "kernel/cli/agentbook.mjs"), "open", dir, "--no-browser", "--port", "0"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const stop = async () => {
    if (!server.pid || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once("exit", resolve));
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {}
    const timer = setTimeout(() => {
      try {
        process.kill(-server.pid!, "SIGKILL");
      } catch {}
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  let browser: Browser | undefined;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`agentbook open printed no URL in 120 s:\n${out}`)), 120_000);
      server.stdout!.on("data", (chunk) => {
        out += chunk;
        const match = /(http:\/\/127\.0\.0\.1:\d+\/tree\?token=[0-9a-f]+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      server.stderr!.on("data", (chunk) => (out += chunk));
      server.once("exit", (code) => reject(new Error(`agentbook open exited with ${code}:\n${out}`)));
    });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      timeout: 60_000,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const launched = browser;
    return {
      dir,
      url,
      browser: launched,
      async close() {
        await launched.close().catch(() => {});
        await stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close().catch(() => {});
    await stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
