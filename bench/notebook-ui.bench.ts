/**
 * The notebook UI against Debian's classic Jupyter Notebook (`jupyter-notebook`), same kernel,
 * same machine, same Chromium, rounds interleaved:
 *
 * - open a 200-cell notebook: to first paint (the first cell's code on screen) and to all
 *   editors ready (every code cell highlighted and editable: ours creates Monaco editors for
 *   the cells near the screen and shows highlighted code that becomes an editor on click;
 *   classic builds a CodeMirror editor for every cell);
 * - open a notebook holding a 1,000-message transcript until its last message is rendered
 *   (classic Jupyter shows the bundle's text/html fallback);
 * - Shift-Enter on a trivial cell until its result is on screen.
 *
 * Run: node --import tsx bench/notebook-ui.bench.ts [rounds]   (needs `apt-get install jupyter-notebook`)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import type { TranscriptEntry, TranscriptPayload } from "../library/display/payloads.ts";
import { transcriptBundle } from "../library/display/mime-bundle.ts";
import { agentbookKernelSpec } from "../kernel/kernelspec.ts";
import { freePorts } from "../notebook-ui/server/kernels/free-ports.ts";
import { startNotebookServer } from "../notebook-ui/server/notebook-server.ts";
import { percentile } from "./stats.ts";

const rounds = Number(process.argv[2] ?? 3);
const CLASSIC = "/usr/bin/jupyter-notebook";
const CODE_CELLS = 150;
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

// ---- fixtures ---------------------------------------------------------------------------------

function bigNotebook() {
  const cells = [];
  for (let i = 0; i < 200; i++) {
    if (i % 4 === 3) {
      cells.push({ cell_type: "markdown", id: `m${i}`, metadata: {}, source: `## Step ${i}\n\nSome *explanation* of step ${i}, with \`code\` and a [link](https://example.com).` });
    } else {
      const source = [`// step ${i}`, `interface Row${i} { id: number; label: string }`, `const rows${i}: Row${i}[] = [];`, `for (let n = 0; n < 10; n++) rows${i}.push({ id: n, label: "row " + n });`, `rows${i}.length`].join("\n");
      cells.push({ cell_type: "code", id: `c${i}`, metadata: {}, execution_count: i + 1, source, outputs: [{ output_type: "execute_result", execution_count: i + 1, data: { "text/plain": "10" }, metadata: {} }] });
    }
  }
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "agentbook", display_name: "TypeScript (agentbook)", language: "typescript" }, language_info: { name: "typescript" } }, cells };
}

function transcriptNotebook() {
  const entries: TranscriptEntry[] = [];
  for (let i = 0; i < 1000; i++) {
    const source = i % 3 === 0 ? "user_proxy" : i % 3 === 1 ? "planner" : "coder";
    entries.push({
      elapsedMs: i * 120,
      durationMs: 120,
      message: { type: "TextMessage", id: `msg-${i}`, source, createdAt: new Date(i * 120).toISOString(), metadata: {}, content: i === 999 ? "the last message 999" : `Message ${i}: a **short** reply with some \`code\` in it.`, modelsUsage: { promptTokens: 100, completionTokens: 20 } },
    });
  }
  const payload: TranscriptPayload = { version: 1, title: "team RoundRobinGroupChat", status: "done", entries, usage: { promptTokens: 100_000, completionTokens: 20_000 }, startedAt: new Date(0).toISOString(), durationMs: 120_000 };
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "agentbook", display_name: "TypeScript (agentbook)", language: "typescript" } },
    cells: [{ cell_type: "code", id: "t", metadata: {}, execution_count: 1, source: "display(team.runStream({ task }))", outputs: [{ output_type: "display_data", data: transcriptBundle(payload), metadata: {} }] }],
  };
}

const trivialNotebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: "agentbook", display_name: "TypeScript (agentbook)", language: "typescript" } },
  cells: [{ cell_type: "code", id: "k", metadata: {}, execution_count: null, outputs: [], source: "1 + 1" }],
};

// ---- the two UIs ------------------------------------------------------------------------------

interface Ui {
  name: string;
  notebookUrl(name: string): string;
  /** Sign in once per browser context. */
  signIn(page: Page): Promise<void>;
  /** performance.now() when the first cell is painted. */
  firstPaint(page: Page): Promise<number>;
  /** performance.now() when every code cell is highlighted and editable. */
  editorsReady(page: Page): Promise<number>;
  /** performance.now() when the transcript's last message is in the page. */
  transcriptRendered(page: Page): Promise<number>;
  /** Wait until the kernel is idle. */
  kernelIdle(page: Page): Promise<void>;
  /** Put `code` in the first cell and select it in command mode. */
  prepareCell(page: Page, code: string): Promise<void>;
  /** Text of the first cell's result. */
  resultText(page: Page): Promise<string>;
}

const raf = { polling: "raf" as const, timeout: 180_000 };

