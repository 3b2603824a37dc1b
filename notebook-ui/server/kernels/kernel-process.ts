import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as zmq from "zeromq";
import type { Channel, ConnectionInfo, JupyterMessage, KernelSpecFile, StatusContent } from "../../../kernel/protocol/messages.ts";
import { decodeFrames, encodeFrames, newHeader, WireError } from "../../../kernel/protocol/wire.ts";
import { freePorts } from "./free-ports.ts";

/** What /api/kernels reports about a kernel's activity. */
export type ExecutionState = "starting" | "idle" | "busy" | "restarting" | "dead";

/** A kernel as /api/kernels lists it. */
export interface KernelModel {
  id: string;
  name: string;
  last_activity: string;
  execution_state: ExecutionState;
  connections: number;
  /** Why the kernel is dead, when it is. */
  reason?: string;
}

/** Options of `KernelProcess.launch`. */
export interface LaunchOptions {
  /** The kernelspec name (reported back in the model). */
  name: string;
  /** kernel.json contents: argv with `{connection_file}`. */
  spec: KernelSpecFile;
  /** Working directory of the kernel (the notebook's folder). */
  cwd: string;
  /** How long to wait for the kernel to answer kernel_info (default 60 s). */
  readyTimeoutMs?: number;
}

const STDERR_TAIL_BYTES = 4000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Receive frames until the socket closes, handing each decoded message to `onMessage`. */
async function pump(socket: zmq.Dealer | zmq.Subscriber, key: string, onMessage: (message: JupyterMessage) => void): Promise<void> {
  try {
    for await (const frames of socket) {
      try {
        onMessage(decodeFrames(frames as Buffer[], key).message);
      } catch (error) {
        if (!(error instanceof WireError)) throw error;
        // The protocol says to drop messages that fail to decode or verify.
      }
    }
  } catch {
    // The socket was closed.
  }
}

/**
 * The sockets one WebSocket client talks through: its own shell, control and stdin DEALERs,
 * sharing one identity so the kernel's input_request reaches the client whose cell asked.
 */
export class KernelChannels {
  #sockets: Record<"shell" | "control" | "stdin", zmq.Dealer>;
  #key: string;

  constructor(connection: ConnectionInfo, onMessage: (channel: Channel, message: JupyterMessage) => void) {
    const routingId = `ws-${randomUUID()}`;
    const address = (port: number) => `tcp://${connection.ip}:${port}`;
    this.#key = connection.key;
    this.#sockets = {
      shell: new zmq.Dealer({ routingId, linger: 0 }),
      control: new zmq.Dealer({ routingId, linger: 0 }),
      stdin: new zmq.Dealer({ routingId, linger: 0 }),
    };
    this.#sockets.shell.connect(address(connection.shell_port));
    this.#sockets.control.connect(address(connection.control_port));
    this.#sockets.stdin.connect(address(connection.stdin_port));
    for (const channel of ["shell", "control", "stdin"] as const) {
      void pump(this.#sockets[channel], this.#key, (message) => onMessage(channel, message));
    }
  }

  /** Send a client message to the kernel on `channel` (shell, control or stdin). */
  async send(channel: Channel, message: JupyterMessage): Promise<void> {
    if (channel !== "shell" && channel !== "control" && channel !== "stdin") return;
    const { channel: _channel, ...wire } = message;
    await this.#sockets[channel].send(encodeFrames(wire, this.#key));
  }

