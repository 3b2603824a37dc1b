import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { KernelSpecFile } from "../../kernel/protocol/messages.ts";
import { isAllowedOrigin, newToken, TokenAuth } from "./auth.ts";
import { handleContents } from "./contents/contents-routes.ts";
import { LocalContents } from "./contents/local-contents.ts";
import { handleExport } from "./export-route.ts";
import { HttpError } from "./http-error.ts";
import { sendError, sendJson } from "./http-io.ts";
import { proxyRest, proxyWebSocket, type JupyterTarget } from "./jupyter-proxy.ts";
import { bridgeChannels } from "./kernels/channels-bridge.ts";
import { handleKernels, handleKernelSpecs, handleSessions } from "./kernels/kernel-routes.ts";
import { KernelManager } from "./kernels/kernel-manager.ts";
import { loadKernelSpecs } from "./kernels/kernel-specs.ts";
import { SessionManager } from "./kernels/session-manager.ts";
import { V1_PROTOCOL } from "./kernels/websocket-framing.ts";
import { sendStaticFile } from "./static-files.ts";
import { BUILD_DIR, ensureWebBundle, WEB_DIR } from "./web-bundle.ts";

/** Options of `startNotebookServer`. */
export interface NotebookServerOptions {
  /** Folder the contents API serves (notebooks, files). */
  root: string;
  /** TCP port on 127.0.0.1; 0 picks a free one (default 0). */
  port?: number;
  /** The secret every request must carry; random when omitted. */
  token?: string;
  /** Use a real Jupyter server for contents and kernels instead of the embedded ones. */
  jupyter?: JupyterTarget;
  /** Kernelspecs to offer besides the agentbook kernel, by name. */
  extraKernelSpecs?: Record<string, KernelSpecFile>;
  /** Build the front end if it is missing or stale before serving (default true). */
  buildWeb?: boolean;
}

/** A running notebook server. */
export interface NotebookServer {
  /** Port it listens on. */
  readonly port: number;
  /** Its token. */
  readonly token: string;
  /** Base URL without the token, e.g. http://127.0.0.1:8888/ */
  readonly baseUrl: string;
  /** The URL to open: the file browser, with the one-time token. */
  readonly url: string;
  /** Real path of the folder it serves (the Jupyter URL in Jupyter mode). */
  readonly root: string;
  /** Stop accepting requests, close WebSockets and shut every kernel down. */
  close(): Promise<void>;
}

const PAGE_PATHS = /^\/(?:$|tree(?:\/.*)?$|notebooks\/.+$)/;

