/**
 * Where `display()` sends MIME bundles. The kernel installs a publisher that turns them into
 * Jupyter `display_data` / `update_display_data` messages; without one (a script), bundles are
 * printed to the terminal as text.
 */
import type { MimeBundle } from "./payloads.ts";

/** How a bundle is shown. */
export interface PublishOptions {
  /** Identifies the output, so a later `update` replaces it. */
  displayId: string;
  /** True to replace the output shown under `displayId` rather than add one. */
  update: boolean;
  /** Jupyter output metadata (for example image sizes). */
  metadata: Record<string, unknown>;
}

/** The sink `display()` writes to. */
export interface DisplayPublisher {
  /** "notebook" renders MIME bundles in a front end; "terminal" prints text. */
  readonly kind: "notebook" | "terminal";
  /** Show (or replace) an output. */
  publish(data: MimeBundle, options: PublishOptions): void;
  /** Clear the current cell's outputs; with `wait`, only once the next output arrives. */
  clear(wait: boolean): void;
  /** Work the current cell waits for before it completes (a live transcript that is still streaming). */
  track(work: Promise<unknown>): void;
}

/** Text for the terminal: the plain-text fallback every agentbook bundle carries. */
export function bundleToText(data: MimeBundle): string {
  const plain = data["text/plain"];
  if (typeof plain === "string") return plain;
  const markdown = data["text/markdown"];
  if (typeof markdown === "string") return markdown;
  const html = data["text/html"];
  if (typeof html === "string") return html.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  const json = Object.entries(data).find(([type]) => type.endsWith("json"));
  if (json) return JSON.stringify(json[1], null, 2);
  const other = Object.keys(data)[0];
  return other ? `<${other} output>` : "";
}

/** Prints each bundle's text to stdout; updates print again. */
export const terminalPublisher: DisplayPublisher = {
  kind: "terminal",
  publish(data) {
    const text = bundleToText(data);
    process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  },
  clear() {},
  track() {},
};

// Kept on globalThis so every copy of the library in a process publishes where the kernel said.
const PUBLISHER_SLOT = Symbol.for("agentbook.displayPublisher");
const slots = globalThis as unknown as Record<symbol, DisplayPublisher | undefined>;

/** The publisher `display()` uses now. */
export function displayPublisher(): DisplayPublisher {
  return slots[PUBLISHER_SLOT] ?? terminalPublisher;
}

/** Replace where `display()` sends bundles (the kernel does this); returns the previous publisher. */
export function setDisplayPublisher(next: DisplayPublisher): DisplayPublisher {
  const previous = displayPublisher();
  slots[PUBLISHER_SLOT] = next;
  return previous;
}
