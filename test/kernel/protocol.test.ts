// The kernel over real ZeroMQ, as Jupyter front ends use it: every request type of protocol 5.3
// that agentbook supports, interrupts of both kinds, bad signatures, shutdown.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { stripAnsi } from "../../kernel/evaluator/traceback.ts";
import { KernelClient, outputsOf } from "./kernel-client.ts";

/** A notebook folder with an ESM-only package, a CommonJS package and a local .ts module. */
function notebookFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "agentbook-notebook-"));
  writeFileSync(join(folder, "package.json"), JSON.stringify({ name: "notebook-folder", private: true, type: "module" }));
  const esm = join(folder, "node_modules", "esm-only");
  mkdirSync(esm, { recursive: true });
  writeFileSync(join(esm, "package.json"), JSON.stringify({ name: "esm-only", type: "module", exports: { ".": { import: "./index.js" } } }));
  writeFileSync(join(esm, "index.js"), "export const greet = (name) => `hello ${name} from esm`;\n");
  const cjs = join(folder, "node_modules", "cjs-package");
  mkdirSync(cjs, { recursive: true });
  writeFileSync(join(cjs, "package.json"), JSON.stringify({ name: "cjs-package", main: "index.js" }));
  writeFileSync(join(cjs, "index.js"), "module.exports = { triple: (n) => n * 3 };\n");
  writeFileSync(join(folder, "helpers.ts"), "export function shout(text: string): string { return text.toUpperCase() + '!'; }\n");
  return folder;
}

const text = (execution: { outputs: Array<{ header: { msg_type: string }; content: Record<string, unknown> }> }) =>
  execution.outputs.map((m) => `${m.header.msg_type}:${JSON.stringify(m.content)}`).join("\n");

