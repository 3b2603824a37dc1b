import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { CancellationToken } from "../core/cancellation-token.ts";
import { UserError } from "../errors.ts";
import type { CodeBlock, CodeResult } from "./code-block.ts";
import type { CodeExecutor } from "./code-executor.ts";
import {
  type CodeFunction,
  type CodeFunctionSource,
  functionSignature,
  functionSources,
  javascriptFunctionsModule,
  pythonFunctionsModule,
} from "./code-functions.ts";
import { type CodeLanguage, COMMAND_LINE_LANGUAGES } from "./code-languages.ts";
import { executeBlocksAsFiles, requirePositive } from "./command-line-blocks.ts";
import { runInProcessGroup } from "./process-tree.ts";
import { safeEnvironment } from "./safe-environment.ts";

/** Options of LocalCommandLineCodeExecutor. */
export interface LocalCommandLineCodeExecutorOptions {
  /** Directory the code is saved in and runs in; created if missing. Default: a new temporary directory, removed by `stop()`. */
  workDir?: string;
  /** Seconds one block may run before it and every process it started are killed (default 60). */
  timeout?: number;
  /** Functions the code can import from the `functionsModule` module (Python) or `./<functionsModule>.mjs` (JavaScript, TypeScript). */
  functions?: readonly CodeFunction[];
  /** Name of the module the functions are written to (default "functions"). */
  functionsModule?: string;
  /** Delete the files saved under generated names (`tmp_code_<hash>.py`) after they ran (default true). Files named with `# filename:` stay. */
  cleanupTempFiles?: boolean;
  /** Characters of output kept per block; past it, the start and the end are kept (default 64000). */
  maxOutputChars?: number;
  /** Variables to pass to the code on purpose; everything that looks like a secret is removed from the inherited environment. */
  env?: Record<string, string>;
  /** The Python interpreter (default "python3"). */
  pythonCommand?: string;
}

const DEFAULT_TIMEOUT_SECONDS = 60;
const DEFAULT_MAX_OUTPUT_CHARS = 64_000;
const LANGUAGES: readonly CodeLanguage[] = ["python", "bash", "sh", "javascript", "typescript"];

/** The project's tsx loader, so TypeScript blocks run without a build step. */
function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
}

/**
 * Runs python, bash, sh, javascript and typescript blocks as local processes. Each block runs
 * in its own process group in `workDir`; a timeout or a cancellation kills the whole tree, and
 * nothing a block starts in the background outlives it; output is capped; the environment has
 * no API keys or tokens; a `# filename:` outside `workDir` is refused. It is not a sandbox: the
 * code runs as your user. Use DockerCommandLineCodeExecutor for code you do not trust.
 *
 * ```ts
 * const executor = new LocalCommandLineCodeExecutor({ workDir: "coding", timeout: 30 });
 * const result = await executor.executeCodeBlocks([{ language: "python", code: "print(6 * 7)" }]);
 * // { exitCode: 0, output: "42\n" }
 * ```
 */
export class LocalCommandLineCodeExecutor implements CodeExecutor {
  readonly supportedLanguages: readonly string[] = COMMAND_LINE_LANGUAGES;
  /** Seconds one block may run. */
  readonly timeout: number;
  /** Name of the module the functions are written to. */
  readonly functionsModule: string;
  readonly #userWorkDir: string | undefined;
  #tempDir: string | undefined;
  readonly #functions: CodeFunctionSource[];
  readonly #cleanupTempFiles: boolean;
  readonly #maxOutputChars: number;
  readonly #extraEnv: Record<string, string>;
  readonly #pythonCommand: string;
  #functionsReady: Promise<void> | undefined;
  /** Cancelled by `stop()`, so it kills whatever is running. */
  #stopToken = new CancellationToken();

  constructor(options: LocalCommandLineCodeExecutorOptions = {}) {
    const owner = "LocalCommandLineCodeExecutor";
    this.timeout = requirePositive(options.timeout ?? DEFAULT_TIMEOUT_SECONDS, "timeout (seconds)", owner);
    this.#maxOutputChars = requirePositive(options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS, "maxOutputChars", owner);
    this.functionsModule = options.functionsModule ?? "functions";
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(this.functionsModule))
      throw new UserError(`${owner} option functionsModule must be a valid Python module name; got ${JSON.stringify(this.functionsModule)}.`);
    this.#functions = functionSources(options.functions ?? []);
    this.#cleanupTempFiles = options.cleanupTempFiles ?? true;
    this.#extraEnv = { ...options.env };
    this.#pythonCommand = options.pythonCommand ?? "python3";
    if (options.workDir !== undefined) {
      this.#userWorkDir = resolve(options.workDir);
      mkdirSync(this.#userWorkDir, { recursive: true });
    }
  }

