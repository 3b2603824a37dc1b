/**
 * The protocol thread: binds the kernel's sockets and serves them (see kernel-server.ts).
 */
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { RpcClient } from "../threads/port-rpc.ts";
import { KernelServer } from "./kernel-server.ts";
import { KernelSockets } from "./kernel-sockets.ts";
import type { ConnectionInfo } from "./messages.ts";

const { connection, compilerPort, strict } = workerData as { connection: ConnectionInfo; compilerPort: MessagePort; strict: boolean };
const log = (text: string) => process.stderr.write(`[agentbook kernel] ${text}\n`);

const sockets = new KernelSockets(connection);
await sockets.bind();
const server = new KernelServer({
  sockets,
  runtime: parentPort!,
  compiler: new RpcClient(compilerPort),
  strict,
  interrupt: () => process.kill(process.pid, "SIGINT"),
  log,
});
await server.serve();
