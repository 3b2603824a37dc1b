/**
 * `display(value)`: show a value as rich output. In a notebook it becomes a Jupyter output
 * (a live-updated transcript for a run stream); in a script it prints to the terminal.
 */
import { randomUUID } from "node:crypto";
import type { TaskResult } from "../messages/types.ts";
import { displayPublisher } from "./display-publisher.ts";
import { DISPLAY, DISPLAY_LIVE } from "./payloads.ts";
import type { LiveDisplayable, MimeBundle } from "./payloads.ts";
import { Console } from "../console/console.ts";
import type { AgentMessage } from "../messages/types.ts";
import { toMimeBundle, transcriptBundle } from "./mime-bundle.ts";
import { isTaskResult, TranscriptRecorder } from "./transcript-recorder.ts";
import { UpdateThrottle } from "./update-throttle.ts";

const HANDLE_BRAND = Symbol.for("agentbook.displayHandle");

/** Minimum pause between two updates of a live transcript (streamed tokens arrive much faster). */
export const LIVE_UPDATE_INTERVAL_MS = 100;

/** Options of `display()`. */
export interface DisplayOptions {
  /** Reuse an output id (outputs with the same id update together). Default: a new id. */
  displayId?: string;
  /** Jupyter output metadata, for example `{ "image/png": { width: 200 } }`. */
  metadata?: Record<string, unknown>;
  /** Title of a live transcript ("team RoundRobinGroupChat"). */
  title?: string;
}

/**
 * What `display()` returns: `update()` replaces the output in place. Awaiting the handle waits
 * until a live transcript has finished and gives its TaskResult (undefined for other values).
 */
export class DisplayHandle implements PromiseLike<TaskResult | undefined> {
  /** The Jupyter `display_id` of the output. */
  readonly displayId: string;
  readonly #render: (value: unknown) => MimeBundle;
  readonly #done: Promise<TaskResult | undefined>;

  constructor(displayId: string, render: (value: unknown) => MimeBundle, done: Promise<TaskResult | undefined> = Promise.resolve(undefined)) {
    this.displayId = displayId;
    this.#render = render;
    this.#done = done;
    Object.defineProperty(this, HANDLE_BRAND, { value: true });
  }

  /** Replace the output with `value`, rendered the way the original was (html stays html...). */
  update(value: unknown, metadata: Record<string, unknown> = {}): void {
    displayPublisher().publish(this.#render(value), { displayId: this.displayId, update: true, metadata });
  }

  then<A = TaskResult | undefined, B = never>(
    onFulfilled?: ((value: TaskResult | undefined) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#done.then(onFulfilled, onRejected);
  }
}

/** True for what `display()` returned (from any copy of the library). */
export function isDisplayHandle(value: unknown): value is DisplayHandle {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[HANDLE_BRAND] === true;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === "function";
}

function show(value: unknown, render: (value: unknown) => MimeBundle, options: DisplayOptions): DisplayHandle {
  const displayId = options.displayId ?? randomUUID();
  // `undefined` shows nothing, as a cell whose value is undefined shows nothing.
  if (value === undefined) return new DisplayHandle(displayId, render, Promise.resolve(undefined));
  displayPublisher().publish(render(value), { displayId, update: false, metadata: options.metadata ?? {} });
  return new DisplayHandle(displayId, render, Promise.resolve(undefined));
}

/** True for a library object that keeps its output up to date (a session dashboard). */
export function isLiveDisplayable(value: unknown): value is LiveDisplayable {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<symbol, unknown>)[DISPLAY_LIVE] === "function" &&
    typeof (value as Record<symbol, unknown>)[DISPLAY] === "function"
  );
}

/**
 * Show an object that updates its own output. The cell does not wait for it: a dashboard keeps
 * updating while later cells run. A terminal gets the first and the final state only.
 */
function showLiveObject(value: LiveDisplayable, options: DisplayOptions): DisplayHandle {
  const publisher = displayPublisher();
  const displayId = options.displayId ?? randomUUID();
  const metadata = options.metadata ?? {};
  publisher.publish(toMimeBundle(value), { displayId, update: false, metadata });
  const live = value[DISPLAY_LIVE]((bundle, final) => {
    if (publisher.kind === "terminal" && !final) return;
    publisher.publish(bundle, { displayId, update: true, metadata });
  });
  return new DisplayHandle(displayId, toMimeBundle, live.done.then(() => undefined));
}

