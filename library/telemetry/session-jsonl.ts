/**
 * The JSONL form of a session: one header line, then one line per span, then one per event.
 *
 * ```
 * {"line":"session","format":"agentbook.session","version":1,"id":"…","tags":[…],"metadata":{…},"startedAt":"…","endedAt":"…","endState":"Success","prices":{…}}
 * {"line":"span","traceId":"…","spanId":"…","name":"chat gpt-4o",…}
 * {"line":"event","seq":0,"type":"session_start",…}
 * ```
 */
import { UserError } from "../errors.ts";
import type { PriceTable } from "./model-prices.ts";
import { validatePriceTable } from "./model-prices.ts";
import type { RecordedSpan } from "./recorded-span.ts";
import type { SessionEndState, SessionEvent } from "./session-events.ts";

/** What a session holds, as JSON. */
export interface SessionRecord {
  id: string;
  name?: string;
  tags: string[];
  metadata: Record<string, string | number | boolean>;
  /** ISO time of `startSession()`. */
  startedAt: string;
  endedAt?: string;
  endState?: SessionEndState;
  /** The session's own price overrides. */
  prices: PriceTable;
  spans: RecordedSpan[];
  events: SessionEvent[];
}

const FORMAT = "agentbook.session";
const VERSION = 1;

/** `record` as JSONL text (ends with a newline). */
export function sessionToJsonl(record: SessionRecord): string {
  const { spans, events, ...header } = record;
  const lines = [JSON.stringify({ line: "session", format: FORMAT, version: VERSION, ...header })];
  for (const span of spans) lines.push(JSON.stringify({ line: "span", ...span }));
  for (const event of events) lines.push(JSON.stringify({ line: "event", ...event }));
  return `${lines.join("\n")}\n`;
}

/** Read JSONL text back into a session record; `source` names the file in errors. */
export function parseSessionJsonl(text: string, source = "the session file"): SessionRecord {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const parse = (line: string, number: number): Record<string, unknown> => {
    try {
      const value = JSON.parse(line) as unknown;
      if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("not an object");
      return value as Record<string, unknown>;
    } catch (error) {
      throw new UserError(`Line ${number} of ${source} is not a JSON object (${(error as Error).message}); is it a session saved with session.save()?`);
    }
  };
  if (lines.length === 0) throw new UserError(`${source} is empty; save a session with session.save(path) first.`);
  const { line, format, version, ...header } = parse(lines[0]!, 1);
  if (line !== "session" || format !== FORMAT)
    throw new UserError(`${source} does not start with an agentbook session header; it was not written by session.save().`);
  if (version !== VERSION)
    throw new UserError(`${source} is a session file of version ${String(version)}; this agentbook reads version ${VERSION}. Load it with the agentbook that wrote it.`);
  if (typeof header.id !== "string" || typeof header.startedAt !== "string")
    throw new UserError(`The header of ${source} lacks the session id or start time; the file is damaged.`);
  const prices = (header.prices ?? {}) as PriceTable;
  validatePriceTable(prices, source);
  const record: SessionRecord = {
    id: header.id,
    ...(typeof header.name === "string" ? { name: header.name } : {}),
    tags: Array.isArray(header.tags) ? header.tags.map(String) : [],
    metadata: (header.metadata && typeof header.metadata === "object" ? header.metadata : {}) as SessionRecord["metadata"],
    startedAt: header.startedAt,
    ...(typeof header.endedAt === "string" ? { endedAt: header.endedAt } : {}),
    ...(typeof header.endState === "string" ? { endState: header.endState as SessionEndState } : {}),
    prices,
    spans: [],
    events: [],
  };
  lines.slice(1).forEach((text, index) => {
    const { line: lineKind, ...rest } = parse(text, index + 2);
    if (lineKind === "span") record.spans.push(rest as unknown as RecordedSpan);
    else if (lineKind === "event") record.events.push(rest as unknown as SessionEvent);
    else throw new UserError(`Line ${index + 2} of ${source} is neither a span nor an event (line ${JSON.stringify(lineKind)}); the file is damaged.`);
  });
  return record;
}