function ours(baseUrl: string, token: string): Ui {
  return {
    name: "agentbook",
    notebookUrl: (name) => `${baseUrl}notebooks/${name}`,
    async signIn(page) {
      await page.goto(`${baseUrl}tree?token=${token}`);
    },
    firstPaint: (page) =>
      page.waitForFunction(() => (document.querySelector('ab-notebook-cell[data-index="0"] .ab-code-static, ab-notebook-cell[data-index="0"] .monaco-editor') ? performance.now() : 0), undefined, raf).then((h) => h.jsonValue()),
    editorsReady: (page) =>
      page
        .waitForFunction(
          (count) => {
            const editors = [...document.querySelectorAll("ab-code-editor")] as Array<HTMLElement & { hasEditor: boolean }>;
            if (editors.length !== count || !document.querySelector(".monaco-editor")) return 0;
            return editors.every((editor) => editor.hasEditor || editor.querySelector(".ab-code-static span[class^=mtk]")) ? performance.now() : 0;
          },
          CODE_CELLS,
          raf,
        )
        .then((h) => h.jsonValue()),
    transcriptRendered: (page) =>
      page
        .waitForFunction(() => {
          const root = document.querySelector("ab-transcript-output")?.shadowRoot;
          return root?.querySelector('.row[data-source="user_proxy"]:last-of-type') && root.textContent?.includes("the last message 999") ? performance.now() : 0;
        }, undefined, raf)
        .then((h) => h.jsonValue()),
    kernelIdle: (page) => page.locator(".ab-kernel-status.idle").waitFor({ timeout: 180_000 }),
    async prepareCell(page, code) {
      await page.evaluate((source) => {
        const view = document.querySelector("ab-notebook") as unknown as { model: { cells: Array<{ setSource(s: string): void }> } };
        view.model.cells[0]!.setSource(source);
      }, code);
      await page.locator('ab-notebook-cell[data-index="0"] .ab-gutter').click();
      await page.keyboard.press("Escape");
    },
    resultText: (page) => page.evaluate(() => document.querySelector('ab-notebook-cell[data-index="0"] ab-text-output')?.shadowRoot?.querySelector("pre")?.textContent ?? ""),
  };
}

function classic(baseUrl: string, token: string): Ui {
  return {
    name: "classic Jupyter Notebook 6",
    notebookUrl: (name) => `${baseUrl}notebooks/${name}`,
    async signIn(page) {
      await page.goto(`${baseUrl}tree?token=${token}`);
    },
    firstPaint: (page) => page.waitForFunction(() => (document.querySelector(".cell .CodeMirror-line, .cell .text_cell_render") ? performance.now() : 0), undefined, raf).then((h) => h.jsonValue()),
    editorsReady: (page) =>
      page
        .waitForFunction(
          (count) => {
            const jupyter = (window as unknown as { Jupyter?: { notebook?: { _fully_loaded?: boolean } } }).Jupyter;
            return jupyter?.notebook?._fully_loaded && document.querySelectorAll(".code_cell .CodeMirror").length === count ? performance.now() : 0;
          },
          CODE_CELLS,
          raf,
        )
        .then((h) => h.jsonValue()),
    transcriptRendered: (page) =>
      page.waitForFunction(() => ((document.querySelector(".output_html") as HTMLElement | null)?.textContent?.includes("the last message 999") ? performance.now() : 0), undefined, raf).then((h) => h.jsonValue()),
    kernelIdle: (page) =>
      page.waitForFunction(() => (window as unknown as { Jupyter?: { notebook?: { kernel?: { is_connected(): boolean } } } }).Jupyter?.notebook?.kernel?.is_connected() && document.querySelector("#kernel_indicator_icon.kernel_idle_icon"), undefined, { timeout: 180_000 }).then(() => undefined),
    async prepareCell(page, code) {
      await page.evaluate((source) => {
        const notebook = (window as unknown as { Jupyter: { notebook: { get_cell(i: number): { set_text(s: string): void; clear_output(): void }; select(i: number): void; command_mode(): void } } }).Jupyter.notebook;
        notebook.get_cell(0).set_text(source);
        notebook.get_cell(0).clear_output();
        notebook.select(0);
        notebook.command_mode();
      }, code);
    },
    resultText: (page) => page.evaluate(() => (document.querySelector(".cell .output_subarea") as HTMLElement | null)?.innerText.trim() ?? ""),
  };
}

// ---- measurement ------------------------------------------------------------------------------

async function withPage<T>(browser: Browser, ui: Ui, work: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  try {
    await ui.signIn(page);
    return await work(page);
  } finally {
    await context.close();
  }
}

async function openBig(browser: Browser, ui: Ui) {
  return withPage(browser, ui, async (page) => {
    await page.goto(ui.notebookUrl("big.ipynb"), { waitUntil: "commit" });
    const [paint, ready] = await Promise.all([ui.firstPaint(page), ui.editorsReady(page)]);
    return { paint, ready };
  });
}

async function openTranscript(browser: Browser, ui: Ui) {
  return withPage(browser, ui, async (page) => {
    await page.goto(ui.notebookUrl("transcript.ipynb"), { waitUntil: "commit" });
    return ui.transcriptRendered(page);
  });
}

