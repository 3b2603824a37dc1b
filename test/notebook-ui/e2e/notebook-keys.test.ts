/**
 * End to end, the keyboard: Jupyter's command and edit modes, completions from the kernel in
 * Monaco, interrupt, queued cells, and a kernel that dies and is restarted from the UI.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { screenshotDir, skipReason, startE2e, type E2eFixture } from "./e2e-fixture.ts";

const KEYS_NOTEBOOK = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: "agentbook", display_name: "TypeScript (agentbook)", language: "typescript" } },
  cells: [{ cell_type: "code", id: "one", metadata: {}, execution_count: null, outputs: [], source: "const word: string = 'agents';" }],
};

let fx: E2eFixture | undefined;

before(async () => {
  if (!skipReason) fx = await startE2e({ "keys.ipynb": KEYS_NOTEBOOK });
});
after(() => fx?.close());

/** The cells' types and sources, in order. */
function cells(page: Page) {
  return page.locator("ab-notebook-cell").evaluateAll((elements) =>
    elements.map((element) => {
      const cell = (element as unknown as { cell: { type: string; source: string } }).cell;
      return `${cell.type}:${cell.source}`;
    }),
  );
}

test("keyboard editing, completions, interrupt, and a kernel that dies and restarts", { skip: skipReason, timeout: 170_000 }, async () => {
  const { browser, url } = fx!;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
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
  await banner.locator(".ab-reason", { hasText: "SIGKILL" }).waitFor({ timeout: 60_000 });
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
