import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { UserError } from "../errors.ts";

/** Options of `ChromaServer.start`. */
export interface ChromaServerOptions {
  /** Folder the server keeps its data in (created if missing). */
  path: string;
  /** Port to listen on (default: a free one). */
  port?: number;
  /** Milliseconds to wait for the server to answer its heartbeat (default 30000). */
  startupTimeoutMs?: number;
}

/** Last bytes of the server's output kept for error messages. */
const OUTPUT_TAIL = 4000;

function chromaCliPath(): string {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve("chromadb");
  } catch (error) {
    throw new UserError("The chromadb package is not installed; run `npm install chromadb` to use ChromaDBVectorMemory.", { cause: error });
  }
  // The package's main file is dist/cjs/chromadb.cjs; its CLI is dist/cli.mjs.
  let folder = dirname(entry);
  while (!existsSync(join(folder, "package.json")) && dirname(folder) !== folder) folder = dirname(folder);
  const cli = join(folder, "dist", "cli.mjs");
  if (!existsSync(cli)) throw new UserError(`The chromadb package at ${folder} has no dist/cli.mjs; install chromadb 3.x.`);
  return cli;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A server must not outlive the program that started it.
  process.once("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

/**
 * A local Chroma server run as a child process (`node chromadb/dist/cli.mjs run`), bound to
 * 127.0.0.1, no Python needed. `start` waits for its heartbeat; `stop` ends it (and it is
 * killed when this process exits).
 */
export class ChromaServer {
  readonly host = "127.0.0.1";
  readonly port: number;
  readonly path: string;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;

  private constructor(child: ChildProcess, port: number, path: string, exited: Promise<void>) {
    this.#child = child;
    this.port = port;
    this.path = path;
    this.#exited = exited;
  }

  /** Base URL of the server. */
  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** Process id of the server. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Start a server on `path` and wait until it answers. */
  static async start(options: ChromaServerOptions): Promise<ChromaServer> {
    const path = resolve(options.path);
    mkdirSync(path, { recursive: true });
    const port = options.port ?? (await freePort());
    const timeoutMs = options.startupTimeoutMs ?? 30_000;
    const child = spawn(process.execPath, [chromaCliPath(), "run", "--path", path, "--port", String(port), "--host", "127.0.0.1"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ANONYMIZED_TELEMETRY: "False", NO_COLOR: "1" },
    });
    running.add(child);
    installExitHook();
    let output = "";
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_TAIL);
    };
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    let exitInfo: string | undefined;
    const exited = new Promise<void>((done) => {
      child.once("exit", (code, signal) => {
        exitInfo = signal ? `signal ${signal}` : `code ${code}`;
        running.delete(child);
        done();
      });
      child.once("error", (error) => {
        exitInfo = error.message;
        running.delete(child);
        done();
      });
    });
    const server = new ChromaServer(child, port, path, exited);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exitInfo !== undefined)
        throw new UserError(`The Chroma server for ${path} exited during startup (${exitInfo}). Its output:\n${output.trim()}`);
      try {
        const response = await fetch(`${server.url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1000) });
        if (response.ok) return server;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) {
        await server.stop();
        throw new UserError(
          `The Chroma server for ${path} did not answer on port ${port} within ${timeoutMs} ms; raise startupTimeoutMs or check its output:\n${output.trim()}`,
        );
      }
      await new Promise((wake) => setTimeout(wake, 50));
    }
  }

  /** Stop the server: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill("SIGTERM");
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }
}