  /** The directory code is saved in and runs in (a temporary one is created on first use when none was given). */
  get workDir(): string {
    if (this.#userWorkDir) return this.#userWorkDir;
    this.#tempDir ??= mkdtempSync(join(tmpdir(), "agentbook-code-"));
    return this.#tempDir;
  }

  /** Creates the working directory and writes the functions module. */
  async start(): Promise<void> {
    await this.#ensureFunctions(this.#stopToken);
  }

  /** Kills running code and removes the temporary working directory, if this executor created it. */
  async stop(): Promise<void> {
    this.#stopToken.cancel("the code executor was stopped");
    this.#stopToken = new CancellationToken();
    this.#functionsReady = undefined;
    if (this.#tempDir) rmSync(this.#tempDir, { recursive: true, force: true });
    this.#tempDir = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Tells a model which functions the code can import and how. */
  formatFunctionsForPrompt(): string {
    if (this.#functions.length === 0) return "";
    const lines = ["You have access to the following user-defined functions."];
    const python = this.#functions.filter((fn) => fn.language === "python");
    const javascript = this.#functions.filter((fn) => fn.language === "javascript");
    if (python.length > 0)
      lines.push(`In Python, import them with \`from ${this.functionsModule} import ${python.map((fn) => fn.name).join(", ")}\`:`, ...python.map(describe));
    if (javascript.length > 0)
      lines.push(
        `In JavaScript or TypeScript, import them with \`import { ${javascript.map((fn) => fn.name).join(", ")} } from "./${this.functionsModule}.mjs"\`:`,
        ...javascript.map(describe),
      );
    return lines.join("\n");
  }

  async executeCodeBlocks(blocks: readonly CodeBlock[], cancellationToken?: CancellationToken): Promise<CodeResult> {
    const token = CancellationToken.any(cancellationToken, this.#stopToken);
    await this.#ensureFunctions(token);
    return executeBlocksAsFiles(blocks, {
      workDir: this.workDir,
      timeout: this.timeout,
      cleanupTempFiles: this.#cleanupTempFiles,
      languages: LANGUAGES,
      executorName: "LocalCommandLineCodeExecutor",
      cancellationToken: token,
      run: ({ path, language }, runToken) => {
        const [command, ...args] = this.#commandFor(language, path);
        return runInProcessGroup({
          command: command!,
          args,
          cwd: this.workDir,
          env: this.#environment(),
          timeoutMs: this.timeout * 1000,
          maxOutputChars: this.#maxOutputChars,
          cancellationToken: runToken,
        });
      },
    });
  }

  #commandFor(language: CodeLanguage, path: string): string[] {
    switch (language) {
      case "python":
        return [this.#pythonCommand, path];
      case "bash":
        return ["bash", path];
      case "sh":
        return ["sh", path];
      case "javascript":
        return [process.execPath, path];
      case "typescript":
        return [process.execPath, "--import", tsxLoaderUrl(), path];
    }
  }

  #environment(): Record<string, string> {
    const env = safeEnvironment(process.env);
    // The working directory is importable (the functions module lives there), Python prints as it
    // goes so output interleaves in order, and matplotlib draws to files instead of a window.
    env.PYTHONPATH = env.PYTHONPATH ? `${this.workDir}${delimiter}${env.PYTHONPATH}` : this.workDir;
    env.PYTHONUNBUFFERED = "1";
    env.MPLBACKEND ??= "Agg";
    return { ...env, ...this.#extraEnv };
  }

  /** Write the functions modules and check they load, once per working directory. */
  #ensureFunctions(token: CancellationToken): Promise<void> {
    if (this.#functions.length === 0) return Promise.resolve();
    this.#functionsReady ??= this.#writeFunctions(token).catch((error: unknown) => {
      this.#functionsReady = undefined;
      throw error;
    });
    return this.#functionsReady;
  }

  async #writeFunctions(token: CancellationToken): Promise<void> {
    const checks: Array<{ language: string; command: string[] }> = [];
    if (this.#functions.some((fn) => fn.language === "python")) {
      writeFileSync(join(this.workDir, `${this.functionsModule}.py`), pythonFunctionsModule(this.#functions));
      checks.push({ language: "Python", command: [this.#pythonCommand, "-c", `import ${this.functionsModule}`] });
    }
    if (this.#functions.some((fn) => fn.language === "javascript")) {
      writeFileSync(join(this.workDir, `${this.functionsModule}.mjs`), javascriptFunctionsModule(this.#functions));
      checks.push({
        language: "JavaScript",
        command: [process.execPath, "--input-type=module", "-e", `await import("./${this.functionsModule}.mjs");`],
      });
    }
    for (const check of checks) {
      const [command, ...args] = check.command;
      const outcome = await runInProcessGroup({
        command: command!,
        args,
        cwd: this.workDir,
        env: this.#environment(),
        timeoutMs: this.timeout * 1000,
        maxOutputChars: this.#maxOutputChars,
        cancellationToken: token,
      });
      token.throwIfCancelled();
      if (outcome.exitCode !== 0)
        throw new UserError(
          `The ${check.language} functions given to LocalCommandLineCodeExecutor failed to load; fix their source. ` +
            `Output:\n${outcome.output}${outcome.spawnError ? outcome.spawnError.message : ""}`,
        );
    }
  }
}

function describe(fn: CodeFunctionSource): string {
  return `- ${functionSignature(fn)}${fn.description ? `: ${fn.description}` : ""}`;
}
