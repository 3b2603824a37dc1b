/**
 * The main thread's side of a kernel: runs cells sent by the protocol thread, and routes what
 * they print, display and ask for (`input()`) back to it.
 */
import vm from "node:vm";
import type { Worker } from "node:worker_threads";
import { CellRunner, KeyboardInterrupt } from "../evaluator/cell-runner.ts";
import type { FromRuntime, RunReport, ToRuntime } from "../threads/bridge-messages.ts";
import { captureOutput } from "./output-capture.ts";
import { UserError } from "../../library/errors.ts";
import { setDisplayPublisher, type DisplayPublisher } from "../../library/display/display-publisher.ts";
import { isDisplayHandle, isLiveDisplayable } from "../../library/display/display.ts";
import { setInputHandler } from "../../library/display/input.ts";
import { plainText, toMimeBundle } from "../../library/display/mime-bundle.ts";
import type { MimeBundle } from "../../library/display/payloads.ts";
import { display } from "../../library/display/display.ts";
import { input } from "../../library/display/input.ts";

/** A bundle that survives postMessage and JSON: functions, symbols and cycles are not data. */
function plainBundle(bundle: MimeBundle, value?: unknown): MimeBundle {
  try {
    return JSON.parse(JSON.stringify(bundle)) as MimeBundle;
  } catch {
    return { "text/plain": plainText(value ?? bundle) };
  }
}

/** Runs cells for one kernel. */
export class RuntimeSession {
  readonly #runner: CellRunner;
  readonly #protocol: Worker;
  #tracked: Promise<unknown>[] = [];
  #allowStdin = true;
  #inputWaiters: Array<(value: string) => void> = [];
  #queue: Promise<void> = Promise.resolve();

  constructor(options: { cwd: string; protocol: Worker }) {
    this.#protocol = options.protocol;
    this.#runner = new CellRunner(options.cwd);
    const post = (message: FromRuntime) => this.#protocol.postMessage(message);

    captureOutput((name, text) => post({ kind: "stream", name, text }));
    const publisher: DisplayPublisher = {
      kind: "notebook",
      publish: (data, { displayId, update, metadata }) =>
        post({
          kind: "iopub",
          msgType: update ? "update_display_data" : "display_data",
          content: { data: plainBundle(data), metadata: plainBundle(metadata), transient: { display_id: displayId } },
        }),
      clear: (wait) => post({ kind: "iopub", msgType: "clear_output", content: { wait } }),
      track: (work) => {
        // Awaited by the cell; a failure here must not also surface as an unhandled rejection.
        work.catch(() => {});
        this.#tracked.push(work);
      },
    };
    setDisplayPublisher(publisher);
    setInputHandler((prompt, { password }) => {
      if (!this.#allowStdin)
        return Promise.reject(
          new UserError("input() needs a front end that answers input requests, and this one does not (allow_stdin is false); give the value in code instead."),
        );
      return new Promise<string>((resolve) => {
        this.#inputWaiters.push(resolve);
        post({ kind: "input_request", prompt, password: Boolean(password) });
      });
    });
    const globals = globalThis as Record<string, unknown>;
    globals.display = display;
    globals.input = input;

    this.#protocol.on("message", (message: ToRuntime) => this.#onMessage(message));
    // `process.exit()` from a cell: let the protocol thread close its sockets first (zeromq
    // aborts the process if they are torn down open), waiting synchronously, as exit must.
    const exit = process.exit.bind(process);
    process.exit = ((code?: number | string | null) => {
      const signal = new SharedArrayBuffer(4);
      post({ kind: "closing", signal });
      Atomics.wait(new Int32Array(signal), 0, 0, 2000);
      exit(code ?? undefined);
    }) as typeof process.exit;
    // Signal-mode interrupts arrive here; one that comes before the cell runs still stops it.
    process.on("SIGINT", () => {
      if (!this.#runner.interrupt()) post({ kind: "interrupt_requested" });
    });
    // A callback of an earlier cell that throws must not take the kernel down: report it.
    const report = (error: unknown) => {
      if (error instanceof KeyboardInterrupt) return;
      const content = this.#runner.formatError(error);
      process.stderr.write(`Uncaught ${content.traceback.join("\n")}\n`);
    };
    process.on("uncaughtException", report);
    process.on("unhandledRejection", report);
  }

  #onMessage(message: ToRuntime): void {
    switch (message.kind) {
      case "run":
        this.#queue = this.#queue.then(() => this.#run(message));
        return;
      case "input_reply":
        this.#inputWaiters.shift()?.(message.value);
        return;
      case "exit":
        process.exit(message.code);
        return;
    }
  }

  async #run(message: Extract<ToRuntime, { kind: "run" }>): Promise<void> {
    this.#allowStdin = message.allowStdin;
    this.#tracked = [];
    let report: RunReport;
    try {
      const outcome = await this.#runner.run(message.cell, async () => {
        // Live displays (a streaming transcript) finish before the cell does.
        while (this.#tracked.length > 0) await this.#runner.interruptible(Promise.all(this.#tracked.splice(0)));
      });
      if (outcome.status === "error") report = { status: "error", error: outcome.error };
      else {
        let result: { data: MimeBundle; metadata: Record<string, unknown> } | undefined;
        if (outcome.hasValue && outcome.value !== undefined && !isDisplayHandle(outcome.value) && !message.silent) {
          // A live object (a session dashboard) as the cell's value stays live: a display, not a frozen result.
          if (isLiveDisplayable(outcome.value)) display(outcome.value);
          else result = { data: plainBundle(toMimeBundle(outcome.value), outcome.value), metadata: {} };
        }
        report = { status: "ok", result, userExpressions: this.#userExpressions(message.userExpressions) };
      }
    } catch (error) {
      report = { status: "error", error: this.#runner.formatError(error) };
    }
    this.#inputWaiters = [];
    this.#tracked = [];
    this.#protocol.postMessage({ kind: "done", report } satisfies FromRuntime);
  }

  #userExpressions(expressions: Record<string, string>): Record<string, unknown> {
    const results: Record<string, unknown> = {};
    for (const [name, expression] of Object.entries(expressions)) {
      try {
        const value = vm.runInThisContext(expression, { filename: "user_expression" });
        results[name] = { status: "ok", data: plainBundle(toMimeBundle(value), value), metadata: {} };
      } catch (error) {
        results[name] = { status: "error", ...this.#runner.formatError(error) };
      }
    }
    return results;
  }
}
