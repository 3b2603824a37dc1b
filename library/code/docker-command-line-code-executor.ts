import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { CancellationToken } from "../core/cancellation-token.ts";
import { UserError } from "../errors.ts";
import type { CodeBlock, CodeResult } from "./code-block.ts";
import type { CodeExecutor } from "./code-executor.ts";
import { type CodeLanguage, COMMAND_LINE_LANGUAGES } from "./code-languages.ts";
import { executeBlocksAsFiles, requirePositive } from "./command-line-blocks.ts";
import { type ProcessOutcome, runInProcessGroup } from "./process-tree.ts";

/** Options of DockerCommandLineCodeExecutor. */
export interface DockerCommandLineCodeExecutorOptions {
  /** Image the container runs (default "python:3-slim"); pulled on `start()` when missing. */
  image?: string;
  /** Host directory mounted at /workspace, where code is saved and runs. Default: a new temporary directory, removed by `stop()`. */
  workDir?: string;
  /** Seconds one block may run before everything running in the container is killed (default 60). */
  timeout?: number;
  /** Name of the container (default "agentbook-code-<random>"). */
  containerName?: string;
  /** Characters of output kept per block (default 64000). */
  maxOutputChars?: number;
  /** Delete the files saved under generated names after they ran (default true). */
  cleanupTempFiles?: boolean;
  /** Docker network for the container, for example "none" to cut it off (default: Docker's default network). */
  network?: string;
  /** The docker client (default "docker" on PATH). */
  dockerCommand?: string;
}

/** Whether a Docker engine answers, and what it said. */
export type DockerEngineStatus = { available: true; version: string } | { available: false; reason: string };

const CONTAINER_WORKDIR = "/workspace";
const DOCKER_CLI_TIMEOUT_MS = 30_000;
const DOCKER_PULL_TIMEOUT_MS = 15 * 60_000;
const LANGUAGES: readonly CodeLanguage[] = ["python", "bash", "sh", "javascript", "typescript"];