  /** Close the sockets. */
  close(): void {
    for (const socket of Object.values(this.#sockets)) socket.close();
  }
}

/**
 * One kernel child process, launched the way Jupyter launches kernels: a connection file with
 * random ports and key, then the kernelspec's argv. It keeps one iopub subscription that it
 * fans out to every client, tracks the execution state, and reports the kernel's death.
 *
 * Events: "iopub" (message), "state" (ExecutionState), "dead" (reason).
 */
export class KernelProcess extends EventEmitter {
  /** Kernel id (UUID). */
  readonly id = randomUUID();
  /** Kernelspec name. */
  readonly name: string;
  /** Current execution state. */
  executionState: ExecutionState = "starting";
  /** Last time the kernel sent anything. */
  lastActivity = new Date();
  /** Open WebSocket connections. */
  connections = 0;
  /** Why the kernel died, once it has. */
  deathReason: string | undefined;

  #spec: KernelSpecFile;
  #cwd: string;
  #readyTimeoutMs: number;
  #connection!: ConnectionInfo;
  #runtimeDir!: string;
  #connectionFile!: string;
  #child: ChildProcess | undefined;
  #exitExpected = false;
  #stderrTail = "";
  #iopub: zmq.Subscriber | undefined;
  #shell: zmq.Dealer | undefined;
  #control: zmq.Dealer | undefined;
  #session = randomUUID();
  #pending = new Map<string, (message: JupyterMessage) => void>();
  #sawIopub = false;

  private constructor(options: LaunchOptions) {
    super();
    this.name = options.name;
    this.#spec = options.spec;
    this.#cwd = options.cwd;
    this.#readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  }

  /** Start a kernel and wait until it answers kernel_info. */
  static async launch(options: LaunchOptions): Promise<KernelProcess> {
    const kernel = new KernelProcess(options);
    try {
      await kernel.#setUp();
    } catch (error) {
      await kernel.shutdown();
      throw error;
    }
    return kernel;
  }

  /** Connection details (ports and key) clients' sockets use. */
  get connection(): ConnectionInfo {
    return this.#connection;
  }

  /** What /api/kernels reports. */
  model(): KernelModel {
    return {
      id: this.id,
      name: this.name,
      last_activity: this.lastActivity.toISOString(),
      execution_state: this.executionState,
      connections: this.connections,
      ...(this.deathReason ? { reason: this.deathReason } : {}),
    };
  }

  async #setUp(): Promise<void> {
    const [shell, iopub, stdin, control, hb] = await freePorts(5);
    this.#connection = {
      ip: "127.0.0.1",
      transport: "tcp",
      shell_port: shell!,
      iopub_port: iopub!,
      stdin_port: stdin!,
      control_port: control!,
      hb_port: hb!,
      key: randomBytes(32).toString("hex"),
      signature_scheme: "hmac-sha256",
      kernel_name: this.name,
    };
    this.#runtimeDir = await mkdtemp(join(tmpdir(), "agentbook-kernel-"));
    this.#connectionFile = join(this.#runtimeDir, `kernel-${this.id}.json`);
    await writeFile(this.#connectionFile, JSON.stringify(this.#connection, null, 2), { mode: 0o600 });
    this.#openOwnSockets();
    await this.#spawnAndWait();
  }

  #openOwnSockets(): void {
    const address = (port: number) => `tcp://${this.#connection.ip}:${port}`;
    const key = this.#connection.key;
    this.#iopub = new zmq.Subscriber({ linger: 0 });
    this.#iopub.connect(address(this.#connection.iopub_port));
    this.#iopub.subscribe();
    void pump(this.#iopub, key, (message) => this.#onIopub(message));
    this.#shell = new zmq.Dealer({ routingId: `server-${this.#session}`, linger: 0 });
    this.#shell.connect(address(this.#connection.shell_port));
    void pump(this.#shell, key, (message) => this.#onReply(message));
    this.#control = new zmq.Dealer({ routingId: `server-${this.#session}`, linger: 0 });
    this.#control.connect(address(this.#connection.control_port));
    void pump(this.#control, key, (message) => this.#onReply(message));
  }

  #onIopub(message: JupyterMessage): void {
    this.#sawIopub = true;
    this.lastActivity = new Date();
    if (message.header.msg_type === "status" && this.executionState !== "dead") {
      const state = (message.content as unknown as StatusContent).execution_state;
      if (state === "busy" || state === "idle") this.#setState(state);
    }
    this.emit("iopub", message);
  }

  #onReply(message: JupyterMessage): void {
    const parentId = (message.parent_header as { msg_id?: string }).msg_id;
    const resolve = parentId ? this.#pending.get(parentId) : undefined;
    if (resolve) {
      this.#pending.delete(parentId!);
      resolve(message);
    }
  }

  #setState(state: ExecutionState): void {
    if (this.executionState === state) return;
    this.executionState = state;
    this.emit("state", state);
  }

  /** Send a request from the server itself and wait for the reply (or null after `timeoutMs`). */
  async #request(socket: zmq.Dealer, msgType: string, content: Record<string, unknown>, timeoutMs: number): Promise<JupyterMessage | null> {
    const message: JupyterMessage = { header: newHeader(msgType, this.#session), parent_header: {}, metadata: {}, content };
    const reply = new Promise<JupyterMessage | null>((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(message.header.msg_id);
        resolve(null);
      }, timeoutMs);
      this.#pending.set(message.header.msg_id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
    });
    await socket.send(encodeFrames(message, this.#connection.key));
    return reply;
  }

  async #spawnAndWait(): Promise<void> {
    const argv = this.#spec.argv.map((arg) => arg.replaceAll("{connection_file}", this.#connectionFile));
    if (argv.length === 0) throw new Error(`Kernelspec ${this.name} has an empty argv; its kernel.json must name a program.`);
    this.#exitExpected = false;
    this.#stderrTail = "";
    this.#sawIopub = false;
    this.deathReason = undefined;
    this.#setState("starting");
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: this.#cwd,
      env: { ...process.env, ...this.#spec.env, JPY_PARENT_PID: String(process.pid) },
      stdio: ["ignore", "ignore", "pipe"],
      detached: true,
    });
    this.#child = child;
    child.stderr!.on("data", (chunk: Buffer) => {
      this.#stderrTail = (this.#stderrTail + chunk.toString()).slice(-STDERR_TAIL_BYTES);
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.once("error", (error) => this.#onExit(child, null, null, error.message));
    child.once("exit", (code, signal) => this.#onExit(child, code, signal));

    const deadline = Date.now() + this.#readyTimeoutMs;
    let answered = false;
    while (Date.now() < deadline && this.#child === child && child.exitCode === null && child.signalCode === null) {
      const step = this.#request(this.#shell!, "kernel_info_request", {}, 500);
      const reply = await Promise.race([step, exited.then(() => null)]);
      answered ||= reply !== null;
      // Replies alone are not enough: iopub must be subscribed too, or the first outputs would be lost,
      // and the kernel must have gone idle again after answering.
      if (answered && this.#sawIopub && this.executionState === "idle") return;
      if (answered) await delay(50);
    }
    if (this.#child === child && child.exitCode === null && child.signalCode === null) {
      this.#killGroup(child, "SIGKILL");
      throw new Error(`Kernel ${this.name} did not answer kernel_info within ${this.#readyTimeoutMs} ms (argv: ${argv.join(" ")}).${this.#stderrHint()}`);
    }
    throw new Error(`Kernel ${this.name} exited while starting (argv: ${argv.join(" ")}).${this.#stderrHint()}`);
  }

  #stderrHint(): string {
    const tail = this.#stderrTail.trim();
    return tail ? ` Its last output:\n${tail}` : "";
  }

  #onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null, error?: string): void {
    if (this.#child !== child || this.#exitExpected) return;
    this.#child = undefined;
    const how = error ? `failed to start (${error})` : signal ? `was killed by ${signal}` : `exited with code ${code}`;
    this.deathReason = `The kernel ${how}.${this.#stderrHint()}`;
    this.#setState("dead");
    this.emit("dead", this.deathReason);
  }

  #killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      try {
        child.kill(signal);
      } catch {
        // Already gone.
      }
    }
  }

  /** Interrupt the running cell: SIGINT, or an interrupt_request when the spec asks for messages. */
  async interrupt(): Promise<void> {
    if (this.executionState === "dead" || !this.#child) throw new Error(`Kernel ${this.id} is dead; restart it instead of interrupting.`);
    if (this.#spec.interrupt_mode === "message") {
      await this.#request(this.#control!, "interrupt_request", {}, 5000);
    } else {
      this.#killGroup(this.#child, "SIGINT");
    }
  }

  /** Stop the child: a shutdown_request first, then signals to its whole process group. */
  async #stopChild(restart: boolean): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#exitExpected = true;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once("exit", () => resolve());
    });
    const waitExit = (ms: number) => Promise.race([exited.then(() => true), delay(ms).then(() => false)]);
    void this.#request(this.#control!, "shutdown_request", { restart }, 2000).catch(() => {});
    if (!(await waitExit(2000))) {
      this.#killGroup(child, "SIGTERM");
      if (!(await waitExit(1000))) {
        this.#killGroup(child, "SIGKILL");
        await waitExit(2000);
      }
    }
    // Code the kernel started (a shell, a code executor) goes down with it.
    this.#killGroup(child, "SIGKILL");
    this.#child = undefined;
  }

  /** Restart: stop the process (dead or alive) and launch it again on the same ports. */
  async restart(): Promise<void> {
    await this.#stopChild(true);
    this.#setState("restarting");
    await this.#spawnAndWait();
  }

  /** Stop the kernel and release its sockets and connection file. */
  async shutdown(): Promise<void> {
    await this.#stopChild(false);
    this.#exitExpected = true;
    for (const socket of [this.#iopub, this.#shell, this.#control]) socket?.close();
    this.#iopub = this.#shell = this.#control = undefined;
    if (this.#runtimeDir) await rm(this.#runtimeDir, { recursive: true, force: true });
    this.removeAllListeners();
  }

  /** A dead-status message as the kernel would have sent it, for clients still connected. */
  deadStatusMessage(): JupyterMessage {
    return {
      header: newHeader("status", this.#session),
      parent_header: {},
      metadata: {},
      content: { execution_state: "dead" },
      channel: "iopub",
    };
  }
}