function showLive(stream: AsyncIterable<unknown>, options: DisplayOptions): DisplayHandle {
  const publisher = displayPublisher();
  const displayId = options.displayId ?? randomUUID();
  if (publisher.kind === "terminal") {
    if (options.title) process.stdout.write(`== ${options.title} ==\n`);
    const done = Console(stream as AsyncIterable<AgentMessage | TaskResult>, { outputStats: true }).then((result) => (isTaskResult(result) ? result : undefined));
    return new DisplayHandle(displayId, toMimeBundle, done);
  }
  const recorder = new TranscriptRecorder({ title: options.title });
  const metadata = options.metadata ?? {};
  publisher.publish(transcriptBundle(recorder.payload()), { displayId, update: false, metadata });
  const updates = new UpdateThrottle(
    () => publisher.publish(transcriptBundle(recorder.payload()), { displayId, update: true, metadata }),
    LIVE_UPDATE_INTERVAL_MS,
  );
  const done = (async () => {
    let result: TaskResult | undefined;
    try {
      for await (const item of stream) {
        if (isTaskResult(item)) result = item;
        if (recorder.add(item)) updates.request();
      }
      recorder.end();
    } catch (error) {
      recorder.fail(error);
      throw error;
    } finally {
      updates.flush();
    }
    return result;
  })();
  publisher.track(done);
  return new DisplayHandle(displayId, toMimeBundle, done);
}

function htmlToText(html: string): string {
  return html.replace(/<[^>]*>/g, "").trim();
}

function imageBundle(data: Uint8Array | string, mimeType: string): MimeBundle {
  let base64: string;
  let type = mimeType;
  if (typeof data === "string") {
    const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(data);
    if (dataUrl) {
      type = dataUrl[1]!;
      base64 = dataUrl[2]!;
    } else base64 = data;
  } else base64 = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64");
  const bytes = Math.floor((base64.replace(/[\s=]/g, "").length * 3) / 4);
  return { [type]: base64.replace(/\s/g, ""), "text/plain": `<${type} image, ${bytes} bytes>` };
}

const html = (value: unknown): MimeBundle => ({ "text/html": String(value), "text/plain": htmlToText(String(value)) });
const markdown = (value: unknown): MimeBundle => ({ "text/markdown": String(value), "text/plain": String(value) });
const json = (value: unknown): MimeBundle => ({ "application/json": value, "text/plain": JSON.stringify(value, null, 2) ?? String(value) });
const svg = (value: unknown): MimeBundle => ({ "image/svg+xml": String(value), "text/plain": "<svg image>" });
const mime = (value: unknown): MimeBundle => value as MimeBundle;

/** The `display` function with its helpers (`display.html(...)`, `display.markdown(...)`, ...). */
export interface Display {
  /**
   * Show `value`: library objects render themselves, a TaskResult as a transcript, a run stream
   * (`team.runStream(...)`) as a live transcript, a session dashboard live, anything else as
   * text; `undefined` shows nothing.
   */
  (value: unknown, options?: DisplayOptions): DisplayHandle;
  /** Show HTML (the front end sanitises it as it does any HTML output). */
  html(html: string, options?: DisplayOptions): DisplayHandle;
  /** Show markdown. */
  markdown(markdown: string, options?: DisplayOptions): DisplayHandle;
  /** Show JSON as an explorable tree (text in terminals). */
  json(value: unknown, options?: DisplayOptions): DisplayHandle;
  /** Show an image: bytes, base64 text or a `data:` URL; `mimeType` defaults to image/png. */
  image(data: Uint8Array | string, options?: DisplayOptions & { mimeType?: string }): DisplayHandle;
  /** Show SVG markup. */
  svg(svg: string, options?: DisplayOptions): DisplayHandle;
  /** Show a ready MIME bundle as it is. */
  mime(bundle: MimeBundle, options?: DisplayOptions): DisplayHandle;
  /** Clear the cell's outputs; with `wait`, only when the next output arrives (no flicker). */
  clear(options?: { wait?: boolean }): void;
}

export const display: Display = Object.assign(
  (value: unknown, options: DisplayOptions = {}): DisplayHandle =>
    isLiveDisplayable(value)
      ? showLiveObject(value, options)
      : isAsyncIterable(value) && typeof value !== "string"
        ? showLive(value, options)
        : show(value, toMimeBundle, options),
  {
    html: (value: string, options: DisplayOptions = {}) => show(value, html, options),
    markdown: (value: string, options: DisplayOptions = {}) => show(value, markdown, options),
    json: (value: unknown, options: DisplayOptions = {}) => show(value, json, options),
    image: (data: Uint8Array | string, options: DisplayOptions & { mimeType?: string } = {}) => {
      const mimeType = options.mimeType ?? "image/png";
      return show(data, (value) => imageBundle(value as Uint8Array | string, mimeType), options);
    },
    svg: (value: string, options: DisplayOptions = {}) => show(value, svg, options),
    mime: (bundle: MimeBundle, options: DisplayOptions = {}) => show(bundle, mime, options),
    clear: (options: { wait?: boolean } = {}) => displayPublisher().clear(options.wait ?? false),
  },
);