describe("kernel protocol", () => {
  let kernel: KernelClient;
  let folder: string;

  before(async () => {
    folder = notebookFolder();
    kernel = await KernelClient.start({ cwd: folder });
  });
  after(async () => {
    await kernel?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test("kernel_info on shell and control, with busy and idle around the shell one", async () => {
    const header = await kernel.send("shell", "kernel_info_request", {});
    const reply = await kernel.reply(header.msg_id);
    assert.equal(reply.header.msg_type, "kernel_info_reply");
    const info = reply.content as Record<string, any>;
    assert.equal(info.status, "ok");
    assert.equal(info.protocol_version, "5.3");
    assert.equal(info.implementation, "agentbook");
    assert.equal(info.language_info.name, "typescript");
    assert.equal(info.language_info.file_extension, ".ts");
    const statuses = (await kernel.iopubFor(header.msg_id)).map((m) => (m.content as { execution_state: string }).execution_state);
    assert.deepEqual(statuses, ["busy", "idle"]);
    const control = await kernel.request("control", "kernel_info_request", {});
    assert.equal((control.content as { protocol_version: string }).protocol_version, "5.3");
  });

  test("execute: execute_input, result with its count, status busy then idle", async () => {
    const execution = await kernel.execute("const answer: number = 40;\nanswer + 2");
    const reply = execution.reply.content as { status: string; execution_count: number };
    assert.equal(reply.status, "ok");
    const [input] = outputsOf(execution, "execute_input");
    assert.equal(input!.execution_count, reply.execution_count);
    const [result] = outputsOf(execution, "execute_result");
    assert.deepEqual(result, { execution_count: reply.execution_count, data: { "text/plain": "42" }, metadata: {} });
    const states = execution.all.filter((m) => m.header.msg_type === "status").map((m) => (m.content as { execution_state: string }).execution_state);
    assert.deepEqual(states, ["busy", "idle"]);
    assert.equal(execution.all[0]!.header.msg_type, "status");
    assert.equal(execution.all.at(-1)!.header.msg_type, "status");
    const next = await kernel.execute("answer");
    assert.equal((next.reply.content as { execution_count: number }).execution_count, reply.execution_count + 1);
  });

  test("undefined shows nothing; console output streams in order with displays", async () => {
    const execution = await kernel.execute(
      'console.log("one");\ndisplay.markdown("**two**");\nconsole.error("three");\nconsole.log("four");\nundefined',
    );
    assert.deepEqual(outputsOf(execution, "execute_result"), []);
    const kinds = execution.outputs
      .filter((m) => m.header.msg_type !== "execute_input")
      .map((m) => (m.header.msg_type === "stream" ? `${(m.content as any).name}:${(m.content as any).text}` : m.header.msg_type));
    assert.deepEqual(kinds, ["stdout:one\n", "display_data", "stderr:three\n", "stdout:four\n"]);
  });

  test("state persists across cells with its types, and re-run cells redeclare", async () => {
    await kernel.execute(
      "let counter = 1;\nfunction twice(n: number): number { return n * 2; }\nclass Point { constructor(public x: number, public y: number) {} }\ninterface Named { name: string }\ntype Pair = [number, number];",
    );
    const use = await kernel.execute("counter = twice(counter) + 1;\nconst p: Pair = [new Point(3, 4).x, counter];\nconst who: Named = { name: 'ada' };\n[p, who.name]");
    assert.equal((use.reply.content as { status: string }).status, "ok", text(use));
    assert.equal(outputsOf(use, "execute_result")[0]!.data && (outputsOf(use, "execute_result")[0]!.data as any)["text/plain"], "[ [ 3, 3 ], 'ada' ]");
    // Re-running a cell that declares `const` again works.
    for (let run = 0; run < 2; run++) {
      const rerun = await kernel.execute("const version = 'v' + counter;\nversion");
      assert.equal((rerun.reply.content as { status: string }).status, "ok", text(rerun));
    }
    // Names keep their types: a later cell using them wrongly gets a type error.
    const wrong = await kernel.execute("const n: string = twice(2);\nn");
    const [typeError] = outputsOf(wrong, "error");
    assert.equal(typeError!.ename, "TypeScriptError");
    assert.match(String(typeError!.evalue), /TS2322: Type 'number' is not assignable to type 'string'/);
    assert.match(stripAnsi((typeError!.traceback as string[]).join("\n")), /Cell In\[\d+\], line 1, column 7/);
    // ...and, not in strict mode, the cell still runs.
    assert.equal((wrong.reply.content as { status: string }).status, "ok");
    assert.equal((outputsOf(wrong, "execute_result")[0]!.data as any)["text/plain"], "4");
  });

  test("top-level await, agentbook, Node built-ins, ESM and CommonJS packages and local .ts files", async () => {
    const execution = await kernel.execute(
      [
        'import { greet } from "esm-only";',
        'import cjs from "cjs-package";',
        'import { shout } from "./helpers.ts";',
        'import { basename } from "node:path";',
        'import { TRANSCRIPT_MIME } from "agentbook";',
        "const waited = await new Promise<string>((resolve) => setTimeout(() => resolve('waited'), 10));",
        "[greet('ada'), cjs.triple(3), shout('hi'), basename('/a/b.ts'), TRANSCRIPT_MIME, waited]",
      ].join("\n"),
    );
    assert.equal((execution.reply.content as { status: string }).status, "ok", text(execution));
    // Untyped JavaScript packages are `any`, not type errors; nothing else was printed either.
    assert.deepEqual(outputsOf(execution, "error"), []);
    assert.deepEqual(outputsOf(execution, "stream"), []);
    assert.equal(
      (outputsOf(execution, "execute_result")[0]!.data as any)["text/plain"],
      "[\n  'hello ada from esm',\n  9,\n  'HI!',\n  'b.ts',\n  'application/vnd.agentbook.transcript+json',\n  'waited'\n]",
    );
    const later = await kernel.execute("greet(shout('x'))");
    assert.equal((outputsOf(later, "execute_result")[0]!.data as any)["text/plain"], "'hello X! from esm'");
  });

  test("a runtime error is an error message whose traceback points at the cell and line", async () => {
    const define = await kernel.execute("function explode(what: string): never {\n  throw new RangeError(`bad ${what}`);\n}");
    const defineCount = (define.reply.content as { execution_count: number }).execution_count;
    const execution = await kernel.execute("const ok = 1;\nexplode('input');");
    const reply = execution.reply.content as Record<string, any>;
    assert.equal(reply.status, "error");
    assert.equal(reply.ename, "RangeError");
    assert.equal(reply.evalue, "bad input");
    const [error] = outputsOf(execution, "error");
    const traceback = stripAnsi((error!.traceback as string[]).join("\n"));
    assert.match(traceback, new RegExp(`Cell In\\[${defineCount}\\], line 2, in explode\\n.*\\n----> 2\\s+throw new RangeError`));
    assert.match(traceback, new RegExp(`Cell In\\[${reply.execution_count}\\], line 2\\n.*\\n----> 2 explode\\('input'\\);`));
    assert.doesNotMatch(traceback, /agentbook-cell|kernel\/evaluator|node:internal/);
  });

  test("a syntax error stops the cell and names the line", async () => {
    const execution = await kernel.execute("const a = 1;\nconst b = (;\nconsole.log('never')");
    const reply = execution.reply.content as Record<string, any>;
    assert.equal(reply.status, "error");
    assert.equal(reply.ename, "SyntaxError");
    assert.match(stripAnsi(reply.traceback.join("\n")), /Cell In\[\d+\], line 2/);
    assert.deepEqual(outputsOf(execution, "stream"), []);
  });

  test("stop_on_error aborts the queued cells, and the next request runs normally", async () => {
    const first = await kernel.send("shell", "execute_request", { code: "await new Promise((r) => setTimeout(r, 200));\nthrow new Error('first fails')", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    const second = await kernel.send("shell", "execute_request", { code: "console.log('second')", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    const third = await kernel.send("shell", "execute_request", { code: "console.log('third')", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    assert.equal(((await kernel.collect(first.msg_id)).reply.content as { status: string }).status, "error");
    for (const header of [second, third]) {
      const aborted = await kernel.collect(header.msg_id);
      assert.equal((aborted.reply.content as { status: string }).status, "aborted");
      assert.deepEqual(outputsOf(aborted, "stream"), []);
    }
    const after = await kernel.execute("console.log('after')");
    assert.equal((after.reply.content as { status: string }).status, "ok");
    assert.deepEqual(outputsOf(after, "stream"), [{ name: "stdout", text: "after\n" }]);
  });

  test("display handles update in place and clear_output clears", async () => {
    const execution = await kernel.execute("const handle = display.html('<b>1</b>');\nhandle.update('<b>2</b>');\ndisplay.clear({ wait: true });\nhandle");
    const shown = outputsOf(execution, "display_data")[0]!;
    const updated = outputsOf(execution, "update_display_data")[0]!;
    assert.deepEqual(shown.data, { "text/html": "<b>1</b>", "text/plain": "1" });
    assert.deepEqual(updated.data, { "text/html": "<b>2</b>", "text/plain": "2" });
    assert.equal((updated.transient as { display_id: string }).display_id, (shown.transient as { display_id: string }).display_id);
    assert.deepEqual(outputsOf(execution, "clear_output"), [{ wait: true }]);
    // A display handle as the cell's value shows nothing more.
    assert.deepEqual(outputsOf(execution, "execute_result"), []);
  });

  test("a session dashboard as a cell's value stays live: later cells update it, the last when the session ends", async () => {
    const shown = await kernel.execute(
      'import { AssistantAgent, ReplayChatCompletionClient, startSession } from "agentbook";\nconst watched = startSession({ name: "watched" });\nwatched.dashboard({ updateIntervalMs: 0 })',
    );
    assert.equal((shown.reply.content as { status: string }).status, "ok", text(shown));
    assert.deepEqual(outputsOf(shown, "execute_result"), [], "a display, not a frozen result");
    const [display] = outputsOf(shown, "display_data");
    const displayId = (display!.transient as { display_id: string }).display_id;
    assert.equal((display!.data as any)["application/vnd.agentbook.dashboard+json"].status, "live");

    // The run happens in a later cell; its updates carry the first cell's display id.
    const run = await kernel.execute('await new AssistantAgent({ name: "watcher", modelClient: new ReplayChatCompletionClient(["seen"]) }).run({ task: "t" });\nwatched.end("Success");');
    const updates = outputsOf(run, "update_display_data").filter((update) => (update.transient as { display_id: string }).display_id === displayId);
    assert.ok(updates.length >= 2, `updates while the agent ran and at the end (${updates.length})`);
    const last = (updates.at(-1)!.data as any)["application/vnd.agentbook.dashboard+json"];
    assert.deepEqual([last.status, last.endState, last.counters.modelCalls], ["ended", "Success", 1]);
    assert.match(String((updates.at(-1)!.data as any)["text/plain"]), /watched: ended \(Success\)/);
  });

  test("input() asks the front end with input_request on stdin", async () => {
    kernel.onInput = (prompt) => (prompt === "Your name? " ? "Ada" : "?");
    const execution = await kernel.execute("const name = await input('Your name? ');\n`hello ${name}`");
    assert.equal((outputsOf(execution, "execute_result")[0]!.data as any)["text/plain"], "'hello Ada'");
    assert.equal((kernel.stdinRequests.at(-1)!.content as { prompt: string }).prompt, "Your name? ");
    const refused = await kernel.execute("await input('x')", { allow_stdin: false });
    assert.equal((refused.reply.content as { status: string }).status, "error");
    assert.match(String((refused.reply.content as { evalue: string }).evalue), /allow_stdin is false/);
  });

  test("complete, inspect and is_complete", async () => {
    await kernel.execute("const notebookValue = { alpha: 1, beta: 'two' };");
    const complete = (await kernel.request("shell", "complete_request", { code: "notebookValue.al", cursor_pos: 16 })).content as Record<string, any>;
    assert.equal(complete.status, "ok");
    assert.deepEqual(complete.matches, ["alpha"]);
    assert.equal(complete.cursor_start, 14);
    assert.equal(complete.cursor_end, 16);
    const names = (await kernel.request("shell", "complete_request", { code: "notebookV", cursor_pos: 9 })).content as Record<string, any>;
    assert.ok(names.matches.includes("notebookValue"));
    const inspect = (await kernel.request("shell", "inspect_request", { code: "notebookValue", cursor_pos: 5, detail_level: 0 })).content as Record<string, any>;
    assert.equal(inspect.found, true);
    assert.match(inspect.data["text/plain"], /alpha: number;\s+beta: string;/);
    const missing = (await kernel.request("shell", "inspect_request", { code: "   ", cursor_pos: 1, detail_level: 0 })).content as Record<string, any>;
    assert.equal(missing.found, false);
    const states = await Promise.all(
      ["const a = 1;", "function f() {", "const s = (1 +", "x = ) 1"].map(async (code) => ((await kernel.request("shell", "is_complete_request", { code })).content as { status: string }).status),
    );
    assert.deepEqual(states, ["complete", "incomplete", "incomplete", "invalid"]);
  });

  test("comm_info is empty and the heartbeat echoes", async () => {
    const reply = await kernel.request("shell", "comm_info_request", {});
    assert.deepEqual(reply.content, { status: "ok", comms: {} });
    assert.equal(await kernel.heartbeat("are you there"), "are you there");
  });

  test("interrupt_request stops a synchronous loop and a never-resolving await; state survives", async () => {
    await kernel.execute("let spins = 0;");
    const loop = await kernel.send("shell", "execute_request", { code: "console.log('spinning');\nwhile (true) { spins++; }", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    await kernel.waitForOutput(loop.msg_id, (m) => m.header.msg_type === "stream");
    // The protocol stays responsive while the loop spins.
    assert.equal(await kernel.heartbeat(), "ping");
    assert.equal(((await kernel.request("control", "kernel_info_request", {})).content as { status: string }).status, "ok");
    const interrupt = await kernel.request("control", "interrupt_request", {});
    assert.deepEqual(interrupt.content, { status: "ok" });
    const stopped = await kernel.collect(loop.msg_id);
    assert.equal((stopped.reply.content as { ename: string }).ename, "KeyboardInterrupt");
    const kept = await kernel.execute("spins > 0");
    assert.equal((outputsOf(kept, "execute_result")[0]!.data as any)["text/plain"], "true");

    const waiting = await kernel.send("shell", "execute_request", { code: "let before = 'set';\nconsole.log('waiting');\nawait new Promise(() => {});\nbefore = 'not reached';", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    await kernel.waitForOutput(waiting.msg_id, (m) => m.header.msg_type === "stream");
    await kernel.request("control", "interrupt_request", {});
    const interrupted = await kernel.collect(waiting.msg_id);
    assert.equal((interrupted.reply.content as { ename: string }).ename, "KeyboardInterrupt");
    const state = await kernel.execute("before");
    assert.equal((outputsOf(state, "execute_result")[0]!.data as any)["text/plain"], "'set'");
  });

  test("SIGINT (signal-mode interrupt) stops a loop that follows an await", async () => {
    const loop = await kernel.send("shell", "execute_request", { code: "await null;\nlet laps = 0;\nconsole.log('lapping');\nwhile (true) { laps++; }", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    await kernel.waitForOutput(loop.msg_id, (m) => m.header.msg_type === "stream");
    kernel.process.kill("SIGINT");
    const stopped = await kernel.collect(loop.msg_id);
    assert.equal((stopped.reply.content as { ename: string }).ename, "KeyboardInterrupt");
    const kept = await kernel.execute("laps > 0");
    assert.equal((outputsOf(kept, "execute_result")[0]!.data as any)["text/plain"], "true");
  });

  test("an error thrown later by a timer is reported, and the kernel lives on", async () => {
    await kernel.execute("setTimeout(() => { throw new Error('late failure'); }, 10);");
    await new Promise((resolve) => setTimeout(resolve, 200));
    const execution = await kernel.execute("'still here'");
    assert.equal((outputsOf(execution, "execute_result")[0]!.data as any)["text/plain"], "'still here'");
    assert.equal(kernel.exitCode, undefined);
  });

  test("a message with a bad signature is dropped; good ones still work", async () => {
    const forged = await kernel.send("shell", "execute_request", { code: "globalThis.forged = true", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, { key: "not-the-key" });
    await assert.rejects(kernel.reply(forged.msg_id, 1000), /timed out/);
    const check = await kernel.execute("typeof (globalThis as any).forged");
    assert.equal((outputsOf(check, "execute_result")[0]!.data as any)["text/plain"], "'undefined'");
    assert.match(kernel.log, /bad signature/);
  });
});

describe("kernel lifecycle", () => {
  test("strict mode (AGENTBOOK_STRICT=1): a type error stops the cell", async () => {
    const kernel = await KernelClient.start({ env: { AGENTBOOK_STRICT: "1" } });
    try {
      const execution = await kernel.execute("const n: number = 'text';\nconsole.log('ran')");
      const reply = execution.reply.content as Record<string, any>;
      assert.equal(reply.status, "error");
      assert.equal(reply.ename, "TypeScriptError");
      assert.deepEqual(outputsOf(execution, "stream"), []);
    } finally {
      await kernel.close();
    }
  });

  test("shutdown_request with restart replies, and the process exits so a new kernel can start", async () => {
    const kernel = await KernelClient.start();
    try {
      const reply = await kernel.request("control", "shutdown_request", { restart: true });
      assert.deepEqual(reply.content, { status: "ok", restart: true });
      assert.equal(await kernel.exited, 0);
    } finally {
      await kernel.close();
    }
  });

  test("a kernel that dies is visible as a process exit", async () => {
    const kernel = await KernelClient.start();
    try {
      await kernel.send("shell", "execute_request", { code: "process.exit(3)", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
      assert.equal(await kernel.exited, 3);
    } finally {
      await kernel.close();
    }
  });
});
