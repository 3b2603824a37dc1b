/**
 * The Jupyter protocol (5.3) side of the kernel: answers shell, control and stdin requests,
 * queues executions, publishes status and outputs on iopub. It runs on its own thread, so it
 * stays responsive (heartbeat, interrupt, kernel_info) while a cell spins on the main thread.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { MessagePort } from "node:worker_threads";
import type { CompileResult } from "../evaluator/cell-compiler.ts";
import type { FromRuntime, RunReport, ToRuntime } from "../threads/bridge-messages.ts";
import type { RpcClient } from "../threads/port-rpc.ts";
import type { KernelSockets, Incoming } from "./kernel-sockets.ts";
import type {
  ErrorContent,
  ExecuteReply,
  ExecuteRequest,
  KernelInfoReply,
  MessageHeader,
  ShutdownRequest,
} from "./messages.ts";
import { PROTOCOL_VERSION } from "./messages.ts";

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

function typescriptVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (JSON.parse(readFileSync(require.resolve("typescript/package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "5";
  }
}

/** How long consecutive stream writes are gathered into one `stream` message. */
const STREAM_FLUSH_MS = 15;

/** What the server needs from the rest of the kernel. */
export interface KernelServerOptions {
  sockets: KernelSockets;
  /** The main thread, where cells run. */
  runtime: MessagePort;
  /** The compiler thread. */
  compiler: RpcClient;
  /** Strict mode: type errors stop a cell. */
  strict: boolean;
  /** Stop synchronous cell code: SIGINT to this process (breakOnSigint catches it). */
  interrupt: () => void;
  /** Diagnostics for the kernel's own log (stderr of the kernel process). */
  log: (text: string) => void;
}

interface QueuedExecute extends Incoming {
  content: ExecuteRequest;
}

/** Serves one kernel's sockets. */
export class KernelServer {
  readonly #sockets: KernelSockets;
  readonly #runtime: MessagePort;
  readonly #compiler: RpcClient;
  readonly #options: KernelServerOptions;
  readonly #queue: QueuedExecute[] = [];
  #executing: QueuedExecute | undefined;
  /** Parent of outputs that arrive when no cell runs (a timer of an earlier cell). */
  #lastParent: MessageHeader | Record<string, never> = {};
  #executionCount = 0;
  #cellIds = 0;
  #stream: { name: "stdout" | "stderr"; text: string } | undefined;
  #streamTimer: ReturnType<typeof setTimeout> | undefined;
  #runDone: ((report: RunReport) => void) | undefined;
  #shuttingDown = false;
  #interruptedBeforeRun = false;
  /** The request the last interrupt_request was for (its SIGINTs may land late). */
  #interruptTarget: QueuedExecute | undefined;
  /** Re-sends the SIGINT while the interrupted request still runs. */
  #interruptRepeat: ReturnType<typeof setInterval> | undefined;
  readonly #kernelInfo: KernelInfoReply;

