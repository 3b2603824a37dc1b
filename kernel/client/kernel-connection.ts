/**
 * A Jupyter client for one agentbook kernel process: what `agentbook run` (and the benchmarks)
 * use to execute notebooks through a real kernel over ZeroMQ.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as zmq from "zeromq";
import { agentbookKernelSpec } from "../kernelspec.ts";
import type { ConnectionInfo, JupyterMessage } from "../protocol/messages.ts";
import { decodeFrames, encodeFrames, newHeader } from "../protocol/wire.ts";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

/** The kernel process ended while a request was outstanding. */
export class KernelDiedError extends Error {
  constructor(code: number | null, signal: string | null) {
    super(`The kernel exited (${signal ? `signal ${signal}` : `code ${code}`}) while running a cell.`);
    this.name = "KernelDiedError";
  }
}

/** Options of one execution. */
export interface ExecuteOptions {
  /** Called for each iopub message of this request (except status), in order. */
  onOutput?: (message: JupyterMessage) => void;
  /** Answers `input()`; without it the front end refuses input (allow_stdin false). */
  onInput?: (prompt: string, password: boolean) => Promise<string>;
  stopOnError?: boolean;
}

/** The reply of an execute_request. */
export type ExecuteResult = JupyterMessage<{ status: "ok" | "error" | "aborted"; execution_count: number | null; ename?: string; evalue?: string; traceback?: string[] }>;

/** A started kernel process with sockets connected to it. */
export class KernelConnection {
  readonly #session = randomUUID();
  readonly #shell = new zmq.Dealer();
  readonly #control = new zmq.Dealer();
  readonly #stdin = new zmq.Dealer();
  readonly #iopub = new zmq.Subscriber();
  readonly #process: ChildProcess;
  readonly #connection: ConnectionInfo;
  readonly #directory: string;
  readonly #replies = new Map<string, (message: JupyterMessage) => void>();
  readonly #outputs = new Map<string, { onOutput?: (message: JupyterMessage) => void; idle: () => void }>();
  readonly #idleSeen = new Set<string>();
  #inputHandler: ExecuteOptions["onInput"];
  #iopubSeen = false;
  #exit: { code: number | null; signal: string | null } | undefined;
  readonly #exited: Promise<void>;
  #log = "";

