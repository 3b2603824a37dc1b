import { createInterface } from "node:readline/promises";
import type { CancellationToken } from "../core/cancellation-token.ts";

/** Asks a human for one line of text. */
export type InputHandler = (prompt: string, options: { password?: boolean; cancellationToken?: CancellationToken }) => Promise<string>;

/** Terminal fallback: one line from stdin. */
const terminalInput: InputHandler = async (prompt, options) => {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  try {
    return await rl.question(prompt, { signal: options.cancellationToken?.signal });
  } finally {
    rl.close();
  }
};

// Kept on globalThis so every copy of the library in a process (a notebook folder may install its
// own) reads from the handler the kernel set.
const HANDLER_SLOT = Symbol.for("agentbook.inputHandler");
const slots = globalThis as unknown as Record<symbol, InputHandler | undefined>;

/**
 * Ask the human for a line of text. In a notebook the kernel routes it to the front end's input
 * box (Jupyter `input_request`); in a script it reads the terminal.
 */
export function input(prompt = "", options: { password?: boolean; cancellationToken?: CancellationToken } = {}): Promise<string> {
  return (slots[HANDLER_SLOT] ?? terminalInput)(prompt, options);
}

/** Replace where `input()` reads from (the kernel does this); returns the previous handler. */
export function setInputHandler(next: InputHandler): InputHandler {
  const previous = slots[HANDLER_SLOT] ?? terminalInput;
  slots[HANDLER_SLOT] = next;
  return previous;
}
