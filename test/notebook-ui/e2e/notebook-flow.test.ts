/**
 * End to end: `agentbook open` (the real CLI, a real kernel) driven in Debian's Chromium with
 * playwright-core. Open a notebook, run a team on the replay model and watch its transcript
 * stream, answer the UserProxyAgent's input prompt, save, reload, and find the outputs again.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const screenshotDir = join(root, "test-output", "notebook-ui");

const TEAM_CELL = `import { AssistantAgent, FunctionTool, ReplayChatCompletionClient, RoundRobinGroupChat, TextMentionTermination, UserProxyAgent } from "agentbook";

const getWeather = new FunctionTool(async ({ city }: { city: string }) => \`Sunny and 24°C in \${city}\`, {
  name: "get_weather",
  description: "Current weather in a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
});
const model = new ReplayChatCompletionClient([
  { finishReason: "function_calls", content: [{ id: "call-1", name: "get_weather", arguments: '{"city":"Paris"}' }], usage: { promptTokens: 42, completionTokens: 9 }, cached: false },
  "It is **sunny** in Paris, 24°C. Shall I also check the time there? The forecast for the rest of the week looks just as bright, with a light breeze.",
  "Glad I could help. TERMINATE",
], { chunkDelayMs: 60 });
const assistant = new AssistantAgent({ name: "assistant", modelClient: model, tools: [getWeather], reflectOnToolUse: true, modelClientStream: true });
const human = new UserProxyAgent({ name: "human" });
const team = new RoundRobinGroupChat({ participants: [assistant, human], terminationCondition: new TextMentionTermination("TERMINATE"), maxTurns: 4 });
display(team.runStream({ task: "What is the weather in Paris?" }), { title: "team RoundRobinGroupChat" });`;

const NOTEBOOK = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: "agentbook", display_name: "TypeScript (agentbook)", language: "typescript" } },
  cells: [
    { cell_type: "markdown", id: "intro", metadata: {}, source: "# Weather desk\n\nAn assistant with a **tool**, and you in the loop." },
    { cell_type: "code", id: "team", metadata: {}, execution_count: null, outputs: [], source: TEAM_CELL },
  ],
};

let server: ChildProcess | undefined;
let browser: Browser | undefined;
let dir: string;
let url: string;

function startServer(folder: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server = spawn(process.execPath, [join(root, "kernel/cli/agentbook.mjs"), "open", folder, "--no-browser", "--port", "0"], { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true });
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
}

before(async () => {
  if (!existsSync(chromiumPath)) return;
  dir = await mkdtemp(join(tmpdir(), "agentbook-e2e-"));
  await writeFile(join(dir, "weather.ipynb"), JSON.stringify(NOTEBOOK));
  await writeFile(join(dir, "keys.ipynb"), JSON.stringify({ ...NOTEBOOK, cells: [{ cell_type: "code", id: "one", metadata: {}, execution_count: null, outputs: [], source: "const word: string = 'agents';" }] }));
  url = await startServer(dir);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    timeout: 60_000,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close().catch(() => {});
  if (server?.pid) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {}
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        try {
          process.kill(-server!.pid!, "SIGKILL");
        } catch {}
        resolve(undefined);
      }, 5000);
      server!.once("exit", () => (clearTimeout(timer), resolve(undefined)));
    });
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Text of the transcript in the team cell (inside the renderer's shadow root). */
function transcript(page: Page) {
  return page.locator('ab-notebook-cell[data-index="1"] ab-transcript-output');
}

