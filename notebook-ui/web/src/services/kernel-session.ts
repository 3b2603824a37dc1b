import { KernelAPI, type Kernel, type KernelMessage, type Session } from "@jupyterlab/services";
import type { JupyterServices } from "./jupyter-services.ts";

/** What the status bar shows about the kernel. */
export type KernelStatus = "starting" | "idle" | "busy" | "restarting" | "dead" | "connecting" | "disconnected" | "unknown";

/** Callbacks of one execution. */
export interface ExecuteHooks {
  /** The kernel started this request (it was queued until now). */
  onStart(): void;
  /** An iopub message of this request (outputs; display updates come as "display-update" events). */
  onIopub(message: KernelMessage.IIOPubMessage): void;
  /** The code asked for input; resolve with the answer. */
  onInput(prompt: string, password: boolean, answer: (value: string) => void): void;
}

/** How an execution ended. */
export interface ExecuteOutcome {
  status: "ok" | "error" | "aborted";
  executionCount: number | null;
}

/**
 * Fired for every `update_display_data` on the kernel's connection, whichever request sent it:
 * a live output keeps updating after its cell finished, while later cells run, and when no
 * request runs at all.
 */
export class DisplayUpdateEvent extends Event {
  /** The iopub message. */
  readonly message: KernelMessage.IUpdateDisplayDataMsg;

  constructor(message: KernelMessage.IUpdateDisplayDataMsg) {
    super("display-update");
    this.message = message;
  }
}

/**
 * The kernel of one notebook, through a Jupyter session: execute with queued/running
 * notifications and stdin, complete, inspect, interrupt, restart (also after the kernel died).
 * Fires "status" whenever `status` changes, and a `DisplayUpdateEvent` ("display-update") for
 * each live display update.
 */
export class KernelSession extends EventTarget {
  /** Current kernel status. */
  status: KernelStatus = "starting";
  /** Why the kernel died, when the server said. */
  deathReason = "";
  /** Display name of the kernelspec. */
  displayName = "";
  #services: JupyterServices;
  #session: Session.ISessionConnection;
  #kernel: Kernel.IKernelConnection;

  private constructor(services: JupyterServices, session: Session.ISessionConnection) {
    super();
    this.#services = services;
    this.#session = session;
    this.#kernel = session.kernel!;
    this.#wire(this.#kernel);
  }

  /** Open (or rejoin) the session of notebook `path`. */
  static async open(services: JupyterServices, path: string, kernelName?: string): Promise<KernelSession> {
    const session = await services.sessions.startNew({ path, name: path.split("/").pop() ?? path, type: "notebook", kernel: kernelName ? { name: kernelName } : {} });
    if (!session.kernel) throw new Error(`The server started no kernel for ${path}.`);
    const kernelSession = new KernelSession(services, session);
    void services.kernelSpecs.ready.then(() => {
      kernelSession.displayName = services.kernelSpecs.specs?.kernelspecs[session.kernel?.name ?? ""]?.display_name ?? session.kernel?.name ?? "";
      kernelSession.#emit();
    });
    return kernelSession;
  }

  /** The kernel id. */
  get kernelId(): string {
    return this.#kernel.id;
  }

