import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError } from "./http-error.ts";

/** Largest request body the server reads (a notebook with big images fits; a runaway upload does not). */
export const MAX_BODY_BYTES = 200 * 1024 * 1024;

/** Read and parse a JSON request body; an empty body is `{}`. */
export async function readJson(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `Request body is larger than ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `Request body is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new HttpError(400, "Request body must be a JSON object.");
  return value as Record<string, unknown>;
}

/** Send a JSON response (Jupyter Server's shape: the model itself, or `{message, reason}` for errors). */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
    ...headers,
  });
  response.end(text);
}

/** Send an empty response (204 No Content and friends). */
export function sendEmpty(response: ServerResponse, status = 204): void {
  response.writeHead(status, { "Cache-Control": "no-store" });
  response.end();
}

/** Send an error in Jupyter Server's JSON shape. */
export function sendError(response: ServerResponse, error: unknown): void {
  const status = error instanceof HttpError ? error.status : 500;
  const message = error instanceof Error ? error.message : String(error);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendJson(response, status, { message, reason: status >= 500 ? "Internal Server Error" : null });
}
