import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError } from "./http-error.ts";

/** POST /agentbook/export: the notebook in the body, the script back. */
export async function handleExport(request: IncomingMessage, _response: ServerResponse): Promise<void> {
  if (request.method !== "POST") throw new HttpError(405, "Use POST with the notebook JSON to export it.");
  throw new HttpError(501, "Export to script is not available in this build.");
}
