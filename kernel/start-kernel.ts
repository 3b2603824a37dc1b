/**
 * Start a kernel from a Jupyter connection file: the main thread keeps the notebook's state and
 * runs cells; a protocol thread serves the sockets; a compiler thread owns TypeScript.
 * If either thread dies, the process exits, so front ends see the kernel die.
 */
import { readFileSync } from "node:fs";
import { MessageChannel, Worker } from "node:worker_threads";
import { UserError } from "../library/errors.ts";
import type { ConnectionInfo } from "./protocol/messages.ts";

const BOOTSTRAP = new URL("./threads/typescript-worker.mjs", import.meta.url);

/** Options of `agentbook kernel start`. */
export interface StartKernelOptions {
  /** Path of the connection file the front end wrote. */
  connectionFile: string;
  /** Type errors stop cells (default: AGENTBOOK_STRICT=1 in the environment). */
  strict?: boolean;
}

/** Read and check a connection file. */
export function readConnectionFile(path: string): ConnectionInfo {
  let parsed: Partial<ConnectionInfo>;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<ConnectionInfo>;
  } catch (error) {
    throw new UserError(`Cannot read the connection file ${path}: ${(error as Error).message}. Front ends pass it as -f {connection_file}.`);
  }
  for (const field of ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"] as const)
    if (typeof parsed[field] !== "number") throw new UserError(`The connection file ${path} has no numeric ${field}; it is not a Jupyter connection file.`);
  return { ip: "127.0.0.1", transport: "tcp", key: "", signature_scheme: "hmac-sha256", ...parsed } as ConnectionInfo;
}

/** Start the kernel; it runs until a shutdown_request (or a signal) ends the process. */
export async function startKernel(options: StartKernelOptions): Promise<void> {
  const connection = readConnectionFile(options.connectionFile);
  const strict = options.strict ?? process.env.AGENTBOOK_STRICT === "1";
  const cwd = process.cwd();
  // The kernel's own log goes to the real stderr (the front end's log), never into a cell's output.
  const writeLog = process.stderr.write.bind(process.stderr);
  const { port1, port2 } = new MessageChannel();
  const threadOptions = { stdout: true, stderr: true } as const;
  const compiler = new Worker(BOOTSTRAP, {
    ...threadOptions,
    workerData: { entry: new URL("./evaluator/compiler-thread.ts", import.meta.url).href, port: port2, cwd },
    transferList: [port2],
  });
  const protocol = new Worker(BOOTSTRAP, {
    ...threadOptions,
    workerData: { entry: new URL("./protocol/protocol-thread.ts", import.meta.url).href, connection, compilerPort: port1, strict },
    transferList: [port1],
  });
  for (const [name, worker] of [["compiler", compiler], ["protocol", protocol]] as const) {
    worker.stdout.on("data", (chunk: Buffer) => writeLog(chunk));
    worker.stderr.on("data", (chunk: Buffer) => writeLog(chunk));
    worker.on("error", (error) => writeLog(`[agentbook kernel] ${name} thread failed: ${error.stack ?? error}\n`));
    worker.on("exit", (code) => {
      writeLog(`[agentbook kernel] ${name} thread exited (${code}); stopping the kernel.\n`);
      process.exit(name === "protocol" && code === 0 ? 0 : code || 1);
    });
  }
  // Loaded after the threads are started: TypeScript's warm-up is the long pole, so it starts first.
  // Messages and interrupts (SIGINT, which would otherwise end the process) that arrive meanwhile
  // wait for the session.
  const early: unknown[] = [];
  const hold = (message: unknown) => early.push(message);
  let interrupted = false;
  const holdInterrupt = () => (interrupted = true);
  protocol.on("message", hold);
  process.on("SIGINT", holdInterrupt);
  const { RuntimeSession } = await import("./session/runtime-session.ts");
  new RuntimeSession({ cwd, protocol });
  protocol.off("message", hold);
  process.off("SIGINT", holdInterrupt);
  for (const message of early) protocol.emit("message", message);
  if (interrupted) process.emit("SIGINT");
}
