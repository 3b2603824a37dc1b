import assert from "node:assert/strict";
import { test } from "node:test";
import { CommandModeKeys, DOUBLE_KEY_WINDOW_MS } from "../../../../notebook-ui/web/src/notebook/keyboard-shortcuts.ts";

const key = (k: string, mods: Partial<Record<"shiftKey" | "ctrlKey" | "metaKey" | "altKey", boolean>> = {}) => ({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods });

test("Jupyter's single keys in command mode", () => {
  const keys = new CommandModeKeys();
  const table: Array<[ReturnType<typeof key>, string | undefined]> = [
    [key("a"), "insert-above"],
    [key("b"), "insert-below"],
    [key("m"), "to-markdown"],
    [key("y"), "to-code"],
    [key("r"), "to-raw"],
    [key("x"), "cut"],
    [key("c"), "copy"],
    [key("v"), "paste-below"],
    [key("V", { shiftKey: true }), "paste-above"],
    [key("z"), "undo-delete"],
    [key("Enter"), "edit"],
    [key("Enter", { shiftKey: true }), "run-and-advance"],
    [key("Enter", { ctrlKey: true }), "run"],
    [key("Enter", { altKey: true }), "run-and-insert"],
    [key("s", { ctrlKey: true }), "save"],
    [key("ArrowUp"), "select-previous"],
    [key("j"), "select-next"],
    [key("q"), undefined],
    [key("a", { ctrlKey: true }), undefined],
  ];
  for (const [event, command] of table) assert.equal(keys.resolve(event), command, JSON.stringify(event));
});

test("D,D deletes, I,I interrupts, 0,0 restarts; a single press or a slow second one does nothing", () => {
  const keys = new CommandModeKeys();
  assert.equal(keys.resolve(key("d"), 1000), undefined);
  assert.equal(keys.resolve(key("d"), 1200), "delete");
  assert.equal(keys.resolve(key("i"), 2000), undefined);
  assert.equal(keys.resolve(key("i"), 2000 + DOUBLE_KEY_WINDOW_MS + 1), undefined, "too slow: this press starts a new pair");
  assert.equal(keys.resolve(key("i"), 2000 + DOUBLE_KEY_WINDOW_MS + 100), "interrupt");
  assert.equal(keys.resolve(key("0"), 5000), undefined);
  assert.equal(keys.resolve(key("0"), 5100), "restart");
  assert.equal(keys.resolve(key("d"), 6000), undefined);
  assert.equal(keys.resolve(key("b"), 6100), "insert-below", "another key breaks the pair");
  assert.equal(keys.resolve(key("d"), 6200), undefined);
});