  private constructor(connection: ConnectionInfo, options: { cwd: string; env?: NodeJS.ProcessEnv; argv?: string[] }) {
    this.#connection = connection;
    this.#directory = mkdtempSync(join(tmpdir(), "agentbook-run-"));
    const file = join(this.#directory, "kernel.json");
    writeFileSync(file, JSON.stringify(connection), { mode: 0o600 });
    const argv = (options.argv ?? agentbookKernelSpec().argv).map((part) => part.replace("{connection_file}", file));
    this.#process = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    this.#process.stdout!.on("data", (chunk: Buffer) => (this.#log += chunk.toString()));
    this.#process.stderr!.on("data", (chunk: Buffer) => (this.#log = (this.#log + chunk.toString()).slice(-20_000)));
    this.#exited = new Promise((resolve) =>
      this.#process.on("exit", (code, signal) => {
        this.#exit = { code, signal };
        resolve();
      }),
    );
    for (const socket of [this.#shell, this.#control, this.#stdin]) {
      socket.routingId = this.#session;
      socket.linger = 0;
    }
    this.#iopub.linger = 0;
  }

  /**
   * Start a kernel in `cwd` and wait until it is ready (kernel_info answered, iopub connected).
   * `argv` (with `{connection_file}`) starts another kernel instead of agentbook's, for comparisons.
   */
  static async start(options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; argv?: string[] }): Promise<KernelConnection> {
    const ports = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const connection: ConnectionInfo = {
      ip: "127.0.0.1",
      transport: "tcp",
      shell_port: ports[0]!,
      iopub_port: ports[1]!,
      stdin_port: ports[2]!,
      control_port: ports[3]!,
      hb_port: ports[4]!,
      key: randomBytes(32).toString("hex"),
      signature_scheme: "hmac-sha256",
      kernel_name: "agentbook",
    };
    const kernel = new KernelConnection(connection, options);
    const address = (port: number) => `tcp://${connection.ip}:${port}`;
    kernel.#shell.connect(address(connection.shell_port));
    kernel.#control.connect(address(connection.control_port));
    kernel.#stdin.connect(address(connection.stdin_port));
    kernel.#iopub.connect(address(connection.iopub_port));
    kernel.#iopub.subscribe();
    void kernel.#readReplies(kernel.#shell);
    void kernel.#readReplies(kernel.#control);
    void kernel.#readIopub();
    void kernel.#readStdin();
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    try {
      await kernel.#waitReady(deadline);
    } catch (error) {
      await kernel.shutdown();
      throw error;
    }
    return kernel;
  }

  /** The kernel process id. */
  get pid(): number | undefined {
    return this.#process.pid;
  }

  /** The last lines the kernel wrote to its log (stderr). */
  get log(): string {
    return this.#log;
  }

  async #waitReady(deadline: number): Promise<void> {
    while (Date.now() < deadline) {
      if (this.#exit) throw new KernelDiedError(this.#exit.code, this.#exit.signal);
      const header = await this.#send(this.#shell, "kernel_info_request", {});
      const reply = await Promise.race([this.#reply(header.msg_id), new Promise<undefined>((resolve) => setTimeout(resolve, 200))]);
      if (reply) {
        for (let wait = 0; wait < 20 && !this.#iopubSeen; wait++) await new Promise((resolve) => setTimeout(resolve, 10));
        if (this.#iopubSeen) return;
      }
    }
    throw new Error(`The kernel did not become ready in time.\n${this.#log}`);
  }

  async #send(socket: zmq.Dealer, msgType: string, content: object, parent: JupyterMessage["parent_header"] = {}): Promise<JupyterMessage["header"]> {
    const header = newHeader(msgType, this.#session, "agentbook-run");
    await socket.send(encodeFrames({ header, parent_header: parent, metadata: {}, content: content as Record<string, unknown> }, this.#connection.key));
    return header;
  }

  #reply(msgId: string): Promise<JupyterMessage> {
    return new Promise((resolve, reject) => {
      this.#replies.set(msgId, resolve);
      void this.#exited.then(() => {
        if (this.#replies.delete(msgId)) reject(new KernelDiedError(this.#exit!.code, this.#exit!.signal));
      });
    });
  }

  async #readReplies(socket: zmq.Dealer): Promise<void> {
    try {
      for await (const frames of socket) {
        const { message } = decodeFrames(frames, this.#connection.key);
        const id = (message.parent_header as { msg_id?: string }).msg_id ?? "";
        const resolve = this.#replies.get(id);
        this.#replies.delete(id);
        resolve?.(message);
      }
    } catch {
      // Closed.
    }
  }

  async #readIopub(): Promise<void> {
    try {
      for await (const frames of this.#iopub) {
        const { message } = decodeFrames(frames, this.#connection.key);
        this.#iopubSeen = true;
        const id = (message.parent_header as { msg_id?: string }).msg_id ?? "";
        const listener = this.#outputs.get(id);
        if (message.header.msg_type === "status") {
          if ((message.content as { execution_state: string }).execution_state === "idle") {
            if (listener) listener.idle();
            else this.#idleSeen.add(id);
          }
        } else listener?.onOutput?.(message);
      }
    } catch {
      // Closed.
    }
  }

  async #readStdin(): Promise<void> {
    try {
      for await (const frames of this.#stdin) {
        const { message } = decodeFrames(frames, this.#connection.key);
        if (message.header.msg_type !== "input_request") continue;
        const { prompt, password } = message.content as { prompt: string; password: boolean };
        const value = this.#inputHandler ? await this.#inputHandler(prompt, password).catch(() => "") : "";
        await this.#send(this.#stdin, "input_reply", { value }, message.header);
      }
    } catch {
      // Closed.
    }
  }

  /** Run `code`; resolves with the execute_reply once the kernel is idle again (all outputs delivered). */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    this.#inputHandler = options.onInput;
    let idle!: () => void;
    const idled = new Promise<void>((resolve) => (idle = resolve));
    const header = newHeader("execute_request", this.#session, "agentbook-run");
    this.#outputs.set(header.msg_id, { onOutput: options.onOutput, idle });
    const reply = this.#reply(header.msg_id);
    await this.#shell.send(
      encodeFrames(
        {
          header,
          parent_header: {},
          metadata: {},
          content: { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: Boolean(options.onInput), stop_on_error: options.stopOnError ?? true },
        },
        this.#connection.key,
      ),
    );
    try {
      const result = (await reply) as ExecuteResult;
      if (!this.#idleSeen.delete(header.msg_id)) await Promise.race([idled, this.#exited]);
      return result;
    } finally {
      this.#outputs.delete(header.msg_id);
    }
  }

  /** Interrupt the running cell (interrupt_request on the control channel). */
  async interrupt(): Promise<void> {
    const header = await this.#send(this.#control, "interrupt_request", {});
    await Promise.race([this.#reply(header.msg_id), new Promise((resolve) => setTimeout(resolve, 5000))]);
  }

  /** Ask the kernel to shut down; kill it if it has not exited after `graceMs`. Closes the sockets. */
  async shutdown(graceMs = 3000): Promise<void> {
    if (!this.#exit) {
      await this.#send(this.#control, "shutdown_request", { restart: false }).catch(() => {});
      const timer = setTimeout(() => this.#process.kill("SIGKILL"), graceMs);
      await this.#exited;
      clearTimeout(timer);
    }
    for (const socket of [this.#shell, this.#control, this.#stdin, this.#iopub]) socket.close();
    rmSync(this.#directory, { recursive: true, force: true });
  }
}
