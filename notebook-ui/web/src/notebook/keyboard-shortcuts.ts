/**
 * Jupyter's command-mode keys. Most are single keys; D,D (delete), I,I (interrupt) and 0,0
 * (restart) need the same key twice within a short time, as in Jupyter.
 */

/** What the notebook can be asked to do from the keyboard or the toolbar. */
export type NotebookCommand =
  | "run"
  | "run-and-advance"
  | "run-and-insert"
  | "run-all"
  | "run-above"
  | "run-below"
  | "edit"
  | "command-mode"
  | "select-previous"
  | "select-next"
  | "insert-above"
  | "insert-below"
  | "delete"
  | "undo-delete"
  | "to-code"
  | "to-markdown"
  | "to-raw"
  | "cut"
  | "copy"
  | "paste-below"
  | "paste-above"
  | "move-up"
  | "move-down"
  | "toggle-output"
  | "clear-output"
  | "interrupt"
  | "restart"
  | "save"
  | "export";

/** Keys a user presses twice (D,D), with what they do. */
const DOUBLE: Record<string, NotebookCommand> = { d: "delete", i: "interrupt", "0": "restart" };

/** Single keys in command mode. */
const SINGLE: Record<string, NotebookCommand> = {
  Enter: "edit",
  ArrowUp: "select-previous",
  k: "select-previous",
  ArrowDown: "select-next",
  j: "select-next",
  a: "insert-above",
  b: "insert-below",
  z: "undo-delete",
  y: "to-code",
  m: "to-markdown",
  r: "to-raw",
  x: "cut",
  c: "copy",
  v: "paste-below",
  V: "paste-above",
  o: "toggle-output",
};

/** How long the second key of a pair may wait (ms). */
export const DOUBLE_KEY_WINDOW_MS = 800;

/** Turns key events into commands, remembering the first key of a pair. */
export class CommandModeKeys {
  #pending: { key: string; at: number } | null = null;

  /** The command for `event` in command mode, or undefined when the key does nothing (yet). */
  resolve(event: Pick<KeyboardEvent, "key" | "shiftKey" | "ctrlKey" | "metaKey" | "altKey">, now = Date.now()): NotebookCommand | undefined {
    const ctrl = event.ctrlKey || event.metaKey;
    if (event.key === "Enter") {
      this.#pending = null;
      if (event.shiftKey) return "run-and-advance";
      if (ctrl) return "run";
      if (event.altKey) return "run-and-insert";
      return "edit";
    }
    if (ctrl && event.key.toLowerCase() === "s") return "save";
    if (ctrl && event.shiftKey && event.key === "ArrowUp") return "move-up";
    if (ctrl && event.shiftKey && event.key === "ArrowDown") return "move-down";
    if (ctrl || event.altKey) return undefined;
    const key = event.key.length === 1 && !event.shiftKey ? event.key.toLowerCase() : event.key;
    const double = DOUBLE[key];
    if (double) {
      const pending = this.#pending;
      if (pending && pending.key === key && now - pending.at <= DOUBLE_KEY_WINDOW_MS) {
        this.#pending = null;
        return double;
      }
      this.#pending = { key, at: now };
      return undefined;
    }
    this.#pending = null;
    return SINGLE[key];
  }
}
