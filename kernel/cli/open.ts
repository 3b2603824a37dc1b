/**
 * `agentbook open [dir]`: the notebook server and UI on 127.0.0.1, printing the address with its
 * token as Jupyter does, and opening a browser unless told not to.
 */
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { UserError } from "../../library/errors.ts";
import { startNotebookServer } from "../../notebook-ui/server/notebook-server.ts";

/** Options of `agentbook open`. */
export interface OpenCommandOptions {
  /** Port to listen on (default 8888, the next free one when taken; 0 picks any). */
  port?: string;
  /** `--no-browser` sets this to false. */
  browser?: boolean;
  /** A real Jupyter server to use for kernels and contents. */
  jupyterUrl?: string;
  /** Its token (also read from JUPYTER_TOKEN). */
  jupyterToken?: string;
}

function openBrowser(url: string): void {
  const opener = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  try {
    const child = spawn(opener, [url], { stdio: "ignore", detached: true });
    child.on("error", () => {});
    child.unref();
  } catch {
    // No browser to open: the printed address is enough.
  }
}

/** Start the server; resolves once it stops (Ctrl-C, SIGTERM). */
export async function openCommand(dir: string | undefined, options: OpenCommandOptions): Promise<void> {
  const root = resolve(dir ?? ".");
  if (!options.jupyterUrl && (!existsSync(root) || !statSync(root).isDirectory()))
    throw new UserError(`${root} is not a folder; pass the folder that holds your notebooks (agentbook open notebooks/).`);
  const wanted = options.port === undefined ? 8888 : Number(options.port);
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) throw new UserError(`--port ${options.port} is not a port number; use 0-65535.`);
  let jupyter: { url: string; token: string } | undefined;
  if (options.jupyterUrl) {
    const token = options.jupyterToken ?? process.env.JUPYTER_TOKEN;
    if (!token) throw new UserError("--jupyter-url needs the Jupyter server's token: pass --jupyter-token T or set JUPYTER_TOKEN.");
    try {
      new URL(options.jupyterUrl);
    } catch {
      throw new UserError(`--jupyter-url ${options.jupyterUrl} is not a URL; use e.g. http://127.0.0.1:8888/.`);
    }
    jupyter = { url: options.jupyterUrl, token };
  }

  let server: Awaited<ReturnType<typeof startNotebookServer>> | undefined;
  // Jupyter's habit: when the default port is taken, try the next ones.
  const attempts = options.port === undefined ? 20 : 1;
  for (let attempt = 0; attempt < attempts && !server; attempt++) {
    try {
      server = await startNotebookServer({ root, port: wanted === 0 ? 0 : wanted + attempt, jupyter });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || attempt === attempts - 1)
        throw (error as NodeJS.ErrnoException).code === "EADDRINUSE" ? new UserError(`Port ${wanted} is in use; pick another with --port.`) : error;
    }
  }
  const running = server!;
  process.stdout.write(
    [
      `agentbook is serving ${jupyter ? `the Jupyter server at ${jupyter.url}` : running.root}`,
      "To open the notebooks, visit:",
      `    ${running.url}`,
      "Press Ctrl-C to stop the server and its kernels.",
      "",
    ].join("\n"),
  );
  if (options.browser !== false) openBrowser(running.url);
  await new Promise<void>((resolveStop) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      process.stdout.write("Stopping the server and its kernels…\n");
      void running.close().then(resolveStop, resolveStop);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
