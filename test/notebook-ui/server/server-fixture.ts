/** Starts a real notebook server on a temporary folder and gives @jupyterlab/services clients for it. */
import { ContentsManager, KernelManager, KernelSpecManager, ServerConnection, SessionManager } from "@jupyterlab/services";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocket } from "ws";
import { startNotebookServer, type NotebookServer, type NotebookServerOptions } from "../../../notebook-ui/server/notebook-server.ts";

export interface ServerFixture {
  server: NotebookServer;
  root: string;
  settings: ServerConnection.ISettings;
  contents: ContentsManager;
  /** Stop the server and delete the folder. */
  close(): Promise<void>;
}

/** Client settings for `server` with `token` (the server's own unless given). */
export function clientSettings(server: NotebookServer, token = server.token): ServerConnection.ISettings {
  return ServerConnection.makeSettings({
    baseUrl: server.baseUrl,
    wsUrl: server.baseUrl.replace(/^http/, "ws"),
    token,
    appendToken: true,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    fetch: globalThis.fetch,
    Request: globalThis.Request,
    Headers: globalThis.Headers,
  });
}

export async function startFixture(options: Partial<NotebookServerOptions> = {}): Promise<ServerFixture> {
  const root = await mkdtemp(join(tmpdir(), "agentbook-ui-test-"));
  const server = await startNotebookServer({ root, buildWeb: false, ...options });
  const settings = clientSettings(server);
  return {
    server,
    root,
    settings,
    contents: new ContentsManager({ serverSettings: settings }),
    async close() {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export { KernelManager, KernelSpecManager, SessionManager, ServerConnection };