  #emit(): void {
    this.dispatchEvent(new Event("status"));
  }

  #setStatus(status: KernelStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.#emit();
  }

  #wire(kernel: Kernel.IKernelConnection): void {
    this.#setStatus(kernel.status === "unknown" ? "connecting" : (kernel.status as KernelStatus));
    kernel.statusChanged.connect((_sender, status) => {
      if (kernel !== this.#kernel) return;
      if (status === "dead") void this.#learnWhyDead();
      this.#setStatus(status === "autorestarting" ? "restarting" : (status as KernelStatus));
    });
    // Updates come from the whole connection, not from a request's future: a future stops
    // listening once its request is done, and display updates outlive the cell that displayed.
    kernel.iopubMessage.connect((_sender, message) => {
      if (kernel !== this.#kernel || message.header.msg_type !== "update_display_data") return;
      this.dispatchEvent(new DisplayUpdateEvent(message as KernelMessage.IUpdateDisplayDataMsg));
    });
    kernel.connectionStatusChanged.connect((_sender, status) => {
      if (kernel !== this.#kernel || this.status === "dead") return;
      if (status === "connecting") this.#setStatus("connecting");
      else if (status === "disconnected") this.#setStatus("disconnected");
      else if (status === "connected") this.#setStatus(kernel.status === "unknown" ? "idle" : (kernel.status as KernelStatus));
    });
  }

  async #learnWhyDead(): Promise<void> {
    try {
      const model = (await KernelAPI.getKernelModel(this.#kernel.id, this.#services.settings)) as (Kernel.IModel & { reason?: string }) | undefined;
      this.deathReason = model?.reason ?? "";
    } catch {
      this.deathReason = "";
    }
    this.#emit();
  }

  /** Run `code`; resolves when the kernel replied. */
  async execute(code: string, hooks: ExecuteHooks): Promise<ExecuteOutcome> {
    const future = this.#kernel.requestExecute({ code, silent: false, store_history: true, allow_stdin: true, stop_on_error: true });
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      hooks.onStart();
    };
    future.onIOPub = (message) => {
      const type = message.header.msg_type;
      if (type === "status" && (message.content as { execution_state: string }).execution_state === "busy") start();
      else if (type === "execute_input") start();
      // Display updates arrive as DisplayUpdateEvents (see #wire); taking them here too would
      // apply them twice. (The ones a future sees are copies @jupyterlab/services makes when a
      // display id is shown again; the OutputReducer handles that display_data itself.)
      else if (type !== "status" && type !== "update_display_data") {
        start();
        hooks.onIopub(message);
      }
    };
    future.onStdin = (message) => {
      if (message.header.msg_type !== "input_request") return;
      const content = message.content as KernelMessage.IInputRequestMsg["content"];
      hooks.onInput(content.prompt, content.password, (value) => future.sendInputReply({ status: "ok", value }, message.header as KernelMessage.IInputReplyMsg["parent_header"]));
    };
    try {
      const reply = await future.done;
      const content = reply.content as { status: ExecuteOutcome["status"]; execution_count?: number | null };
      return { status: content.status, executionCount: content.execution_count ?? null };
    } catch (error) {
      // A future is rejected when the kernel dies or restarts under it, or replies with an error status.
      const content = (error as { content?: { status?: string; execution_count?: number } }).content;
      if (content?.status === "error") return { status: "error", executionCount: content.execution_count ?? null };
      return { status: "aborted", executionCount: null };
    } finally {
      future.dispose();
    }
  }

  /** complete_request. */
  async complete(code: string, cursorPos: number): Promise<KernelMessage.ICompleteReplyMsg["content"] | null> {
    if (this.status === "dead") return null;
    const reply = await this.#kernel.requestComplete({ code, cursor_pos: cursorPos });
    return reply.content;
  }

  /** inspect_request. */
  async inspect(code: string, cursorPos: number): Promise<KernelMessage.IInspectReplyMsg["content"] | null> {
    if (this.status === "dead") return null;
    const reply = await this.#kernel.requestInspect({ code, cursor_pos: cursorPos, detail_level: 0 });
    return reply.content;
  }

  /** Interrupt the running cell. */
  async interrupt(): Promise<void> {
    if (this.status === "dead") return;
    await this.#kernel.interrupt();
  }

  /** Restart the kernel; after a death, relaunch it and connect again. */
  async restart(): Promise<void> {
    if (this.status !== "dead" && !this.#kernel.isDisposed) {
      await this.#kernel.restart();
      return;
    }
    this.#setStatus("restarting");
    const model = await KernelAPI.restartKernel(this.#kernel.id, this.#services.settings).then(() => KernelAPI.getKernelModel(this.#kernel.id, this.#services.settings));
    if (!model) throw new Error("The server forgot the kernel; reopen the notebook.");
    this.deathReason = "";
    this.#kernel = this.#services.kernels.connectTo({ model });
    this.#wire(this.#kernel);
  }

  /** Stop the kernel and end the session. */
  async shutdown(): Promise<void> {
    await this.#session.shutdown();
  }

  /** Drop the connection without stopping the kernel (leaving the page). */
  dispose(): void {
    this.#session.dispose();
    this.#kernel.dispose();
  }
}