  constructor(options: KernelServerOptions) {
    this.#options = options;
    this.#sockets = options.sockets;
    this.#runtime = options.runtime;
    this.#compiler = options.compiler;
    this.#kernelInfo = {
      status: "ok",
      protocol_version: PROTOCOL_VERSION,
      implementation: "agentbook",
      implementation_version: PACKAGE_VERSION,
      language_info: {
        name: "typescript",
        version: typescriptVersion(),
        mimetype: "text/typescript",
        file_extension: ".ts",
        codemirror_mode: { name: "javascript", typescript: true },
        pygments_lexer: "typescript",
      },
      banner: `agentbook ${PACKAGE_VERSION}: TypeScript cells, top-level await, display(), and the agentbook library.`,
      help_links: [{ text: "agentbook", url: "https://www.npmjs.com/package/agentbook" }],
    };
    this.#runtime.on("message", (message: FromRuntime) => this.#fromRuntime(message));
    this.#sockets.onDropped = (reason) => options.log(`dropped a message: ${reason}`);
  }

  /** Serve until shutdown. */
  async serve(): Promise<void> {
    await this.#sockets.publish(this.#sockets.message("status", { execution_state: "starting" }));
    await Promise.all([
      this.#serveSocket(this.#sockets.shell, "shell"),
      this.#serveSocket(this.#sockets.control, "control"),
      this.#serveSocket(this.#sockets.stdin, "stdin"),
    ]);
  }

  async #serveSocket(socket: KernelSockets["shell"], channel: "shell" | "control" | "stdin"): Promise<void> {
    for await (const incoming of this.#sockets.receive(socket)) {
      try {
        if (channel === "stdin") this.#onStdin(incoming);
        else void this.#dispatch(incoming, socket, channel).catch((error) => this.#options.log(`error handling ${incoming.message.header.msg_type}: ${error?.stack ?? error}`));
      } catch (error) {
        this.#options.log(`error handling ${incoming.message.header.msg_type}: ${(error as Error)?.stack ?? error}`);
      }
    }
  }

  get #busy(): boolean {
    return this.#executing !== undefined || this.#queue.length > 0;
  }

  #publish(msgType: string, content: object, parent: MessageHeader | Record<string, never>, metadata: Record<string, unknown> = {}): Promise<void> {
    if (msgType !== "stream") this.#flushStream(parent);
    return this.#sockets.publish(this.#sockets.message(msgType, content, parent, metadata));
  }

  #status(state: "busy" | "idle", parent: MessageHeader): Promise<void> {
    return this.#publish("status", { execution_state: state }, parent);
  }

  async #dispatch(incoming: Incoming, socket: KernelSockets["shell"], channel: "shell" | "control"): Promise<void> {
    const { message, identities } = incoming;
    const header = message.header;
    const reply = (msgType: string, content: object) => this.#sockets.reply(socket, identities, this.#sockets.message(msgType, content, header));
    // Status for a side request while a cell runs would tell front ends the kernel is idle.
    const withStatus = async (work: () => Promise<void>) => {
      const announce = channel === "shell" && !this.#busy;
      if (announce) await this.#status("busy", header);
      try {
        await work();
      } finally {
        if (announce) await this.#status("idle", header);
      }
    };
    switch (header.msg_type) {
      case "execute_request":
        this.#queue.push({ ...incoming, content: message.content as unknown as ExecuteRequest });
        void this.#pump();
        return;
      case "kernel_info_request":
        return withStatus(() => reply("kernel_info_reply", this.#kernelInfo));
      case "complete_request": {
        const { code, cursor_pos } = message.content as { code: string; cursor_pos: number };
        return withStatus(async () => reply("complete_reply", await this.#compiler.call("complete", code, cursor_pos)));
      }
      case "inspect_request": {
        const { code, cursor_pos } = message.content as { code: string; cursor_pos: number };
        return withStatus(async () => reply("inspect_reply", await this.#compiler.call("inspect", code, cursor_pos)));
      }
      case "is_complete_request": {
        const { code } = message.content as { code: string };
        return withStatus(async () => reply("is_complete_reply", await this.#compiler.call("isComplete", code)));
      }
      case "comm_info_request":
        return withStatus(() => reply("comm_info_reply", { status: "ok", comms: {} }));
      case "history_request":
        return withStatus(() => reply("history_reply", { status: "ok", history: [] }));
      case "interrupt_request":
        this.#interrupt();
        return reply("interrupt_reply", { status: "ok" });
      case "shutdown_request":
        return this.#shutdown(message.content as unknown as ShutdownRequest, reply);
      case "comm_open":
      case "comm_msg":
      case "comm_close":
        return; // No comm targets: messages to them are ignored, as the protocol allows.
      default:
        this.#options.log(`ignoring unknown ${channel} message ${header.msg_type}`);
    }
  }

  #interrupt(): void {
    const target = this.#executing;
    if (!target) return;
    this.#interruptTarget = target;
    // Before the cell reaches the main thread, the interrupt simply keeps it from running.
    this.#interruptedBeforeRun = true;
    // SIGINT stops synchronous code (breakOnSigint) and, on the main thread's listener, a pending await.
    this.#options.interrupt();
    // A signal that lands in the instant between two steps of the cell is not seen; send it again
    // while the same cell still runs.
    // Pressing interrupt again restarts the repeats rather than adding a second series.
    clearInterval(this.#interruptRepeat);
    let repeats = 0;
    this.#interruptRepeat = setInterval(() => {
      if (this.#executing !== target || ++repeats > 5) clearInterval(this.#interruptRepeat);
      else this.#options.interrupt();
    }, 1000);
  }

  async #shutdown(request: ShutdownRequest, reply: (msgType: string, content: object) => Promise<void>): Promise<void> {
    if (this.#shuttingDown) return;
    this.#shuttingDown = true;
    const restart = Boolean(request?.restart);
    await reply("shutdown_reply", { status: "ok", restart });
    await this.#publish("status", { execution_state: "idle" }, this.#lastParent);
    await this.#sockets.close();
    this.#runtime.postMessage({ kind: "exit", code: 0 } satisfies ToRuntime);
  }

  // ---- execution -------------------------------------------------------------------------------

  async #pump(): Promise<void> {
    if (this.#executing) return;
    while (this.#queue.length > 0 && !this.#shuttingDown) {
      const next = this.#queue.shift()!;
      this.#executing = next;
      let failed = false;
      try {
        failed = await this.#execute(next);
      } catch (error) {
        this.#options.log(`execute failed: ${(error as Error)?.stack ?? error}`);
      } finally {
        this.#executing = undefined;
      }
      if (failed && next.content.stop_on_error !== false) await this.#abortQueued();
    }
  }

  async #abortQueued(): Promise<void> {
    const aborted = this.#queue.splice(0, this.#queue.length);
    for (const request of aborted) {
      const header = request.message.header;
      await this.#status("busy", header);
      const content: ExecuteReply = { status: "aborted", execution_count: null };
      await this.#sockets.reply(this.#sockets.shell, request.identities, this.#sockets.message("execute_reply", content, header, { status: "aborted" }));
      await this.#status("idle", header);
    }
  }

  /** Run one execute_request; returns true when it failed. */
  async #execute(request: QueuedExecute): Promise<boolean> {
    const header = request.message.header;
    const content = request.content;
    const silent = Boolean(content.silent);
    const storeHistory = !silent && content.store_history !== false;
    this.#lastParent = header;
    this.#interruptedBeforeRun = false;
    await this.#status("busy", header);
    if (storeHistory) this.#executionCount++;
    const count = this.#executionCount;
    if (!silent) await this.#publish("execute_input", { code: content.code, execution_count: count }, header);

    let report: RunReport;
    if (content.code.trim() === "") {
      report = { status: "ok", userExpressions: {} };
    } else {
      const label = silent ? "In[ ]" : `In[${count}]`;
      let compiled: CompileResult;
      try {
        compiled = await this.#compiler.call<CompileResult>("compile", { id: ++this.#cellIds, label, source: content.code, strict: this.#options.strict });
      } catch (error) {
        compiled = { status: "error", error: kernelError(error) };
      }
      if (compiled.status === "ok" && this.#interruptedBeforeRun) {
        report = { status: "error", error: interruptedError(label) };
      } else if (compiled.status === "error") {
        report = { status: "error", error: compiled.error };
      } else {
        if (compiled.typeError) await this.#publish("error", compiled.typeError, header);
        const cell = compiled.cell;
        report = await new Promise<RunReport>((resolve) => {
          this.#runDone = resolve;
          this.#interruptedBeforeRun = false;
          this.#runtime.postMessage({
            kind: "run",
            cell,
            silent,
            allowStdin: content.allow_stdin !== false,
            userExpressions: content.user_expressions ?? {},
          } satisfies ToRuntime);
        });
      }
    }

    if (report.status === "ok" && report.result && !silent)
      await this.#publish("execute_result", { execution_count: count, data: report.result.data, metadata: report.result.metadata }, header);
    let reply: ExecuteReply;
    if (report.status === "error") {
      await this.#publish("error", report.error, header);
      reply = { status: "error", execution_count: count, ...report.error };
    } else {
      reply = { status: "ok", execution_count: count, user_expressions: report.userExpressions, payload: [] };
    }
    this.#flushStream(header);
    await this.#sockets.reply(this.#sockets.shell, request.identities, this.#sockets.message("execute_reply", reply, header, { status: reply.status }));
    await this.#status("idle", header);
    return report.status === "error";
  }

  // ---- from the main thread ---------------------------------------------------------------------

  get #parent(): MessageHeader | Record<string, never> {
    return this.#executing?.message.header ?? this.#lastParent;
  }

  #fromRuntime(message: FromRuntime): void {
    switch (message.kind) {
      case "stream":
        this.#appendStream(message.name, message.text);
        return;
      case "iopub":
        void this.#publish(message.msgType, message.content, this.#parent);
        return;
      case "input_request": {
        const request = this.#executing;
        if (!request) {
          this.#runtime.postMessage({ kind: "input_reply", value: "" } satisfies ToRuntime);
          return;
        }
        this.#flushStream(request.message.header);
        void this.#sockets.reply(
          this.#sockets.stdin,
          request.identities,
          this.#sockets.message("input_request", { prompt: message.prompt, password: message.password }, request.message.header),
        );
        return;
      }
      case "interrupt_requested":
        // A SIGINT that reached the main thread between cells. One this server sent for a
        // request that has finished since must not stop the next one; a signal from outside
        // (signal-mode front ends) stops whatever is executing.
        if (this.#executing && (this.#interruptTarget === undefined || this.#interruptTarget === this.#executing)) this.#interruptedBeforeRun = true;
        return;
      case "closing": {
        // Closing the sockets before the process ends keeps zeromq's teardown from aborting it.
        const flag = new Int32Array(message.signal);
        void this.#sockets.close().finally(() => {
          Atomics.store(flag, 0, 1);
          Atomics.notify(flag, 0);
        });
        return;
      }
      case "done": {
        const done = this.#runDone;
        this.#runDone = undefined;
        done?.(message.report);
        return;
      }
    }
  }

  #onStdin(incoming: Incoming): void {
    if (incoming.message.header.msg_type !== "input_reply") return;
    const value = (incoming.message.content as { value?: unknown }).value;
    this.#runtime.postMessage({ kind: "input_reply", value: typeof value === "string" ? value : "" } satisfies ToRuntime);
  }

  #appendStream(name: "stdout" | "stderr", text: string): void {
    if (this.#stream && this.#stream.name !== name) this.#flushStream(this.#parent);
    this.#stream = this.#stream ? { name, text: this.#stream.text + text } : { name, text };
    if (this.#stream.text.length > 64 * 1024) this.#flushStream(this.#parent);
    else if (!this.#streamTimer) this.#streamTimer = setTimeout(() => this.#flushStream(this.#parent), STREAM_FLUSH_MS);
  }

  #flushStream(parent: MessageHeader | Record<string, never>): void {
    if (this.#streamTimer) clearTimeout(this.#streamTimer);
    this.#streamTimer = undefined;
    const stream = this.#stream;
    this.#stream = undefined;
    if (stream) void this.#sockets.publish(this.#sockets.message("stream", stream, parent));
  }
}

function interruptedError(label: string): ErrorContent {
  return {
    ename: "KeyboardInterrupt",
    evalue: "Interrupted by the user.",
    traceback: ["\x1b[31m\x1b[1mKeyboardInterrupt\x1b[0m: Interrupted by the user.", `Cell ${label} was interrupted before it started.`],
  };
}

/** An ErrorContent for a failure of the kernel itself (not of the cell). */
export function kernelError(error: unknown): ErrorContent {
  const text = error instanceof Error ? error.message : String(error);
  return { ename: "KernelError", evalue: text, traceback: [`KernelError: ${text}`] };
}
