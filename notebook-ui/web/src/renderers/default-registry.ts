/** The registry the notebook uses, with every built-in renderer. */
import { DASHBOARD_MIME, MEMORY_MIME, TRACE_MIME, TRANSCRIPT_MIME } from "../../../../library/display/payloads.ts";
import { RendererRegistry } from "./registry.ts";
import "./dashboard-output.ts";
import "./error-output.ts";
import "./html-output.ts";
import "./image-output.ts";
import "./json-tree.ts";
import "./markdown-output.ts";
import "./memory-output.ts";
import "./text-output.ts";
import "./trace-output.ts";
import "./transcript-output.ts";

/** A registry with agentbook's types first, then HTML, Markdown, images, JSON and plain text. */
export function createDefaultRegistry(): RendererRegistry {
  const registry = new RendererRegistry();
  registry.register({ mimeTypes: [TRANSCRIPT_MIME], tag: "ab-transcript-output", rank: 10 });
  registry.register({ mimeTypes: [MEMORY_MIME], tag: "ab-memory-output", rank: 11 });
  registry.register({ mimeTypes: [TRACE_MIME], tag: "ab-trace-output", rank: 12 });
  registry.register({ mimeTypes: [DASHBOARD_MIME], tag: "ab-dashboard-output", rank: 13 });
  registry.register({ mimeTypes: ["text/html"], tag: "ab-html-output", rank: 40 });
  registry.register({ mimeTypes: ["text/markdown"], tag: "ab-markdown-output", rank: 45 });
  registry.register({ mimeTypes: ["image/svg+xml", "image/png", "image/jpeg", "image/gif", "image/webp"], tag: "ab-image-output", rank: 50 });
  registry.register({ mimeTypes: ["application/json"], tag: "ab-json-tree", rank: 60 });
  registry.register({ mimeTypes: ["text/plain"], tag: "ab-text-output", rank: 100 });
  return registry;
}

/** The shared default registry. */
export const defaultRegistry = createDefaultRegistry();