test("open, run a team, watch it stream, answer the prompt, save, reload", { skip: !existsSync(chromiumPath) && `${chromiumPath} is missing`, timeout: 300_000 }, async () => {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));

  await page.goto(url);
  assert.equal(new URL(page.url()).search, "", "the token left the address bar");
  await page.getByRole("link", { name: "weather.ipynb" }).click();
  await page.waitForURL(/\/notebooks\/weather\.ipynb$/);
  await page.locator(".ab-kernel-status.idle").waitFor({ timeout: 90_000 });
  assert.equal(await page.locator(".ab-markdown h1").textContent(), "Weather desk");

  // Run the team cell with Shift-Enter from command mode.
  await page.locator('ab-notebook-cell[data-index="1"] .ab-gutter').click();
  await page.keyboard.press("Escape");
  await page.keyboard.press("Shift+Enter");
  await page.locator('ab-notebook-cell[data-index="1"] .ab-prompt.running').waitFor({ timeout: 30_000 });

  // The transcript appears and streams: the assistant's text grows before it is complete.
  const streaming = transcript(page).locator(".bubble.streaming");
  // The first cell that imports agentbook waits for the kernel's type checker to warm up.
  await streaming.waitFor({ timeout: 150_000 });
  const early = (await streaming.textContent()) ?? "";
  await page.waitForFunction(
    (before) => {
      const element = document.querySelector('ab-notebook-cell[data-index="1"] ab-transcript-output');
      const text = element?.shadowRoot?.querySelector(".bubble.streaming")?.textContent ?? "";
      return text.length > before.length;
    },
    early,
    { timeout: 30_000 },
  );
  assert.equal(await transcript(page).locator(".status").textContent(), "running");

  // The tool call is a card with its arguments and result.
  const card = transcript(page).locator("details.card.tool");
  await card.waitFor();
  assert.equal(await card.locator(".fn").textContent(), "get_weather");
  await card.locator("summary").click();
  assert.equal(await card.locator("pre.result").textContent(), "Sunny and 24°C in Paris");

  // The UserProxyAgent asks; answer in the input box.
  const input = page.locator('ab-notebook-cell[data-index="1"] ab-input-prompt input');
  await input.waitFor({ timeout: 60_000 });
  await input.fill("No thanks, that is all.");
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, "notebook-running.png") });
  await input.press("Enter");

  // The run finishes: the human's answer and the final message are in the transcript.
  await page.locator('ab-notebook-cell[data-index="1"] .ab-prompt:not(.running):not(.queued)').waitFor({ timeout: 60_000 });
  assert.equal(await transcript(page).locator(".status").textContent(), "done");
  const humanBubble = transcript(page).locator('.row.human[data-source="human"]').last();
  assert.match((await humanBubble.textContent()) ?? "", /No thanks, that is all\./);
  assert.match((await transcript(page).locator("footer").textContent()) ?? "", /TERMINATE/);
  assert.match((await page.locator('ab-notebook-cell[data-index="1"] .ab-prompt').textContent()) ?? "", /\[1\]/);
  assert.equal(await page.locator('ab-notebook-cell[data-index="1"] ab-transcript-output').count(), 1, "one live transcript, not a second copy as the cell's value");

  await mkdir(screenshotDir, { recursive: true });
  await page.evaluate(() => {
    const transcriptTop = document.querySelector('ab-notebook-cell[data-index="1"] .ab-outputs')!.getBoundingClientRect().top + window.scrollY;
    window.scrollTo(0, transcriptTop - 330);
  });
  await page.screenshot({ path: join(screenshotDir, "notebook.png"), fullPage: false });
  if (process.env.AGENTBOOK_UPDATE_SCREENSHOT === "1") await page.screenshot({ path: join(root, "docs", "screenshot.png") });

  // Save with Ctrl-S; the file on disk has the outputs, the dirty marker goes away.
  assert.equal(await page.locator(".ab-dirty").isVisible(), true);
  await page.keyboard.press("Control+s");
  await page.locator(".ab-dirty").waitFor({ state: "hidden" });
  const saved = JSON.parse(await readFile(join(dir, "weather.ipynb"), "utf8"));
  const outputs = saved.cells[1].outputs as Array<{ data?: Record<string, unknown> }>;
  assert.ok(outputs.some((output) => output.data?.["application/vnd.agentbook.transcript+json"]), "the transcript is saved");
  assert.ok(existsSync(join(dir, ".ipynb_checkpoints", "weather-checkpoint.ipynb")), "a manual save keeps a checkpoint");

  // Reload: the outputs come back from the file.
  await page.reload();
  await transcript(page).locator(".status").waitFor({ timeout: 30_000 });
  assert.equal(await transcript(page).locator(".status").textContent(), "done");
  assert.match((await transcript(page).locator(".row.human").last().textContent()) ?? "", /No thanks/);
  assert.equal(await transcript(page).locator("details.card.tool .fn").textContent(), "get_weather");
  assert.deepEqual(pageErrors, []);
  await page.close();
});

/** The cells' types and sources, in order. */
function cells(page: Page) {
  return page.locator("ab-notebook-cell").evaluateAll((elements) =>
    elements.map((element) => {
      const cell = (element as unknown as { cell: { type: string; source: string } }).cell;
      return `${cell.type}:${cell.source}`;
    }),
  );
}

