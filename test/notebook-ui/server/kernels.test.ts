import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Kernel, KernelMessage, Session } from "@jupyterlab/services";
import { WebSocket } from "ws";
import { KernelManager, KernelSpecManager, SessionManager, startFixture, type ServerFixture } from "./server-fixture.ts";

interface Run {
  reply: KernelMessage.IExecuteReplyMsg["content"];
  iopub: KernelMessage.IIOPubMessage[];
}

async function run(kernel: Kernel.IKernelConnection, code: string, onStdin?: (msg: KernelMessage.IStdinMessage, future: Kernel.IShellFuture<KernelMessage.IExecuteRequestMsg, KernelMessage.IExecuteReplyMsg>) => void): Promise<Run> {
  const future = kernel.requestExecute({ code, allow_stdin: onStdin !== undefined, stop_on_error: true });
  const iopub: KernelMessage.IIOPubMessage[] = [];
  future.onIOPub = (msg) => void iopub.push(msg);
  if (onStdin) future.onStdin = (msg) => onStdin(msg, future);
  const reply = await future.done;
  return { reply: reply.content, iopub };
}

function result(iopub: KernelMessage.IIOPubMessage[]): string | undefined {
  const message = iopub.find((msg) => msg.header.msg_type === "execute_result") as KernelMessage.IExecuteResultMsg | undefined;
  return message?.content.data["text/plain"] as string | undefined;
}

function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const value = check();
      if (value !== undefined && value !== false) return resolve(value);
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}

