/**
 * Live display updates through KernelSession, against a fake kernel connection that routes
 * iopub messages the way @jupyterlab/services does: outputs go to the request's future while
 * it lives; an `update_display_data` goes (as a copy) to the live futures that displayed its
 * display id, and every iopub message is then emitted on the connection's `iopubMessage`.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CellModel } from "../../../../notebook-ui/web/src/model/cell-model.ts";
import { OutputReducer } from "../../../../notebook-ui/web/src/model/output-reducer.ts";
import { KernelSession, type DisplayUpdateEvent, type ExecuteHooks } from "../../../../notebook-ui/web/src/services/kernel-session.ts";

type Slot<T> = (sender: unknown, value: T) => void;

class FakeSignal<T> {
  #slots: Slot<T>[] = [];
  connect(slot: Slot<T>): boolean {
    this.#slots.push(slot);
    return true;
  }
  emit(value: T): void {
    for (const slot of this.#slots) slot(this, value);
  }
}

interface FakeMessage {
  channel: "iopub";
  header: { msg_id: string; msg_type: string };
  parent_header: { msg_id: string };
  content: Record<string, unknown>;
}

class FakeFuture {
  readonly msgId: string;
  onIOPub: ((message: FakeMessage) => void) | undefined;
  onStdin: unknown;
  disposed = false;
  readonly displayIds = new Set<string>();
  readonly done: Promise<unknown>;
  #finish!: (reply: unknown) => void;

  constructor(msgId: string) {
    this.msgId = msgId;
    this.done = new Promise((resolve) => (this.#finish = resolve));
  }
  finish(executionCount: number): void {
    this.#finish({ content: { status: "ok", execution_count: executionCount } });
  }
  dispose(): void {
    this.disposed = true;
  }
}

let nextId = 0;

class FakeKernel {
  id = "kernel-1";
  name = "agentbook";
  status = "idle";
  isDisposed = false;
  statusChanged = new FakeSignal<string>();
  connectionStatusChanged = new FakeSignal<string>();
  iopubMessage = new FakeSignal<FakeMessage>();
  futures: FakeFuture[] = [];
  restarts = 0;

  requestExecute(): FakeFuture {
    const future = new FakeFuture(`request-${++nextId}`);
    this.futures.push(future);
    return future;
  }

  async restart(): Promise<void> {
    this.restarts++;
  }

  /** What the kernel publishes on iopub as a result of `request`, delivered the way @jupyterlab/services does. */
  publish(request: FakeFuture, msgType: string, content: Record<string, unknown>): void {
    const message: FakeMessage = { channel: "iopub", header: { msg_id: `msg-${++nextId}`, msg_type: msgType }, parent_header: { msg_id: request.msgId }, content };
    const displayId = (content.transient as { display_id?: string } | undefined)?.display_id;
    const live = this.futures.filter((future) => !future.disposed);
    if (msgType === "update_display_data" && displayId) {
      for (const future of live) if (future.displayIds.has(displayId)) future.onIOPub?.(structuredClone(message));
    } else {
      if (displayId) request.displayIds.add(displayId);
      if (!request.disposed) request.onIOPub?.(message);
    }
    this.iopubMessage.emit(message);
  }
}

async function open(kernel: FakeKernel): Promise<KernelSession> {
  const services = {
    sessions: { startNew: async () => ({ kernel, dispose() {}, shutdown: async () => {} }) },
    kernelSpecs: { ready: Promise.resolve(), specs: null },
  };
  return KernelSession.open(services as never, "live.ipynb");
}

/** A notebook's wiring, as NotebookView does it: outputs from the request, display updates from the session. */
function wire(session: KernelSession, reducer: OutputReducer): (cell: CellModel) => ExecuteHooks {
  session.addEventListener("display-update", (event) => reducer.update((event as DisplayUpdateEvent).message as never));
  return (cell) => ({ onStart() {}, onIopub: (message) => reducer.apply(cell, message as never), onInput() {} });
}

const dashboard = (text: string) => ({ data: { "text/plain": text }, metadata: {}, transient: { display_id: "dash" } });
const shown = (cell: CellModel) => (cell.outputs[0]!.json as { data: Record<string, string> }).data["text/plain"];

test("a display update during its request is applied once; after the request ended it still arrives", async () => {
  const kernel = new FakeKernel();
  const session = await open(kernel);
  const reducer = new OutputReducer();
  const hooks = wire(session, reducer);
  const cell = new CellModel("code", "display(session.dashboard())");

  const run = session.execute(cell.source, hooks(cell));
  const request = kernel.futures[0]!;
  kernel.publish(request, "display_data", dashboard("0 messages"));
  kernel.publish(request, "update_display_data", dashboard("1 message"));
  assert.equal(shown(cell), "1 message");
  assert.equal(cell.outputs[0]!.version, 1, "applied once, although both the future and the connection saw it");

  request.finish(1);
  await run;
  assert.ok(request.disposed);
  kernel.publish(request, "update_display_data", dashboard("2 messages"));
  assert.equal(shown(cell), "2 messages", "the cell finished, the session goes on");
  assert.equal(cell.outputs.length, 1);

  const later = new CellModel("code", "1 + 1");
  const laterRun = session.execute(later.source, hooks(later));
  kernel.publish(request, "update_display_data", dashboard("3 messages, ended"));
  assert.equal(shown(cell), "3 messages, ended", "while a later cell runs");
  assert.equal(later.outputs.length, 0, "the running cell gets no copy");
  kernel.futures[1]!.finish(2);
  await laterRun;
});

test("display updates keep arriving after a kernel restart", async () => {
  const kernel = new FakeKernel();
  const session = await open(kernel);
  const reducer = new OutputReducer();
  const hooks = wire(session, reducer);
  await session.restart();
  reducer.reset();
  assert.equal(kernel.restarts, 1);

  const cell = new CellModel("code", "display(session.dashboard())");
  const run = session.execute(cell.source, hooks(cell));
  const request = kernel.futures[0]!;
  kernel.publish(request, "display_data", dashboard("live"));
  request.finish(1);
  await run;
  kernel.publish(request, "update_display_data", dashboard("ended"));
  assert.equal(shown(cell), "ended");
});