/** The docker client's environment: the caller's own (it needs DOCKER_HOST and its config); the container gets none of it. */
function clientEnvironment(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Run the docker client. */
function docker(dockerCommand: string, args: string[], timeoutMs = DOCKER_CLI_TIMEOUT_MS, cancellationToken?: CancellationToken): Promise<ProcessOutcome> {
  return runInProcessGroup({
    command: dockerCommand,
    args,
    cwd: process.cwd(),
    env: clientEnvironment(),
    timeoutMs,
    maxOutputChars: 16_000,
    cancellationToken,
  });
}

/** Ask the docker client whether an engine answers (`docker version`). */
export async function dockerEngineStatus(dockerCommand = "docker"): Promise<DockerEngineStatus> {
  const outcome = await docker(dockerCommand, ["version", "--format", "{{.Server.Version}}"], 15_000);
  if (outcome.spawnError)
    return { available: false, reason: `the ${dockerCommand} command was not found (${outcome.spawnError.code ?? outcome.spawnError.message})` };
  const firstLine = outcome.output.trim().split("\n").find((line) => line.trim() !== "") ?? "";
  if (outcome.timedOut) return { available: false, reason: `${dockerCommand} version did not answer within 15 s` };
  if (outcome.exitCode !== 0) {
    const errorLine = outcome.output.split("\n").find((line) => /cannot connect|error|denied|not running/i.test(line)) ?? firstLine;
    return { available: false, reason: errorLine.trim() || `${dockerCommand} version exited with code ${outcome.exitCode}` };
  }
  return { available: true, version: firstLine.trim() };
}

/**
 * Runs python, bash, sh, javascript and typescript blocks inside a Docker container, through
 * the docker CLI. The container starts on `start()` (or the first `executeCodeBlocks`); that is
 * where a missing Docker engine is reported, with a UserError saying how to fix it. Construction
 * never touches Docker. The image must contain the interpreters the blocks need (`node` for
 * javascript, `tsx` for typescript).
 */
export class DockerCommandLineCodeExecutor implements CodeExecutor {
  readonly supportedLanguages: readonly string[] = COMMAND_LINE_LANGUAGES;
  /** The image the container runs. */
  readonly image: string;
  /** Seconds one block may run. */
  readonly timeout: number;
  /** Name of the container. */
  readonly containerName: string;
  readonly #userWorkDir: string | undefined;
  #tempDir: string | undefined;
  readonly #maxOutputChars: number;
  readonly #cleanupTempFiles: boolean;
  readonly #network: string | undefined;
  readonly #dockerCommand: string;
  #starting: Promise<void> | undefined;
  #removeOnExit: (() => void) | undefined;
  #stopToken = new CancellationToken();

  constructor(options: DockerCommandLineCodeExecutorOptions = {}) {
    const owner = "DockerCommandLineCodeExecutor";
    this.image = options.image ?? "python:3-slim";
    this.timeout = requirePositive(options.timeout ?? 60, "timeout (seconds)", owner);
    this.#maxOutputChars = requirePositive(options.maxOutputChars ?? 64_000, "maxOutputChars", owner);
    this.#cleanupTempFiles = options.cleanupTempFiles ?? true;
    this.#network = options.network;
    this.#dockerCommand = options.dockerCommand ?? "docker";
    this.containerName = options.containerName ?? `agentbook-code-${randomUUID().slice(0, 8)}`;
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(this.containerName))
      throw new UserError(`${owner} option containerName ${JSON.stringify(this.containerName)} is not a valid container name (letters, digits, "_", ".", "-").`);
    if (options.workDir !== undefined) {
      this.#userWorkDir = resolve(options.workDir);
      mkdirSync(this.#userWorkDir, { recursive: true });
    }
  }

  /** The host directory mounted at /workspace in the container. */
  get workDir(): string {
    if (this.#userWorkDir) return this.#userWorkDir;
    this.#tempDir ??= mkdtempSync(join(tmpdir(), "agentbook-docker-code-"));
    return this.#tempDir;
  }

  /**
   * Check that a Docker engine answers, pull the image if needed and start the container.
   * Throws a UserError naming the problem and the fix when no engine answers.
   */
  start(): Promise<void> {
    this.#starting ??= this.#start().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    const status = await dockerEngineStatus(this.#dockerCommand);
    if (!status.available)
      throw new UserError(
        `DockerCommandLineCodeExecutor needs a running Docker engine, and none answered (${status.reason}). ` +
          "Start Docker (for example `sudo systemctl start docker`, or open Docker Desktop), or point DOCKER_HOST at a running engine; " +
          "or run code on this machine with LocalCommandLineCodeExecutor.",
      );
    const inspect = await docker(this.#dockerCommand, ["image", "inspect", this.image]);
    if (inspect.exitCode !== 0) {
      const pull = await docker(this.#dockerCommand, ["pull", this.image], DOCKER_PULL_TIMEOUT_MS);
      if (pull.exitCode !== 0)
        throw new UserError(`Docker could not pull the image ${this.image}: ${pull.output.trim()}. Check the image name, or pull it yourself with \`docker pull ${this.image}\`.`);
    }
    const args = ["run", "--detach", "--rm", "--init", "--name", this.containerName];
    args.push("--volume", `${this.workDir}:${CONTAINER_WORKDIR}`, "--workdir", CONTAINER_WORKDIR);
    if (this.#network) args.push("--network", this.#network);
    args.push("--entrypoint", "sleep", this.image, "infinity");
    const run = await docker(this.#dockerCommand, args);
    if (run.exitCode !== 0) throw new UserError(`Docker could not start a container from ${this.image}: ${run.output.trim()}`);
    // A container left behind by a crashed program would run forever; remove it when Node exits.
    const name = this.containerName;
    const command = this.#dockerCommand;
    this.#removeOnExit = () => void spawnSync(command, ["rm", "--force", name], { stdio: "ignore", timeout: 10_000 });
    process.once("exit", this.#removeOnExit);
  }

  /** Kill running code, remove the container and the temporary working directory. */
  async stop(): Promise<void> {
    this.#stopToken.cancel("the code executor was stopped");
    this.#stopToken = new CancellationToken();
    const starting = this.#starting;
    this.#starting = undefined;
    if (starting && (await starting.then(() => true, () => false))) {
      await docker(this.#dockerCommand, ["rm", "--force", this.containerName]);
      if (this.#removeOnExit) process.off("exit", this.#removeOnExit);
      this.#removeOnExit = undefined;
    }
    if (this.#tempDir) rmSync(this.#tempDir, { recursive: true, force: true });
    this.#tempDir = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async executeCodeBlocks(blocks: readonly CodeBlock[], cancellationToken?: CancellationToken): Promise<CodeResult> {
    const token = CancellationToken.any(cancellationToken, this.#stopToken);
    await token.race(this.start());
    return executeBlocksAsFiles(blocks, {
      workDir: this.workDir,
      timeout: this.timeout,
      cleanupTempFiles: this.#cleanupTempFiles,
      languages: LANGUAGES,
      executorName: "DockerCommandLineCodeExecutor",
      cancellationToken: token,
      run: async ({ path, language }, runToken) => {
        const inContainer = `${CONTAINER_WORKDIR}/${relative(this.workDir, path).split(sep).join("/")}`;
        const command = [...interpreter(language), inContainer];
        const startedAt = Date.now();
        const outcome = await runInProcessGroup({
          command: this.#dockerCommand,
          // `timeout` inside the container kills the code itself; the host timer below is the backstop.
          args: ["exec", "--workdir", CONTAINER_WORKDIR, this.containerName, "timeout", "-s", "KILL", String(this.timeout), ...command],
          cwd: this.workDir,
          env: clientEnvironment(),
          timeoutMs: this.timeout * 1000 + 5000,
          maxOutputChars: this.#maxOutputChars,
          cancellationToken: runToken,
        });
        // Killing the docker client does not stop what runs in the container: kill it there
        // (every process but the container's init).
        if (outcome.timedOut || outcome.cancelled)
          await docker(this.#dockerCommand, ["exec", this.containerName, "kill", "-9", "-1"]);
        // GNU timeout kills the code's process group and exits with 124 (or 137, 128 + SIGKILL).
        const ranFullTime = Date.now() - startedAt >= this.timeout * 1000;
        if (ranFullTime && (outcome.exitCode === 124 || outcome.exitCode === 137) && !outcome.cancelled)
          return { ...outcome, exitCode: 124, timedOut: true };
        return outcome;
      },
    });
  }
}

function interpreter(language: CodeLanguage): string[] {
  switch (language) {
    case "python":
      return ["python3"];
    case "bash":
      return ["bash"];
    case "sh":
      return ["sh"];
    case "javascript":
      return ["node"];
    case "typescript":
      return ["tsx"];
  }
}
