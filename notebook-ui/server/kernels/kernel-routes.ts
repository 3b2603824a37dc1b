import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError } from "../http-error.ts";
import { readJson, sendEmpty, sendJson } from "../http-io.ts";
import type { KernelManager } from "./kernel-manager.ts";
import type { SessionManager } from "./session-manager.ts";

/** `/api/kernelspecs[/name]`. */
export function handleKernelSpecs(kernels: KernelManager, request: IncomingMessage, response: ServerResponse, rest: string): void {
  if (request.method !== "GET") throw new HttpError(405, `${request.method} is not supported on /api/kernelspecs.`);
  const model = kernels.specsModel();
  const name = decodeURIComponent(rest.replace(/^\/+|\/+$/g, ""));
  if (!name) return sendJson(response, 200, model);
  const spec = model.kernelspecs[name];
  if (!spec) throw new HttpError(404, `No kernelspec named ${name}.`);
  sendJson(response, 200, spec);
}

/** `/api/kernels[/id[/interrupt|/restart]]` (the channels WebSocket is handled on upgrade). */
export async function handleKernels(kernels: KernelManager, request: IncomingMessage, response: ServerResponse, rest: string): Promise<void> {
  const [id, action, ...extra] = rest.replace(/^\/+|\/+$/g, "").split("/").filter(Boolean);
  if (extra.length > 0) throw new HttpError(404, `No such kernel endpoint: /api/kernels${rest}`);
  if (!id) {
    if (request.method === "GET") return sendJson(response, 200, kernels.list());
    if (request.method === "POST") {
      const body = await readJson(request);
      const kernel = await kernels.start(typeof body.name === "string" ? body.name : undefined);
      return sendJson(response, 201, kernel.model(), { Location: `/api/kernels/${kernel.id}` });
    }
    throw new HttpError(405, `${request.method} is not supported on /api/kernels.`);
  }
  if (!action) {
    if (request.method === "GET") return sendJson(response, 200, kernels.get(id).model());
    if (request.method === "DELETE") {
      await kernels.shutdown(id);
      return sendEmpty(response);
    }
    throw new HttpError(405, `${request.method} is not supported on /api/kernels/<id>.`);
  }
  if (request.method !== "POST") throw new HttpError(405, `Use POST for /api/kernels/<id>/${action}.`);
  const kernel = kernels.get(id);
  if (action === "interrupt") {
    await kernel.interrupt().catch((error: Error) => {
      throw new HttpError(409, error.message);
    });
    return sendEmpty(response);
  }
  if (action === "restart") {
    await kernel.restart().catch((error: Error) => {
      throw new HttpError(500, `Restart of kernel ${id} failed: ${error.message}`);
    });
    return sendJson(response, 200, kernel.model());
  }
  throw new HttpError(404, `No such kernel action: ${action}; use interrupt or restart.`);
}

/** `/api/sessions[/id]`. */
export async function handleSessions(sessions: SessionManager, request: IncomingMessage, response: ServerResponse, rest: string): Promise<void> {
  const id = rest.replace(/^\/+|\/+$/g, "");
  if (!id) {
    if (request.method === "GET") return sendJson(response, 200, sessions.list());
    if (request.method === "POST") return sendJson(response, 201, await sessions.create(await readJson(request)));
    throw new HttpError(405, `${request.method} is not supported on /api/sessions.`);
  }
  if (request.method === "GET") return sendJson(response, 200, sessions.get(id));
  if (request.method === "PATCH") return sendJson(response, 200, await sessions.update(id, await readJson(request)));
  if (request.method === "DELETE") {
    await sessions.delete(id);
    return sendEmpty(response);
  }
  throw new HttpError(405, `${request.method} is not supported on /api/sessions/<id>.`);
}
