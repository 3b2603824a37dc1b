/**
 * Runs transformed cells on the kernel's main thread, where notebook state lives (as globals of
 * this realm, so objects from cells and from packages share one set of built-ins).
 *
 * A cell is a generator: the runner resumes it inside `vm` with `breakOnSigint`, so SIGINT stops
 * a synchronous loop anywhere in the cell's top-level code, and it races every awaited value
 * against interrupts, so a promise that never settles is interrupted too. State survives both.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";
import { UserError } from "../../library/errors.ts";
import { RUNTIME_GLOBAL } from "./cell-transform.ts";
import { cellFileName, formatRuntimeError, type CellRecord } from "./traceback.ts";
import type { ErrorContent } from "../protocol/messages.ts";

/** A cell ready to run: what the compiler produced. */
export interface CompiledCell extends CellRecord {
  /** Internal id, unique per kernel (names the script in stack traces). */
  id: number;
  /** The generated script (see cell-transform.ts). */
  code: string;
  sourceMap: string;
  /** True when the cell ends with an expression whose value is the result. */
  hasResult: boolean;
}

/** Thrown into a cell when the user interrupts it. */
export class KeyboardInterrupt extends Error {
  constructor() {
    super("Interrupted by the user.");
    this.name = "KeyboardInterrupt";
  }
}

/** How a run ended. */
export type RunOutcome = { status: "ok"; hasValue: boolean; value?: unknown } | { status: "error"; error: ErrorContent; cause: unknown };

const LIBRARY_URL = new URL("../../library/index.ts", import.meta.url).href;

/** Runs `thunk` inside a `vm` script with `breakOnSigint` (the only way SIGINT can stop sync code). */
const RESUME_SLOT = Symbol.for("agentbook.kernel.resume");
const RESUME_SCRIPT = new vm.Script(`globalThis[Symbol.for("agentbook.kernel.resume")]()`, { filename: "agentbook-kernel-resume" });

/** Node warns once that cells load modules through its experimental vm loader; cells need not see that. */
function silenceLoaderWarning(): void {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning.message;
    if (/USE_MAIN_CONTEXT_DEFAULT_LOADER/.test(text)) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
}

/** Node's message when a .ts file outside an ESM package is loaded as CommonJS; say how to fix it. */
function explainImportError(specifier: string, error: unknown): unknown {
  if (error instanceof Error && /Cannot require\(\) ES Module .* in a cycle/.test(error.message) && /\.[cm]?tsx?$/.test(specifier))
    return new UserError(
      `Cannot import ${specifier}: Node loads .ts files as CommonJS unless the nearest package.json says "type": "module". ` +
        `Add "type": "module" to the package.json of its folder (or name the file .mts).`,
      { cause: error },
    );
  return error;
}

async function* fromSyncIterable(iterable: Iterable<unknown>): AsyncGenerator<unknown> {
  for (const value of iterable) yield value;
}

/** Runs cells one at a time and keeps their state. */
export class CellRunner {
  readonly #cells = new Map<number, CellRecord>();
  #rejectCurrent: ((error: Error) => void) | undefined;
  #running = false;

  /** `cwd`: the notebook's folder; imports and `require` resolve from there. */
  constructor(cwd: string) {
    const referrer = join(cwd, "[notebook]");
    silenceLoaderWarning();
    const notebookImport = new vm.Script("(specifier, options) => import(specifier, options)", {
      filename: referrer,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    }).runInThisContext() as (specifier: string, options?: unknown) => Promise<unknown>;
    const require = createRequire(referrer);
    const runtime = {
      import: (specifier: string, options?: unknown) =>
        specifier === "agentbook"
          ? import(LIBRARY_URL)
          : notebookImport(specifier, options).catch((error: unknown) => Promise.reject(explainImportError(specifier, error))),
      asyncIterator: (value: unknown): AsyncIterator<unknown> => {
        const object = value as Record<symbol, () => unknown>;
        if (typeof object?.[Symbol.asyncIterator] === "function") return object[Symbol.asyncIterator]() as AsyncIterator<unknown>;
        if (typeof object?.[Symbol.iterator] === "function") return fromSyncIterable(value as Iterable<unknown>);
        throw new TypeError(`${String(value)} is not async iterable`);
      },
      importMeta: {
        url: pathToFileURL(referrer).href,
        filename: referrer,
        dirname: cwd,
        resolve: (specifier: string) => pathToFileURL(require.resolve(specifier)).href,
      },
    };
    Object.defineProperty(globalThis, RUNTIME_GLOBAL, { value: runtime, configurable: true, enumerable: false });
    const globals = globalThis as Record<string, unknown>;
    if (globals.require === undefined) globals.require = require;
  }

