import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError } from "../http-error.ts";
import { readJson, sendEmpty, sendJson } from "../http-io.ts";
import type { LocalContents } from "./local-contents.ts";

function decodePath(raw: string): string {
  try {
    return raw
      .split("/")
      .map((segment) => decodeURIComponent(segment))
      .join("/");
  } catch {
    throw new HttpError(400, `Path ${raw} is not valid URL encoding.`);
  }
}

/**
 * `/api/contents[/path][/checkpoints[/id]]` as Jupyter Server answers it. `rest` is what
 * follows `/api/contents`, still URL-encoded.
 */
export async function handleContents(
  contents: LocalContents,
  request: IncomingMessage,
  response: ServerResponse,
  rest: string,
  query: URLSearchParams,
): Promise<void> {
  const checkpointMatch = /^(.*?)\/checkpoints(?:\/([^/]+))?\/?$/.exec(rest);
  if (checkpointMatch) {
    const path = decodePath(checkpointMatch[1]!);
    const id = checkpointMatch[2] === undefined ? undefined : decodePath(checkpointMatch[2]);
    if (id === undefined && request.method === "GET") return sendJson(response, 200, await contents.listCheckpoints(path));
    if (id === undefined && request.method === "POST") return sendJson(response, 201, await contents.createCheckpoint(path));
    if (id !== undefined && request.method === "POST") {
      await contents.restoreCheckpoint(path, id);
      return sendEmpty(response);
    }
    if (id !== undefined && request.method === "DELETE") {
      await contents.deleteCheckpoint(path, id);
      return sendEmpty(response);
    }
    throw new HttpError(405, `${request.method} is not supported on checkpoints.`);
  }
  const path = decodePath(rest);
  switch (request.method) {
    case "GET": {
      const type = query.get("type") ?? undefined;
      const format = query.get("format") ?? undefined;
      if (type !== undefined && type !== "file" && type !== "notebook" && type !== "directory")
        throw new HttpError(400, `type must be file, notebook or directory, not ${type}.`);
      if (format !== undefined && format !== "text" && format !== "base64") throw new HttpError(400, `format must be text or base64, not ${format}.`);
      const model = await contents.get(path, { content: query.get("content") !== "0", type, format });
      return sendJson(response, 200, model);
    }
    case "POST": {
      const body = await readJson(request);
      const model = await contents.create(path, {
        type: typeof body.type === "string" ? body.type : undefined,
        ext: typeof body.ext === "string" ? body.ext : undefined,
        copy_from: typeof body.copy_from === "string" ? body.copy_from : undefined,
      });
      return sendJson(response, 201, model, { Location: `/api/contents/${encodeURI(model.path)}` });
    }
    case "PUT": {
      const body = await readJson(request);
      if (typeof body.copy_from === "string") {
        throw new HttpError(400, "PUT with copy_from is not supported; POST to the directory with copy_from instead.");
      }
      const { model, created } = await contents.save(path, body);
      return sendJson(response, created ? 201 : 200, model);
    }
    case "PATCH": {
      const body = await readJson(request);
      if (typeof body.path !== "string") throw new HttpError(400, 'Renaming needs {"path": "<new path>"} in the body.');
      return sendJson(response, 200, await contents.rename(path, body.path));
    }
    case "DELETE":
      await contents.delete(path);
      return sendEmpty(response);
    default:
      throw new HttpError(405, `${request.method} is not supported on /api/contents.`);
  }
}