describe("kernels, sessions and the channels WebSocket, through @jupyterlab/services", () => {
  let fx: ServerFixture;
  let kernels: KernelManager;
  let sessions: SessionManager;
  let session: Session.ISessionConnection;

  before(async () => {
    fx = await startFixture();
    kernels = new KernelManager({ serverSettings: fx.settings });
    sessions = new SessionManager({ serverSettings: fx.settings, kernelManager: kernels });
    session = await sessions.startNew({ path: "demo.ipynb", name: "demo.ipynb", type: "notebook", kernel: { name: "agentbook" } });
  });
  after(async () => {
    sessions.dispose();
    kernels.dispose();
    await fx.close();
  });

  test("lists the agentbook kernelspec", async () => {
    const specs = new KernelSpecManager({ serverSettings: fx.settings });
    await specs.ready;
    assert.equal(specs.specs?.default, "agentbook");
    assert.equal(specs.specs?.kernelspecs.agentbook?.language, "typescript");
    assert.ok(specs.specs?.kernelspecs.agentbook?.argv.includes("{connection_file}"));
    specs.dispose();
  });

  test("a session reuses its kernel for the same notebook", async () => {
    const again = await sessions.startNew({ path: "demo.ipynb", name: "demo.ipynb", type: "notebook", kernel: { name: "agentbook" } });
    assert.equal(again.kernel?.id, session.kernel?.id);
    assert.equal(again.id, session.id);
  });

  test("executes cells: stream, result, execution count, state kept across cells", async () => {
    const kernel = session.kernel!;
    const first = await run(kernel, "const answer: number = 41;\nconsole.log('thinking');\nanswer + 1");
    assert.equal(first.reply.status, "ok");
    const stream = first.iopub.find((msg) => msg.header.msg_type === "stream") as KernelMessage.IStreamMsg;
    assert.equal(stream.content.text, "thinking\n");
    assert.equal(result(first.iopub), "42");
    const second = await run(kernel, "answer * 2");
    assert.equal(result(second.iopub), "82");
    assert.equal(second.reply.execution_count, (first.reply.execution_count as number) + 1);
    const model = (await (await fetch(`${fx.server.baseUrl}api/kernels/${kernel.id}`, { headers: { Authorization: `token ${fx.server.token}` } })).json()) as { execution_state: string; connections: number };
    assert.equal(model.execution_state, "idle");
    assert.ok(model.connections >= 1);
  });

  test("answers input requests on stdin", async () => {
    const asked: string[] = [];
    const answered = await run(session.kernel!, "const name = await input('Your name? ');\n`hello ${name}`", (msg, future) => {
      asked.push((msg.content as KernelMessage.IInputRequestMsg["content"]).prompt);
      future.sendInputReply({ status: "ok", value: "Ada" }, msg.header as never);
    });
    assert.deepEqual(asked, ["Your name? "]);
    assert.equal(result(answered.iopub), "'hello Ada'");
  });

  test("completes and inspects through the kernel", async () => {
    const kernel = session.kernel!;
    const complete = await kernel.requestComplete({ code: "answer.toFi", cursor_pos: 11 });
    assert.ok((complete.content as { matches: string[] }).matches.includes("toFixed"));
    const inspect = await kernel.requestInspect({ code: "answer", cursor_pos: 3, detail_level: 0 });
    assert.match(String((inspect.content as { data: Record<string, unknown> }).data["text/plain"]), /answer: number/);
  });

  test("interrupts a running cell", async () => {
    const kernel = session.kernel!;
    const future = kernel.requestExecute({ code: "await new Promise((resolve) => setTimeout(resolve, 60_000));" });
    await waitFor("the cell to start", () => kernel.status === "busy" || undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await kernel.interrupt();
    const reply = await future.done.catch((error: { content?: unknown }) => ({ content: error.content ?? error }));
    assert.equal((reply.content as { status: string }).status, "error");
    assert.ok(Date.now() - started < 10_000);
    assert.equal(result((await run(kernel, "1 + 1")).iopub), "2", "the kernel keeps working after an interrupt");
  });

  test("refuses a channels WebSocket from a foreign page", async () => {
    const url = `${fx.server.baseUrl.replace("http", "ws")}api/kernels/${session.kernel!.id}/channels`;
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(url, { headers: { Authorization: `token ${fx.server.token}`, Origin: "http://evil.example" } });
      socket.once("open", () => resolve(101));
      socket.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      socket.once("error", () => {});
    });
    assert.equal(status, 403);
  });

  test("reports a kernel that dies, and restarts it", async () => {
    const kernel = session.kernel!;
    const statuses: string[] = [];
    kernel.statusChanged.connect((_sender, status) => void statuses.push(status));
    kernel.requestExecute({ code: "process.kill(process.pid, 'SIGKILL')" }).done.catch(() => {});
    await waitFor("the client to see the kernel die", () => statuses.includes("dead") || undefined);
    const headers = { Authorization: `token ${fx.server.token}` };
    const model = (await (await fetch(`${fx.server.baseUrl}api/kernels/${kernel.id}`, { headers })).json()) as { execution_state: string; reason: string };
    assert.equal(model.execution_state, "dead");
    assert.match(model.reason, /killed by SIGKILL/);

    const restarted = await fetch(`${fx.server.baseUrl}api/kernels/${kernel.id}/restart`, { method: "POST", headers });
    assert.equal(restarted.status, 200);
    assert.equal(((await restarted.json()) as { execution_state: string }).execution_state, "idle");
    const fresh = kernels.connectTo({ model: { id: kernel.id, name: kernel.name } });
    const afterRestart = await run(fresh, "typeof answer");
    assert.equal(result(afterRestart.iopub), "'undefined'", "a restarted kernel starts from a clean state");
    fresh.dispose();
  });

  test("restart keeps the kernel id and clears its state; shutdown ends the process", async () => {
    const kernel = kernels.connectTo({ model: { id: session.kernel!.id, name: "agentbook" } });
    await run(kernel, "const kept = 1");
    await kernel.restart();
    assert.equal(result((await run(kernel, "typeof kept")).iopub), "'undefined'");
    await session.shutdown();
    const list = (await (await fetch(`${fx.server.baseUrl}api/kernels`, { headers: { Authorization: `token ${fx.server.token}` } })).json()) as unknown[];
    assert.deepEqual(list, []);
  });
});