async function keystrokes(browser: Browser, ui: Ui, times: number): Promise<number[]> {
  return withPage(browser, ui, async (page) => {
    await page.goto(ui.notebookUrl("trivial.ipynb"));
    await ui.kernelIdle(page);
    const out: number[] = [];
    for (let i = 0; i < times + 2; i++) {
      const expected = String(1000 + i * 7);
      await ui.prepareCell(page, `${1000 + i * 7 - 1} + 1`);
      const started = performance.now();
      await page.keyboard.press("Shift+Enter");
      for (;;) {
        if ((await ui.resultText(page)) === expected) break;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      // The first two runs warm the kernel's compiler up; they are not counted.
      if (i >= 2) out.push(performance.now() - started);
      await ui.kernelIdle(page);
    }
    return out;
  });
}

function startClassic(dir: string, home: string, port: number, token: string): Promise<ChildProcess> {
  const child = spawn(
    CLASSIC,
    ["--no-browser", `--port=${port}`, "--ip=127.0.0.1", `--NotebookApp.token=${token}`, `--NotebookApp.notebook_dir=${dir}`, "--NotebookApp.port_retries=0", ...(process.getuid?.() === 0 ? ["--allow-root"] : [])],
    { env: { ...process.env, JUPYTER_PATH: join(home, "share", "jupyter"), JUPYTER_CONFIG_DIR: join(home, "config"), JUPYTER_DATA_DIR: join(home, "data"), JUPYTER_RUNTIME_DIR: join(home, "runtime") }, stdio: ["ignore", "ignore", "pipe"], detached: true },
  );
  let log = "";
  child.stderr!.on("data", (chunk) => (log += chunk));
  return (async () => {
    const deadline = Date.now() + 60_000;
    while (!(await fetch(`http://127.0.0.1:${port}/api/status?token=${token}`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`jupyter-notebook did not start:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return child;
  })();
}

const ms = (value: number) => `${Math.round(value).toLocaleString("en-US")} ms`;

const home = mkdtempSync(join(tmpdir(), "agentbook-ui-bench-"));
const dir = join(home, "notebooks");
mkdirSync(join(home, "share", "jupyter", "kernels", "agentbook"), { recursive: true });
mkdirSync(dir);
writeFileSync(join(home, "share", "jupyter", "kernels", "agentbook", "kernel.json"), JSON.stringify(agentbookKernelSpec()));
writeFileSync(join(dir, "big.ipynb"), JSON.stringify(bigNotebook()));
writeFileSync(join(dir, "transcript.ipynb"), JSON.stringify(transcriptNotebook()));
writeFileSync(join(dir, "trivial.ipynb"), JSON.stringify(trivialNotebook));

let classicProcess: ChildProcess | undefined;
const server = await startNotebookServer({ root: dir });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
try {
  const uis: Ui[] = [ours(server.baseUrl, server.token)];
  if (existsSync(CLASSIC)) {
    const [port] = await freePorts(1);
    const token = "b".repeat(32);
    classicProcess = await startClassic(dir, home, port!, token);
    uis.push(classic(`http://127.0.0.1:${port}/`, token));
  } else {
    console.log(`${CLASSIC} is missing (apt-get install jupyter-notebook): measuring agentbook alone.`);
  }
  const results = new Map(uis.map((ui) => [ui.name, { paint: [] as number[], ready: [] as number[], transcript: [] as number[], key: [] as number[] }]));
  for (let round = 0; round < rounds; round++) {
    for (const ui of uis) {
      const r = results.get(ui.name)!;
      const big = await openBig(browser, ui);
      r.paint.push(big.paint);
      r.ready.push(big.ready);
      r.transcript.push(await openTranscript(browser, ui));
      r.key.push(...(await keystrokes(browser, ui, 5)));
      process.stderr.write(`round ${round + 1}/${rounds} ${ui.name}: paint ${ms(big.paint)}, editors ${ms(big.ready)}, transcript ${ms(r.transcript.at(-1)!)}\n`);
    }
  }
  const rows: Array<[string, "paint" | "ready" | "transcript" | "key"]> = [
    ["200-cell notebook: first paint", "paint"],
    ["200-cell notebook: all editors ready", "ready"],
    ["1,000-message transcript rendered", "transcript"],
    ["Shift-Enter to result on screen", "key"],
  ];
  console.log(`\nNotebook UI, median of ${rounds} rounds (Shift-Enter: median of ${rounds * 5} runs), Chromium ${browser.version()}`);
  const names = uis.map((ui) => ui.name);
  console.log(["", ...names, names.length > 1 ? "classic / agentbook" : ""].join(" | "));
  for (const [label, key] of rows) {
    const medians = names.map((name) => percentile(results.get(name)![key], 50));
    const ratio = medians.length > 1 ? `${(medians[1]! / medians[0]!).toFixed(2)}x` : "";
    console.log([label, ...medians.map(ms), ratio].join(" | "));
  }
} finally {
  await browser.close();
  await server.close();
  if (classicProcess?.pid) {
    try {
      process.kill(-classicProcess.pid, "SIGTERM");
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 1000));
    try {
      process.kill(-classicProcess.pid, "SIGKILL");
    } catch {}
  }
  rmSync(home, { recursive: true, force: true });
}