  /** The cell with internal id `id`, for tracebacks. */
  cell(id: number): CellRecord | undefined {
    return this.#cells.get(id);
  }

  /** True while a cell runs. */
  get running(): boolean {
    return this.#running;
  }

  /**
   * Interrupt the running cell: a pending await rejects with KeyboardInterrupt. (Synchronous
   * code is stopped by SIGINT itself through breakOnSigint.) Returns false when nothing runs.
   */
  interrupt(): boolean {
    const reject = this.#rejectCurrent;
    if (!reject) return false;
    reject(new KeyboardInterrupt());
    return true;
  }

  /** Await `value`, unless the user interrupts first. */
  interruptible<T>(value: T | PromiseLike<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#rejectCurrent = reject;
      Promise.resolve(value).then(resolve, reject);
    }).finally(() => {
      this.#rejectCurrent = undefined;
    });
  }

  /** Run `script` with breakOnSigint; SIGINT becomes a KeyboardInterrupt. */
  #runScript(script: vm.Script): unknown {
    try {
      return script.runInThisContext({ breakOnSigint: true });
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") throw new KeyboardInterrupt();
      throw error;
    }
  }

  /** Call `thunk` inside the resume script, so SIGINT can stop whatever it runs synchronously. */
  #resume<T>(thunk: () => T): T {
    (globalThis as Record<symbol, unknown>)[RESUME_SLOT] = thunk;
    try {
      return this.#runScript(RESUME_SCRIPT) as T;
    } finally {
      delete (globalThis as Record<symbol, unknown>)[RESUME_SLOT];
    }
  }

  /** Format an error thrown by cell code. */
  formatError(error: unknown, current?: CellRecord): ErrorContent {
    if (error instanceof KeyboardInterrupt) {
      const where = current ? `Cell ${current.label} was interrupted` : "Interrupted";
      return { ename: error.name, evalue: error.message, traceback: [`\x1b[31m\x1b[1m${error.name}\x1b[0m: ${error.message}`, `${where}; the state it built so far is kept.`] };
    }
    return formatRuntimeError(error, (id) => this.#cells.get(id));
  }

  /**
   * Run one cell. `afterBody` runs once the cell's code has finished (the kernel waits there for
   * live displays), still interruptible.
   */
  async run(cell: CompiledCell, afterBody?: () => Promise<void>): Promise<RunOutcome> {
    this.#cells.set(cell.id, { label: cell.label, source: cell.source, sourceMap: cell.sourceMap });
    this.#running = true;
    try {
      const script = new vm.Script(cell.code, { filename: cellFileName(cell.id) });
      const generatorFunction = this.#runScript(script) as () => Generator<unknown, [unknown] | undefined, unknown>;
      const generator = generatorFunction.call(undefined);
      let method: "next" | "throw" = "next";
      let input: unknown;
      let result: [unknown] | undefined;
      for (;;) {
        const step = this.#resume(() => (method === "next" ? generator.next(input) : generator.throw(input)));
        if (step.done) {
          result = step.value;
          break;
        }
        try {
          input = await this.interruptible(step.value);
          method = "next";
        } catch (error) {
          input = error;
          method = "throw";
        }
      }
      if (afterBody) await afterBody();
      return result && cell.hasResult ? { status: "ok", hasValue: true, value: result[0] } : { status: "ok", hasValue: false };
    } catch (error) {
      return { status: "error", error: this.formatError(error, cell), cause: error };
    } finally {
      this.#running = false;
    }
  }
}
