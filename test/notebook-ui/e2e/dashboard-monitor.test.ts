/**
 * A live session dashboard in the real UI and kernel: it updates while its cell runs, keeps
 * updating after every cell finished, and the Monitor panel opens by itself to follow it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { screenshotDir, skipReason, startE2e, type E2eFixture } from "./e2e-fixture.ts";

const SESSION_CELL = `import { AssistantAgent, MaxMessageTermination, ReplayChatCompletionClient, RoundRobinGroupChat, setTelemetryOptions, startSession } from "agentbook";

setTelemetryOptions({ captureContent: true });
const replay = (answers: string[]) => new ReplayChatCompletionClient(answers, { chunkDelayMs: 25 });
const writer = new AssistantAgent({ name: "writer", modelClient: replay(["Agents are programs that pursue goals by acting.", "Agents pursue goals: they plan, call tools and check the results."]), modelClientStream: true });
const critic = new AssistantAgent({ name: "critic", modelClient: replay(["Say what they do <img src=x onerror=alert(1)> concretely.", "Good."]), modelClientStream: true });
const team = new RoundRobinGroupChat({ participants: [writer, critic], terminationCondition: new MaxMessageTermination(5) });
const session = startSession({ name: "essay", tags: ["demo"] });
display(session.dashboard({ title: "essay team" }));
await team.run({ task: "One sentence about agents." });`;

const END_CELL = `setTimeout(() => session.end("Success"), 1500);
"the session ends in 1.5 s"`;

const NOTEBOOK = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: "agentbook", display_name: "TypeScript (agentbook)", language: "typescript" } },
  cells: [
    { cell_type: "code", id: "session", metadata: {}, execution_count: null, outputs: [], source: SESSION_CELL },
    { cell_type: "code", id: "end", metadata: {}, execution_count: null, outputs: [], source: END_CELL },
  ],
};

let fx: E2eFixture | undefined;

before(async () => {
  if (!skipReason) fx = await startE2e({ "monitor.ipynb": NOTEBOOK });
});
after(() => fx?.close());

async function run(page: Page, index: number): Promise<void> {
  await page.locator(`ab-notebook-cell[data-index="${index}"] .ab-gutter`).click();
  await page.keyboard.press("Escape");
  await page.keyboard.press("Control+Enter");
}

test("a live dashboard updates after its cell finished, and the Monitor follows it", { skip: skipReason, timeout: 240_000 }, async () => {
  const { browser, url } = fx!;
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(url);
  await page.getByRole("link", { name: "monitor.ipynb" }).click();
  await page.locator(".ab-kernel-status.idle").waitFor({ timeout: 90_000 });
  assert.equal(await page.locator("aside.ab-monitor").count(), 0, "closed until a live dashboard shows up");

  const inCell = page.locator('ab-notebook-cell[data-index="0"] ab-dashboard-output');
  const inMonitor = page.locator("aside.ab-monitor ab-dashboard-output");
  await run(page, 0);
  // The first cell that imports agentbook waits for the kernel's type checker to warm up.
  await inCell.waitFor({ timeout: 120_000 });
  await inMonitor.waitFor({ timeout: 10_000 });
  await page.locator('ab-notebook-cell[data-index="0"] .ab-prompt', { hasText: "[1]" }).waitFor({ timeout: 60_000 });
  assert.equal(await inCell.locator(".status").textContent(), "● live", "the session stays open after the cell");
  await inCell.locator('[data-counter="model-calls"] .value', { hasText: "4" }).waitFor({ timeout: 10_000 });
  assert.match((await inCell.locator(".list.conversation").textContent()) ?? "", /<img src=x onerror=alert\(1\)>/, "message content is text");
  assert.equal(await inMonitor.locator('[data-counter="model-calls"] .value').textContent(), "4");
  assert.ok(await inCell.locator("canvas.latency").isVisible());
  await page.screenshot({ path: join(screenshotDir, "monitor.png") });

  // The end comes from a timer, after the cell that set it finished: no request is running.
  await run(page, 1);
  await page.locator('ab-notebook-cell[data-index="1"] .ab-prompt', { hasText: "[2]" }).waitFor({ timeout: 30_000 });
  assert.equal(await inCell.locator(".status").textContent(), "● live");
  await inCell.locator(".status", { hasText: "ended · Success" }).waitFor({ timeout: 10_000 });
  await inMonitor.locator(".status", { hasText: "ended · Success" }).waitFor({ timeout: 5_000 });

  await page.getByRole("button", { name: "Close the monitor" }).click();
  assert.equal(await page.locator("aside.ab-monitor").count(), 0);
  await page.getByRole("button", { name: "Monitor", exact: true }).click();
  await inMonitor.locator(".status", { hasText: "ended · Success" }).waitFor({ timeout: 5_000 });
  assert.deepEqual(pageErrors, []);
});
