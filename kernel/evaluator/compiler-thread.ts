/**
 * The compiler thread: TypeScript lives here, so type-checking a cell or answering a completion
 * never blocks the sockets (protocol thread) or the notebook's state (main thread).
 */
import { workerData, type MessagePort } from "node:worker_threads";
import { serveRpc } from "../threads/port-rpc.ts";
import { CellCompiler, type CompileRequest } from "./cell-compiler.ts";

const { port, cwd } = workerData as { port: MessagePort; cwd: string };
const compiler = new CellCompiler(cwd);

serveRpc(port, {
  compile: (request: CompileRequest) => compiler.compile(request),
  complete: (code: string, cursor: number) => compiler.complete(code, cursor),
  inspect: (code: string, cursor: number) => compiler.inspect(code, cursor),
  isComplete: (code: string) => compiler.isComplete(code),
});

// Parse the standard library and Node's types before the first cell asks.
setImmediate(() => compiler.warmUp());