function securityHeaders(port: number): Record<string, string> {
  const self = `http://127.0.0.1:${port} http://localhost:${port}`;
  return {
    "Content-Security-Policy": [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      "worker-src 'self' blob:",
      `connect-src 'self' ${self} ws://127.0.0.1:${port} ws://localhost:${port}`,
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join("; "),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
  };
}

const SIGN_IN_PAGE = `<!doctype html><meta charset="utf-8"><title>agentbook: token required</title>
<body style="font:15px system-ui;margin:15vh auto;max-width:34em;color:#1f2328">
<h1 style="font-size:20px">This agentbook server needs its token</h1>
<p>Open the address that <code>agentbook open</code> printed in your terminal; it ends in <code>?token=…</code>.</p></body>`;

/**
 * Start the notebook server: the Jupyter Server REST and WebSocket subset the UI speaks
 * (contents, kernelspecs, kernels, sessions), the export endpoint, and the front end,
 * all on 127.0.0.1 behind a token.
 */
export async function startNotebookServer(options: NotebookServerOptions): Promise<NotebookServer> {
  const auth = new TokenAuth(options.token ?? newToken());
  const jupyter = options.jupyter;
  const contents = jupyter ? undefined : await LocalContents.open(options.root);
  const root = contents?.root ?? jupyter!.url;
  const kernels = jupyter ? undefined : new KernelManager(loadKernelSpecs(options.extraKernelSpecs), contents!.root);
  const sessions = kernels ? new SessionManager(kernels, contents!.root) : undefined;
  if (options.buildWeb ?? true) await ensureWebBundle();
  const startedAt = new Date().toISOString();
  let port = 0;

  async function handleApi(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    if (path === "/api" || path === "/api/") return sendJson(response, 200, { version: "2.0.0", agentbook: true });
    if (path === "/api/status")
      return sendJson(response, 200, { started: startedAt, last_activity: new Date().toISOString(), kernels: kernels?.list().length ?? 0, connections: 0 });
    if (jupyter) return proxyRest(jupyter, request, response, path.slice(1) + url.search);
    const route = /^\/api\/(contents|kernelspecs|kernels|sessions)(\/.*)?$/.exec(path);
    if (!route) throw new HttpError(404, `No such API endpoint: ${path}`);
    const rest = route[2] ?? "";
    switch (route[1]) {
      case "contents":
        return handleContents(contents!, request, response, rest, url.searchParams);
      case "kernelspecs":
        return handleKernelSpecs(kernels!, request, response, rest);
      case "kernels":
        return handleKernels(kernels!, request, response, rest);
      default:
        return handleSessions(sessions!, request, response, rest);
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", `http://127.0.0.1:${port}`);
    const isApi = url.pathname === "/api" || url.pathname.startsWith("/api/") || url.pathname.startsWith("/agentbook/");
    const signedIn = auth.check(request, url);
    if (!signedIn.ok) {
      if (isApi) throw new HttpError(403, "Forbidden: this request carries no valid token. Send `Authorization: token <token>` (the token `agentbook open` printed).");
      response.writeHead(403, { "Content-Type": "text/html; charset=utf-8", ...securityHeaders(port) });
      response.end(SIGN_IN_PAGE);
      return;
    }
    const method = request.method ?? "GET";
    if (method !== "GET" && method !== "HEAD" && !isAllowedOrigin(request.headers.origin, port))
      throw new HttpError(403, `Forbidden: requests from origin ${request.headers.origin} are refused; use the page this server serves.`);
    if (signedIn.via === "query" && !isApi && method === "GET") {
      // Trade the one-time query token for a cookie and drop it from the address bar.
      url.searchParams.delete("token");
      response.writeHead(302, { Location: url.pathname + url.search, "Set-Cookie": auth.cookieHeader(), "Cache-Control": "no-store" });
      response.end();
      return;
    }
    if (isApi) {
      if (url.pathname === "/agentbook/export") return handleExport(request, response);
      return handleApi(request, response, url);
    }
    if (url.pathname.startsWith("/static/")) return sendStaticFile(response, BUILD_DIR, decodeURIComponent(url.pathname.slice("/static/".length)));
    if (PAGE_PATHS.test(url.pathname)) return sendStaticFile(response, WEB_DIR, "index.html", securityHeaders(port));
    throw new HttpError(404, `No such page: ${url.pathname}`);
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      if (!(error instanceof HttpError)) console.error(`agentbook server: ${request.method} ${request.url?.split("?")[0]} failed:`, error);
      sendError(response, error);
    });
  });
  server.headersTimeout = 60_000;
  server.requestTimeout = 300_000;

  const wss = new WebSocketServer({ noServer: true, maxPayload: 512 * 1024 * 1024, handleProtocols: (offered) => (offered.has(V1_PROTOCOL) ? V1_PROTOCOL : false) });
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(request.url ?? "/", `http://127.0.0.1:${port}`);
    if (!auth.check(request, url).ok) return refuse(403, "Forbidden");
    if (!isAllowedOrigin(request.headers.origin, port)) return refuse(403, "Forbidden");
    const match = /^\/api\/kernels\/([^/]+)\/channels\/?$/.exec(url.pathname);
    if (!match) return refuse(404, "Not Found");
    const kernelId = decodeURIComponent(match[1]!);
    if (!jupyter && !kernels!.has(kernelId)) return refuse(404, "Not Found");
    wss.handleUpgrade(request, socket, head, (client: WebSocket) => {
      if (jupyter) {
        url.searchParams.delete("token");
        proxyWebSocket(jupyter, client, url.pathname.slice(1) + url.search);
      } else {
        bridgeChannels(client, kernels!.get(kernelId));
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as import("node:net").AddressInfo).port;
  auth.setPort(port);
  const baseUrl = `http://127.0.0.1:${port}/`;

  let closing: Promise<void> | undefined;
  return {
    port,
    token: auth.token,
    baseUrl,
    url: `${baseUrl}tree?token=${auth.token}`,
    root,
    close() {
      closing ??= (async () => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        await kernels?.shutdownAll();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}
