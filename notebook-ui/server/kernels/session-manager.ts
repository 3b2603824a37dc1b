import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { HttpError } from "../http-error.ts";
import type { KernelModel } from "./kernel-process.ts";
import type { KernelManager } from "./kernel-manager.ts";

/** A session as /api/sessions reports it: a notebook path bound to a kernel. */
export interface SessionModel {
  id: string;
  path: string;
  name: string;
  type: string;
  kernel: KernelModel | null;
  notebook: { path: string; name: string };
}

interface SessionRecord {
  id: string;
  path: string;
  name: string;
  type: string;
  kernelId: string;
}

/** Sessions: which kernel serves which notebook, so a reload reattaches to the same kernel. */
export class SessionManager {
  #sessions = new Map<string, SessionRecord>();
  #kernels: KernelManager;
  #root: string;

  constructor(kernels: KernelManager, root: string) {
    this.#kernels = kernels;
    this.#root = root;
  }

  #model(record: SessionRecord): SessionModel {
    const kernel = this.#kernels.has(record.kernelId) ? this.#kernels.get(record.kernelId).model() : null;
    return { id: record.id, path: record.path, name: record.name, type: record.type, kernel, notebook: { path: record.path, name: record.name } };
  }

  /** Sessions whose kernel still exists. */
  list(): SessionModel[] {
    for (const [id, record] of this.#sessions) if (!this.#kernels.has(record.kernelId)) this.#sessions.delete(id);
    return [...this.#sessions.values()].map((record) => this.#model(record));
  }

  /** One session, or a 404. */
  get(id: string): SessionModel {
    const record = this.#sessions.get(id);
    if (!record) throw new HttpError(404, `No session with id ${id}.`);
    return this.#model(record);
  }

  #kernelCwd(path: string): string {
    const dir = dirname(path.replace(/^\/+/, ""));
    const segments = dir === "." ? [] : dir.split("/");
    return segments.some((segment) => segment === ".." || segment.startsWith(".")) ? this.#root : join(this.#root, ...segments);
  }

  /** POST /api/sessions: reuse the session of `path` if there is one, else start (or attach) a kernel. */
  async create(body: Record<string, unknown>): Promise<SessionModel> {
    const path = typeof body.path === "string" ? body.path : undefined;
    if (!path) throw new HttpError(400, 'A session needs a "path" (the notebook it belongs to).');
    for (const record of this.#sessions.values()) {
      if (record.path === path && this.#kernels.has(record.kernelId)) return this.#model(record);
    }
    const kernelSpec = (body.kernel ?? {}) as { id?: string; name?: string };
    const kernelId = kernelSpec.id ? this.#kernels.get(kernelSpec.id).id : (await this.#kernels.start(kernelSpec.name, this.#kernelCwd(path))).id;
    const record: SessionRecord = {
      id: randomUUID(),
      path,
      name: typeof body.name === "string" ? body.name : (path.split("/").pop() ?? path),
      type: typeof body.type === "string" ? body.type : "notebook",
      kernelId,
    };
    this.#sessions.set(record.id, record);
    return this.#model(record);
  }

  /** PATCH /api/sessions/<id>: rename the path, or switch kernel. */
  async update(id: string, body: Record<string, unknown>): Promise<SessionModel> {
    const record = this.#sessions.get(id);
    if (!record) throw new HttpError(404, `No session with id ${id}.`);
    if (typeof body.path === "string") record.path = body.path;
    if (typeof body.name === "string") record.name = body.name;
    if (typeof body.type === "string") record.type = body.type;
    const kernel = body.kernel as { id?: string; name?: string } | undefined;
    if (kernel?.id && kernel.id !== record.kernelId) {
      record.kernelId = this.#kernels.get(kernel.id).id;
    } else if (kernel?.name && !kernel.id) {
      const old = record.kernelId;
      record.kernelId = (await this.#kernels.start(kernel.name, this.#kernelCwd(record.path))).id;
      if (this.#kernels.has(old)) await this.#kernels.shutdown(old);
    }
    return this.#model(record);
  }

  /** DELETE /api/sessions/<id>: end the session and shut its kernel down. */
  async delete(id: string): Promise<void> {
    const record = this.#sessions.get(id);
    if (!record) throw new HttpError(404, `No session with id ${id}.`);
    this.#sessions.delete(id);
    if (this.#kernels.has(record.kernelId)) await this.#kernels.shutdown(record.kernelId);
  }
}
