/**
 * A Jupyter client over real ZeroMQ for the kernel tests: starts `agentbook kernel start` as a
 * child process with a fresh connection file, and speaks to it as jupyter_client does.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as zmq from "zeromq";
import { agentbookKernelSpec } from "../../kernel/kernelspec.ts";
import type { ConnectionInfo, JupyterMessage } from "../../kernel/protocol/messages.ts";
import { decodeFrames, encodeFrames, newHeader } from "../../kernel/protocol/wire.ts";

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** A fresh connection file's contents. */
export async function newConnection(): Promise<ConnectionInfo> {
  return {
    ip: "127.0.0.1",
    transport: "tcp",
    shell_port: await freePort(),
    iopub_port: await freePort(),
    stdin_port: await freePort(),
    control_port: await freePort(),
    hb_port: await freePort(),
    key: randomBytes(16).toString("hex"),
    signature_scheme: "hmac-sha256",
    kernel_name: "agentbook",
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The outputs and reply of one execute_request. */
export interface Execution {
  reply: JupyterMessage;
  /** iopub messages with this request as parent, in order, status messages excluded. */
  outputs: JupyterMessage[];
  /** Every iopub message of this request, status included. */
  all: JupyterMessage[];
}

/** A running kernel process and a client connected to it. */
export class KernelClient {
  readonly session = randomUUID();
  readonly connection: ConnectionInfo;
  readonly process: ChildProcess;
  readonly shell = new zmq.Dealer();
  readonly control = new zmq.Dealer();
  readonly stdin = new zmq.Dealer();
  readonly iopub = new zmq.Subscriber();
  /** Everything the kernel wrote to stderr (its log). */
  log = "";
  /** Exit code once the process has exited. */
  exitCode: number | null | undefined;
  readonly exited: Promise<number | null>;
  readonly #iopubMessages: JupyterMessage[] = [];
  readonly #iopubWaiters: Array<() => void> = [];
  readonly #replies = new Map<string, (message: JupyterMessage) => void>();
  readonly #earlyReplies = new Map<string, JupyterMessage>();
  readonly #directory: string;
  /** Called with each input_request; returns the answer. */
  onInput: (prompt: string) => string = () => "";

  private constructor(connection: ConnectionInfo, options: { cwd?: string; env?: NodeJS.ProcessEnv }) {
    this.connection = connection;
    this.#directory = mkdtempSync(join(tmpdir(), "agentbook-kernel-"));
    const file = join(this.#directory, "connection.json");
    writeFileSync(file, JSON.stringify(connection));
    const argv = agentbookKernelSpec().argv.map((part) => part.replace("{connection_file}", file));
    this.process = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd ?? process.cwd(), env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    this.process.stderr!.on("data", (chunk: Buffer) => (this.log += chunk.toString()));
    this.process.stdout!.on("data", (chunk: Buffer) => (this.log += chunk.toString()));
    this.exited = new Promise((resolve) =>
      this.process.on("exit", (code) => {
        this.exitCode = code;
        resolve(code);
      }),
    );
    for (const socket of [this.shell, this.control, this.stdin]) {
      socket.routingId = this.session;
      socket.linger = 0;
    }
    this.iopub.linger = 0;
  }

  /** Start a kernel and wait until it answers kernel_info and its iopub is connected. */
  static async start(options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<KernelClient> {
    const client = new KernelClient(await newConnection(), options);
    const c = client.connection;
    client.shell.connect(`tcp://${c.ip}:${c.shell_port}`);
    client.control.connect(`tcp://${c.ip}:${c.control_port}`);
    client.stdin.connect(`tcp://${c.ip}:${c.stdin_port}`);
    client.iopub.connect(`tcp://${c.ip}:${c.iopub_port}`);
    client.iopub.subscribe();
    void client.#readReplies(client.shell);
    void client.#readReplies(client.control);
    void client.#readStdin();
    void client.#readIopub();
    try {
      await withTimeout(client.#nudge(), options.timeoutMs ?? 30_000, "the kernel to start");
    } catch (error) {
      await client.close();
      throw new Error(`${(error as Error).message}\nkernel log:\n${client.log}`);
    }
    return client;
  }

  /** Like jupyter_client: repeat kernel_info until a reply and an iopub message both arrive. */
  async #nudge(): Promise<void> {
    for (;;) {
      const seen = this.#iopubMessages.length;
      const header = newHeader("kernel_info_request", this.session, "test");
      await this.#sendOn(this.shell, { header, parent_header: {}, metadata: {}, content: {} });
      const reply = await Promise.race([this.#waitReply(header.msg_id), new Promise<undefined>((resolve) => setTimeout(resolve, 500))]);
      if (reply) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        if (this.#iopubMessages.length > seen) return;
      }
      if (this.exitCode !== undefined) throw new Error(`the kernel exited with ${this.exitCode}`);
    }
  }

  #sendOn(socket: zmq.Dealer, message: JupyterMessage, key = this.connection.key): Promise<void> {
    return socket.send(encodeFrames(message, key));
  }

  async #readReplies(socket: zmq.Dealer): Promise<void> {
    try {
      for await (const frames of socket) {
        const { message } = decodeFrames(frames, this.connection.key);
        const parentId = (message.parent_header as { msg_id?: string }).msg_id ?? "";
        const waiter = this.#replies.get(parentId);
        if (waiter) {
          this.#replies.delete(parentId);
          waiter(message);
        } else this.#earlyReplies.set(parentId, message);
      }
    } catch {
      // closed
    }
  }

  async #readStdin(): Promise<void> {
    try {
      for await (const frames of this.stdin) {
        const { message } = decodeFrames(frames, this.connection.key);
        if (message.header.msg_type !== "input_request") continue;
        this.stdinRequests.push(message);
        const value = this.onInput((message.content as { prompt: string }).prompt);
        await this.#sendOn(this.stdin, { header: newHeader("input_reply", this.session, "test"), parent_header: message.header, metadata: {}, content: { value } });
      }
    } catch {
      // closed
    }
  }
  /** input_request messages received on stdin. */
  readonly stdinRequests: JupyterMessage[] = [];

  async #readIopub(): Promise<void> {
    try {
      for await (const frames of this.iopub) {
        const { message } = decodeFrames(frames, this.connection.key);
        this.#iopubMessages.push(message);
        for (const wake of this.#iopubWaiters.splice(0)) wake();
      }
    } catch {
      // closed
    }
  }

  #waitReply(msgId: string): Promise<JupyterMessage> {
    const early = this.#earlyReplies.get(msgId);
    if (early) {
      this.#earlyReplies.delete(msgId);
      return Promise.resolve(early);
    }
    return new Promise((resolve) => this.#replies.set(msgId, resolve));
  }

  /** Send a request; returns its header (to match replies and outputs). */
  async send(channel: "shell" | "control", msgType: string, content: object, options: { key?: string } = {}): Promise<JupyterMessage["header"]> {
    const header = newHeader(msgType, this.session, "test");
    await this.#sendOn(channel === "shell" ? this.shell : this.control, { header, parent_header: {}, metadata: {}, content: content as Record<string, unknown> }, options.key);
    return header;
  }

  /** The reply to the request `msgId`. */
  reply(msgId: string, timeoutMs = 30_000): Promise<JupyterMessage> {
    return withTimeout(this.#waitReply(msgId), timeoutMs, `the reply to ${msgId}`);
  }

  /** Send a request and wait for its reply. */
  async request(channel: "shell" | "control", msgType: string, content: object, timeoutMs = 30_000): Promise<JupyterMessage> {
    const header = await this.send(channel, msgType, content);
    return this.reply(header.msg_id, timeoutMs);
  }

  /** iopub messages whose parent is `msgId`, once its status went idle. */
  async iopubFor(msgId: string, timeoutMs = 30_000): Promise<JupyterMessage[]> {
    const done = () => this.#iopubMessages.some((m) => (m.parent_header as { msg_id?: string }).msg_id === msgId && m.header.msg_type === "status" && (m.content as { execution_state: string }).execution_state === "idle");
    await withTimeout(
      (async () => {
        while (!done()) await new Promise<void>((resolve) => this.#iopubWaiters.push(resolve));
      })(),
      timeoutMs,
      `idle after ${msgId}`,
    );
    return this.#iopubMessages.filter((m) => (m.parent_header as { msg_id?: string }).msg_id === msgId);
  }

  /** Wait until an iopub message of request `msgId` matches `predicate`. */
  async waitForOutput(msgId: string, predicate: (message: JupyterMessage) => boolean, timeoutMs = 60_000): Promise<JupyterMessage> {
    const find = () => this.#iopubMessages.find((m) => (m.parent_header as { msg_id?: string }).msg_id === msgId && predicate(m));
    await withTimeout(
      (async () => {
        while (!find()) await new Promise<void>((resolve) => this.#iopubWaiters.push(resolve));
      })(),
      timeoutMs,
      `output of ${msgId}`,
    );
    return find()!;
  }

  /** All iopub messages received so far. */
  get iopubMessages(): readonly JupyterMessage[] {
    return this.#iopubMessages;
  }

  /** Execute `code` and collect its reply and outputs. */
  async execute(code: string, options: Partial<{ silent: boolean; stop_on_error: boolean; allow_stdin: boolean; user_expressions: Record<string, string>; timeoutMs: number }> = {}): Promise<Execution> {
    const header = await this.send("shell", "execute_request", {
      code,
      silent: options.silent ?? false,
      store_history: true,
      user_expressions: options.user_expressions ?? {},
      allow_stdin: options.allow_stdin ?? true,
      stop_on_error: options.stop_on_error ?? true,
    });
    return this.collect(header.msg_id, options.timeoutMs);
  }

  /** Reply and outputs of an execute request already sent. */
  async collect(msgId: string, timeoutMs = 60_000): Promise<Execution> {
    const reply = await this.reply(msgId, timeoutMs);
    const all = await this.iopubFor(msgId, timeoutMs);
    return { reply, all, outputs: all.filter((m) => m.header.msg_type !== "status") };
  }

  /** Ping the heartbeat; resolves with the echo. */
  async heartbeat(payload = "ping", timeoutMs = 5000): Promise<string> {
    const socket = new zmq.Request();
    socket.linger = 0;
    socket.connect(`tcp://${this.connection.ip}:${this.connection.hb_port}`);
    try {
      await socket.send(payload);
      const [echo] = await withTimeout(socket.receive(), timeoutMs, "the heartbeat");
      return echo!.toString();
    } finally {
      socket.close();
    }
  }

  /** Stop the kernel (shutdown_request, then SIGKILL if it lingers) and close the sockets. */
  async close(): Promise<void> {
    if (this.exitCode === undefined) {
      try {
        await this.send("control", "shutdown_request", { restart: false });
        await withTimeout(this.exited, 5000, "the kernel to exit");
      } catch {
        this.process.kill("SIGKILL");
        await this.exited;
      }
    }
    for (const socket of [this.shell, this.control, this.stdin, this.iopub]) socket.close();
    rmSync(this.#directory, { recursive: true, force: true });
  }
}

/** Text of the outputs of an execution, by kind (for assertions). */
export function outputsOf(execution: Execution, msgType: string): Array<Record<string, unknown>> {
  return execution.outputs.filter((m) => m.header.msg_type === msgType).map((m) => m.content);
}
