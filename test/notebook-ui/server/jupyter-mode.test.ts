/**
 * `--jupyter-url`: the same server, and so the same UI, on a real Jupyter server's contents and
 * kernels. Debian's jupyter-server runs the agentbook kernel from a kernelspec in a temporary
 * JUPYTER_PATH; the client is @jupyterlab/services talking to our server only.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { KernelMessage } from "@jupyterlab/services";
import { agentbookKernelSpec } from "../../../kernel/kernelspec.ts";
import { freePorts } from "../../../notebook-ui/server/kernels/free-ports.ts";
import { clientSettings, KernelManager, SessionManager, startFixture, type ServerFixture } from "./server-fixture.ts";
import { ContentsManager } from "@jupyterlab/services";

const JUPYTER = "/usr/bin/jupyter-server";

describe("using a real Jupyter server through --jupyter-url", { skip: !existsSync(JUPYTER) && `${JUPYTER} is missing` }, () => {
  let home: string;
  let jupyter: ChildProcess | undefined;
  let fx: ServerFixture;
  const token = "f".repeat(32);

  before(async () => {
    home = await mkdtemp(join(tmpdir(), "agentbook-jupyter-"));
    const notebooks = join(home, "notebooks");
    await mkdir(join(home, "share", "jupyter", "kernels", "agentbook"), { recursive: true });
    await mkdir(notebooks);
    await writeFile(join(home, "share", "jupyter", "kernels", "agentbook", "kernel.json"), JSON.stringify(agentbookKernelSpec()));
    await writeFile(join(notebooks, "hello.txt"), "from jupyter");
    const [port] = await freePorts(1);
    jupyter = spawn(
      JUPYTER,
      [`--ServerApp.port=${port}`, "--ServerApp.ip=127.0.0.1", `--ServerApp.token=${token}`, "--ServerApp.open_browser=False", `--ServerApp.root_dir=${notebooks}`, "--ServerApp.port_retries=0", ...(process.getuid?.() === 0 ? ["--allow-root"] : [])],
      {
        env: { ...process.env, JUPYTER_PATH: join(home, "share", "jupyter"), JUPYTER_DATA_DIR: join(home, "data"), JUPYTER_CONFIG_DIR: join(home, "config"), JUPYTER_RUNTIME_DIR: join(home, "runtime"), HOME: home },
        stdio: ["ignore", "ignore", "pipe"],
        detached: true,
      },
    );
    let log = "";
    jupyter.stderr!.on("data", (chunk) => (log += chunk));
    const url = `http://127.0.0.1:${port}/`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`${url}api/status?token=${token}`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline || jupyter.exitCode !== null) throw new Error(`jupyter-server did not start:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    fx = await startFixture({ jupyter: { url, token } });
  });

  after(async () => {
    await fx?.close();
    if (jupyter?.pid) {
      try {
        process.kill(-jupyter.pid, "SIGTERM");
      } catch {}
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          try {
            process.kill(-jupyter!.pid!, "SIGKILL");
          } catch {}
          resolve(undefined);
        }, 5000);
        jupyter!.once("exit", () => (clearTimeout(timer), resolve(undefined)));
      });
    }
    if (home) await rm(home, { recursive: true, force: true });
  });

  test("contents come from Jupyter, behind our token", async () => {
    const listing = await fx.contents.get("");
    assert.deepEqual((listing.content as Array<{ name: string }>).map((entry) => entry.name), ["hello.txt"]);
    await fx.contents.save("made-here.ipynb", { type: "notebook", format: "json", content: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] } });
    assert.ok(existsSync(join(home, "notebooks", "made-here.ipynb")));
    const outsider = new ContentsManager({ serverSettings: clientSettings(fx.server, token) });
    await assert.rejects(outsider.get(""), "the Jupyter token does not open our server");
  });

  test("kernels run in Jupyter; the channels WebSocket is relayed", async () => {
    const kernels = new KernelManager({ serverSettings: fx.settings });
    const sessions = new SessionManager({ serverSettings: fx.settings, kernelManager: kernels });
    try {
      const session = await sessions.startNew({ path: "made-here.ipynb", name: "made-here.ipynb", type: "notebook", kernel: { name: "agentbook" } });
      const future = session.kernel!.requestExecute({ code: "const n: number = 20;\nn + 22" });
      const results: string[] = [];
      future.onIOPub = (msg) => {
        if (msg.header.msg_type === "execute_result") results.push((msg as KernelMessage.IExecuteResultMsg).content.data["text/plain"] as string);
      };
      const reply = await future.done;
      assert.equal(reply.content.status, "ok");
      assert.deepEqual(results, ["42"]);
      const listed = (await (await fetch(`${fx.server.baseUrl}api/kernels`, { headers: { Authorization: `token ${fx.server.token}` } })).json()) as Array<{ id: string }>;
      assert.ok(listed.some((kernel) => kernel.id === session.kernel!.id), "the kernel is Jupyter's");
      await session.shutdown();
    } finally {
      sessions.dispose();
      kernels.dispose();
    }
    assert.match(await readFile(join(home, "notebooks", "made-here.ipynb"), "utf8"), /"nbformat": 4/);
  });
});
