/**
 * Any value -> the MIME bundle a notebook shows for it. Library objects render themselves
 * through their `[DISPLAY]()` method; run results render as transcripts; everything else as text.
 */
import { inspect } from "node:util";
import type { MimeBundle, TranscriptPayload } from "./payloads.ts";
import { DISPLAY, TRANSCRIPT_MIME } from "./payloads.ts";
import { isAgentMessage, isTaskResult, transcriptFromTaskResult, TranscriptRecorder } from "./transcript-recorder.ts";
import { transcriptToHtml } from "./transcript-html.ts";
import { transcriptToText } from "./transcript-text.ts";

/** The bundle of a transcript: our JSON type plus HTML and text fallbacks. */
export function transcriptBundle(payload: TranscriptPayload): MimeBundle {
  return {
    [TRANSCRIPT_MIME]: payload,
    "text/html": transcriptToHtml(payload),
    "text/plain": transcriptToText(payload),
  };
}

/** `value` as Node's REPL would print it. */
export function plainText(value: unknown): string {
  return inspect(value, { depth: 4, colors: false, maxArrayLength: 100, maxStringLength: 100_000, breakLength: 100 });
}

function hasDisplayMethod(value: unknown): value is { [DISPLAY](): MimeBundle } {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as Record<symbol, unknown>)[DISPLAY] === "function";
}

/** The MIME bundle for `value`. */
export function toMimeBundle(value: unknown): MimeBundle {
  if (hasDisplayMethod(value)) {
    const bundle = value[DISPLAY]();
    if (bundle && typeof bundle === "object" && Object.keys(bundle).length > 0) return bundle;
  }
  if (isTaskResult(value)) return transcriptBundle(transcriptFromTaskResult(value));
  if (isAgentMessage(value)) {
    const recorder = new TranscriptRecorder();
    recorder.add(value);
    recorder.end();
    return transcriptBundle(recorder.payload());
  }
  return { "text/plain": plainText(value) };
}
