/**
 * Request/response over a MessagePort: the protocol thread calls the compiler thread this way.
 */
import type { MessagePort } from "node:worker_threads";

interface RpcRequest {
  rpc: number;
  method: string;
  params: unknown[];
}
type RpcResponse = { rpc: number; result: unknown } | { rpc: number; error: string };

/** Call `methods` of the other side of `port`. */
export class RpcClient {
  readonly #port: MessagePort;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #next = 0;

  constructor(port: MessagePort) {
    this.#port = port;
    port.on("message", (response: RpcResponse) => {
      const pending = this.#pending.get(response.rpc);
      if (!pending) return;
      this.#pending.delete(response.rpc);
      if ("error" in response) pending.reject(new Error(response.error));
      else pending.resolve(response.result);
    });
  }

  call<T>(method: string, ...params: unknown[]): Promise<T> {
    const rpc = ++this.#next;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(rpc, { resolve: resolve as (value: unknown) => void, reject });
      this.#port.postMessage({ rpc, method, params } satisfies RpcRequest);
    });
  }
}

/** Answer calls arriving on `port` with `handlers`. */
export function serveRpc(port: MessagePort, handlers: Record<string, (...params: never[]) => unknown>): void {
  port.on("message", async (request: RpcRequest) => {
    try {
      const handler = handlers[request.method];
      if (!handler) throw new Error(`unknown method ${request.method}`);
      const result = await (handler as (...params: unknown[]) => unknown)(...request.params);
      port.postMessage({ rpc: request.rpc, result } satisfies RpcResponse);
    } catch (error) {
      port.postMessage({ rpc: request.rpc, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies RpcResponse);
    }
  });
}