test("keyboard editing, completions, interrupt, and a kernel that dies and restarts", { skip: !existsSync(chromiumPath) && `${chromiumPath} is missing`, timeout: 300_000 }, async () => {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(url.replace("/tree?", "/notebooks/keys.ipynb?"));
  await page.locator(".ab-kernel-status.idle").waitFor({ timeout: 90_000 });
  const cell = (index: number) => page.locator(`ab-notebook-cell[data-index="${index}"]`);

  // Run the first cell with Ctrl-Enter from command mode; it stays selected.
  await cell(0).locator(".ab-gutter").click();
  await page.keyboard.press("Control+Enter");
  await cell(0).locator(".ab-prompt", { hasText: "[1]" }).waitFor({ timeout: 120_000 });

  // B adds a cell below; M makes it markdown; Enter edits it; Shift-Enter renders it and adds a code cell.
  await page.keyboard.press("b");
  await page.keyboard.press("m");
  await page.keyboard.press("Enter");
  await cell(1).locator(".monaco-editor textarea").waitFor({ state: "attached" });
  await page.keyboard.type("## Notes");
  await page.keyboard.press("Shift+Enter");
  await cell(1).locator(".ab-markdown h2").waitFor();
  assert.equal(await cell(1).locator(".ab-markdown h2").textContent(), "Notes");
  assert.deepEqual(await cells(page), ["code:const word: string = 'agents';", "markdown:## Notes", "code:"]);
  assert.ok(await page.locator(".ab-notebook.edit-mode").isVisible(), "the new cell is in edit mode");

  // Completions come from the kernel.
  await page.keyboard.type("word.toUpp");
  await page.keyboard.press("Control+Space");
  const suggestion = page.locator(".suggest-widget .monaco-list-row", { hasText: "toUpperCase" });
  await suggestion.first().waitFor({ timeout: 30_000 });
  await page.keyboard.press("Enter");
  await page.keyboard.type("()");
  await page.keyboard.press("Control+Enter");
  await cell(2).locator("ab-text-output").first().waitFor({ timeout: 60_000 });
  assert.equal(await cell(2).locator("ab-text-output pre").first().textContent(), "'AGENTS'");

  // Esc to command mode; A inserts above; Y keeps it code; D,D deletes it; Z brings it back; X and V move it.
  await page.keyboard.press("Escape");
  assert.ok(await page.locator(".ab-notebook.command-mode").isVisible());
  await page.keyboard.press("a");
  assert.equal((await cells(page)).length, 4);
  await page.keyboard.press("d");
  await page.keyboard.press("d");
  assert.deepEqual(await cells(page), ["code:const word: string = 'agents';", "markdown:## Notes", "code:word.toUpperCase()"]);
  await page.keyboard.press("z");
  assert.equal((await cells(page)).length, 4);
  await page.keyboard.press("d");
  await page.keyboard.press("d");
  await page.keyboard.press("k");
  await page.keyboard.press("x");
  assert.deepEqual(await cells(page), ["code:const word: string = 'agents';", "code:word.toUpperCase()"]);
  await page.keyboard.press("v");
  assert.deepEqual(await cells(page), ["code:const word: string = 'agents';", "code:word.toUpperCase()", "markdown:## Notes"]);

  // A long cell is interrupted with I,I; the kernel keeps its state.
  await page.keyboard.press("b");
  await page.keyboard.press("Enter");
  await page.keyboard.type("await new Promise((resolve) => setTimeout(resolve, 120000));");
  await page.keyboard.press("Control+Enter");
  await cell(3).locator(".ab-prompt.running").waitFor({ timeout: 60_000 });
  assert.ok(await page.locator(".ab-kernel-status.busy").isVisible());
  await page.keyboard.press("Escape");
  await page.keyboard.press("i");
  await page.keyboard.press("i");
  await cell(3).locator("ab-error-output").waitFor({ timeout: 30_000 });
  await cell(3).locator(".ab-prompt:not(.running)").waitFor();

  // Queued cells wait behind a running one.
  await page.keyboard.press("Enter");
  await page.keyboard.press("Control+a");
  await page.keyboard.type("await new Promise((resolve) => setTimeout(resolve, 1500)); 'slow'");
  await page.keyboard.press("Escape");
  await page.keyboard.press("b");
  await page.keyboard.press("Enter");
  await page.keyboard.type("'after'");
  await page.keyboard.press("Escape");
  await page.keyboard.press("k");
  await page.keyboard.press("Control+Enter");
  await page.keyboard.press("j");
  await page.keyboard.press("Control+Enter");
  await cell(4).locator(".ab-prompt.queued").waitFor({ timeout: 30_000 });
  await cell(4).locator("ab-text-output").waitFor({ timeout: 60_000 });
  assert.equal(await cell(4).locator("ab-text-output pre").textContent(), "'after'");

  // A kernel that dies is reported, and Restart brings it back.
  await page.keyboard.press("b");
  await page.keyboard.press("Enter");
  await page.keyboard.type("process.kill(process.pid, 'SIGKILL')");
  await page.keyboard.press("Control+Enter");
  const banner = page.locator(".ab-banner.error", { hasText: "The kernel died" });
  await banner.waitFor({ timeout: 60_000 });
  assert.match((await banner.textContent()) ?? "", /SIGKILL/);
  assert.ok(await page.locator(".ab-kernel-status.dead").isVisible());
  await banner.getByRole("button", { name: "Restart kernel" }).click();
  await page.locator(".ab-kernel-status.idle").waitFor({ timeout: 90_000 });
  await cell(1).locator(".ab-gutter").click();
  await page.keyboard.press("Control+Enter");
  await cell(1).locator("ab-error-output").first().waitFor({ timeout: 60_000 });
  assert.match((await cell(1).locator("ab-error-output .title").allTextContents()).join(" "), /word/, "state is gone after the restart");
  await page.screenshot({ path: join(screenshotDir, "keys.png") });
  assert.deepEqual(pageErrors, []);
  await page.close();
});
