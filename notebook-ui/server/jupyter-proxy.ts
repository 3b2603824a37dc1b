import type { IncomingMessage, ServerResponse } from "node:http";
import { WebSocket } from "ws";
import { HttpError } from "./http-error.ts";
import { decodeWebSocketMessage, encodeWebSocketMessage, V1_PROTOCOL } from "./kernels/websocket-framing.ts";

/** Where a real Jupyter server is and how to sign in to it. */
export interface JupyterTarget {
  /** Base URL, e.g. http://127.0.0.1:8888/ (a path prefix is kept). */
  url: string;
  /** Its token (sent as an Authorization header, never to the browser). */
  token: string;
}

const HOP_HEADERS = new Set(["host", "connection", "authorization", "cookie", "origin", "referer", "content-length", "transfer-encoding", "upgrade"]);

function upstreamUrl(target: JupyterTarget, pathAndQuery: string): URL {
  const base = target.url.endsWith("/") ? target.url : `${target.url}/`;
  return new URL(pathAndQuery.replace(/^\/+/, ""), base);
}

/**
 * Forwards the Jupyter REST API (contents, kernels, kernelspecs, sessions) to a real Jupyter
 * server, adding its token. The browser keeps talking to this server with this server's token,
 * so the Jupyter token never leaves the machine's server process.
 */
export async function proxyRest(target: JupyterTarget, request: IncomingMessage, response: ServerResponse, pathAndQuery: string): Promise<void> {
  const headers: Record<string, string> = { Authorization: `token ${target.token}` };
  for (const [name, value] of Object.entries(request.headers)) {
    if (!HOP_HEADERS.has(name) && typeof value === "string") headers[name] = value;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  let upstream: Response;
  try {
    upstream = await fetch(upstreamUrl(target, pathAndQuery), {
      method: request.method,
      headers,
      body: request.method === "GET" || request.method === "HEAD" ? undefined : body,
      redirect: "manual",
      signal: AbortSignal.timeout(120_000),
    });
  } catch (error) {
    throw new HttpError(502, `The Jupyter server at ${target.url} did not answer (${(error as Error).message}); check --jupyter-url.`);
  }
  const out: Record<string, string> = {};
  for (const name of ["content-type", "location", "cache-control"]) {
    const value = upstream.headers.get(name);
    if (value) out[name] = value;
  }
  response.writeHead(upstream.status, out);
  response.end(Buffer.from(await upstream.arrayBuffer()));
}

/**
 * Pipe a kernel channels WebSocket to the same endpoint of the real Jupyter server. The
 * upstream connection uses Jupyter's default framing; when the client chose the v1 framing,
 * each message is re-framed on the way through.
 */
export function proxyWebSocket(target: JupyterTarget, client: WebSocket, pathAndQuery: string): void {
  const url = upstreamUrl(target, pathAndQuery);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const upstream = new WebSocket(url, { headers: { Authorization: `token ${target.token}` }, handshakeTimeout: 30_000 });
  const reframe = client.protocol === V1_PROTOCOL;
  const toUpstream = (data: Buffer, isBinary: boolean): [Buffer | string, boolean] => {
    if (!reframe) return [data, isBinary];
    const framed = encodeWebSocketMessage(decodeWebSocketMessage(data, isBinary, V1_PROTOCOL));
    return [framed, typeof framed !== "string"];
  };
  const queued: Array<[Buffer | string, boolean]> = [];
  client.on("message", (data, isBinary) => {
    let message: [Buffer | string, boolean];
    try {
      message = toUpstream(data as Buffer, isBinary);
    } catch {
      return; // Malformed frames are dropped.
    }
    if (upstream.readyState === WebSocket.OPEN) upstream.send(message[0], { binary: message[1] });
    else queued.push(message);
  });
  upstream.on("open", () => {
    for (const [data, binary] of queued.splice(0)) upstream.send(data, { binary });
  });
  upstream.on("message", (data, isBinary) => {
    if (client.readyState !== WebSocket.OPEN) return;
    if (!reframe) return client.send(data as Buffer, { binary: isBinary });
    try {
      client.send(encodeWebSocketMessage(decodeWebSocketMessage(data as Buffer, isBinary), V1_PROTOCOL), { binary: true });
    } catch {
      // A frame Jupyter sent that does not decode is dropped.
    }
  });
  const closeBoth = () => {
    if (client.readyState === WebSocket.OPEN || client.readyState === WebSocket.CONNECTING) client.close();
    if (upstream.readyState === WebSocket.OPEN || upstream.readyState === WebSocket.CONNECTING) upstream.terminate();
  };
  upstream.on("close", closeBoth);
  upstream.on("error", closeBoth);
  client.on("close", closeBoth);
}
