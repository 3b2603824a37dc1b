/**
 * End to end: `agentbook open` (the real CLI, a real kernel) driven in Debian's Chromium with
 * playwright-core. Open a notebook, run a team on the replay model and watch its transcript
 * stream, answer the UserProxyAgent's input prompt, save, reload, and find the outputs again.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { root, screenshotDir, skipReason, startE2e, type E2eFixture } from "./e2e-fixture.ts";

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

let fx: E2eFixture | undefined;

before(async () => {
  if (!skipReason) fx = await startE2e({ "weather.ipynb": NOTEBOOK });
});
after(() => fx?.close());

/** Text of the transcript in the team cell (inside the renderer's shadow root). */
function transcript(page: Page) {
  return page.locator('ab-notebook-cell[data-index="1"] ab-transcript-output');
}

test("open, run a team, watch it stream, answer the prompt, save, reload", { skip: skipReason, timeout: 170_000 }, async () => {
  const { browser, url, dir } = fx!;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
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
  await streaming.waitFor({ timeout: 120_000 });
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
  if (process.env.AGENTBOOK_UPDATE_SCREENSHOT === "1") await page.screenshot({ path: join(root, "notebook-ui", "screenshot.png") });

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
