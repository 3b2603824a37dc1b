import type { IncomingMessage, ServerResponse } from "node:http";
import { basename } from "node:path";
import { exportNotebook } from "../../kernel/notebook/notebook-export.ts";
import type { Notebook } from "../../kernel/notebook/notebook-file.ts";
import { notebookProblem } from "./contents/notebook-file.ts";
import { HttpError } from "./http-error.ts";
import { readJson, sendJson } from "./http-io.ts";

/**
 * POST /agentbook/export `{path, notebook}` → `{name, script}`: the notebook as the TypeScript
 * module `agentbook export` writes. The UI sends the notebook as it is on screen, so unsaved
 * edits are exported too, and it works the same against a real Jupyter server.
 */
export async function handleExport(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== "POST") throw new HttpError(405, "Use POST with {path, notebook} to export a notebook.");
  const body = await readJson(request);
  const path = typeof body.path === "string" && body.path ? body.path : "notebook.ipynb";
  const problem = notebookProblem(body.notebook);
  if (problem) throw new HttpError(400, `Cannot export ${path}: the notebook is not nbformat 4 (${problem}).`);
  const name = basename(path);
  const script = exportNotebook(body.notebook as Notebook, name);
  sendJson(response, 200, { name: name.replace(/\.ipynb$/, "") + ".ts", script });
}
