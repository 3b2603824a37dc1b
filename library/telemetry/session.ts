import { randomUUID } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace";
import { DISPLAY } from "../display/payloads.ts";
import type { MimeBundle, TracePayload } from "../display/payloads.ts";
import { UserError } from "../errors.ts";
import { DEFAULT_MODEL_PRICES, validatePriceTable } from "./model-prices.ts";
import type { PriceTable } from "./model-prices.ts";
import { hrTimeToMs, recordSpan, spanClockMs } from "./recorded-span.ts";
import type { RecordedSpan } from "./recorded-span.ts";
import { ATTR } from "./semantic-conventions.ts";
import type { SessionEndState, SessionEvent, SessionEventInit } from "./session-events.ts";
import { SessionDashboard, type SessionDashboardOptions } from "./session-dashboard.ts";
import { parseSessionJsonl, sessionToJsonl } from "./session-jsonl.ts";
import type { SessionRecord } from "./session-jsonl.ts";
import { messageProvenance, summarizeSpans, thoughtsOf } from "./session-stats.ts";
import type { ProvenanceEntry, SessionSummary, ThoughtEntry } from "./session-stats.ts";
import { sessionEventsFromSpan } from "./span-session-events.ts";
import { userPrices } from "./telemetry-options.ts";
import { traceMimeBundle, tracePayload } from "./trace-display.ts";
import { addSpanProcessor, removeSpanProcessor } from "./tracing-setup.ts";

/** Options of `startSession`. */
export interface SessionOptions {
  /** A name to show in displays. */
  name?: string;
  /** Labels to sort sessions by ("financial-analysis", "prod"). */
  tags?: string[];
  /** Context of the session (project, team, ...). Never put secrets here: it is saved and displayed. */
  metadata?: Record<string, string | number | boolean>;
  /** Prices for this session's cost, on top of the built-in table and `setTelemetryOptions({ prices })`. */
  prices?: PriceTable;
}

/** Options of `session.replay`. */
export interface ReplayOptions {
  /** Play `speed` times faster than it happened (default 1). */
  speed?: number;
  /** Yield every event at once, without waiting. */
  instant?: boolean;
  /** Stop the replay. */
  signal?: AbortSignal;
}

/** Options of `session.feed`. */
export interface FeedOptions {
  /** Start with the events already reported (default true), or only what happens from now on. */
  fromStart?: boolean;
  /** Stop listening (the iteration ends). */
  signal?: AbortSignal;
}

const END_STATES: readonly SessionEndState[] = ["Success", "Fail", "Indeterminate"];

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Everything that ran while the session was open, recorded in process from agentbook's spans:
 * model calls, agent turns, tools, memory look-ups, code runs, messages and thoughts. It answers
 * latency per agent and model, tokens and cost, tool error rate, memory hit rate and who said
 * what to whom; reports events live as they happen (`subscribe`, `feed`); saves to JSONL and
 * replays. In a notebook it renders as a trace waterfall.
 *
 * ```ts
 * const session = startSession({ tags: ["financial-analysis"], metadata: { project: "Stock Analysis" } });
 * await team.run({ task: "Analyze NVIDIA's Q2 financials" });
 * session.end("Success");
 * session.summary().latency.agents; // { analyst: { p50Ms, p95Ms, ... }, ... }
 * await session.save("analysis.jsonl");
 * ```
 */
export class Session {
  /** Unique id. */
  readonly id: string;
  /** Display name. */
  readonly name?: string;
  readonly tags: readonly string[];
  readonly metadata: Readonly<Record<string, string | number | boolean>>;
  /** ISO time the session started. */
  readonly startedAt: string;
  readonly #startMs: number;
  readonly #prices: PriceTable;
  #endedAt?: string;
  #endState?: SessionEndState;
  #open: boolean;
  #spans: RecordedSpan[];
  #events: SessionEvent[];
  /**
   * What happened but is not an event yet: turning spans into events waits until someone looks
   * (or listens), which keeps an unwatched session cheap. Order is kept, so `seq` is the same.
   */
  #pending: Array<SessionEventInit | { span: RecordedSpan; agent: string | undefined }> = [];
  /** Feeds being iterated; with one (or a listener), events are made as spans end. */
  #feeds = 0;
  #priceCache?: { user: PriceTable; table: PriceTable };
  readonly #listeners = new Set<(event: SessionEvent) => void>();
  #waiters: Array<() => void> = [];
  /** Spans started while the session is open and not ended yet. */
  readonly #running = new Map<string, Span>();
  /** The agent each running span works for. */
  readonly #agentOf = new Map<string, string | undefined>();
  readonly #processor: SpanProcessor;

  private constructor(record: SessionRecord, open: boolean) {
    this.id = record.id;
    if (record.name !== undefined) this.name = record.name;
    this.tags = Object.freeze([...record.tags]);
    this.metadata = Object.freeze({ ...record.metadata });
    this.startedAt = record.startedAt;
    this.#startMs = Date.parse(record.startedAt);
    this.#prices = { ...record.prices };
    this.#endedAt = record.endedAt;
    this.#endState = record.endState;
    this.#spans = [...record.spans];
    this.#events = [...record.events];
    this.#open = open;
    this.#processor = {
      onStart: (span, parentContext) => this.#onStart(span, parentContext),
      onEnd: (span) => this.#onEnd(span),
      forceFlush: async () => {},
      shutdown: async () => {},
    };
  }

  /** Open a session; prefer `startSession(options)`. */
  static start(options: SessionOptions = {}): Session {
    if (options.tags !== undefined && (!Array.isArray(options.tags) || options.tags.some((tag) => typeof tag !== "string")))
      throw new UserError(`startSession: tags must be a list of strings, like ["financial-analysis", "prod"]; got ${JSON.stringify(options.tags)}.`);
    if (options.metadata !== undefined && (typeof options.metadata !== "object" || options.metadata === null || Array.isArray(options.metadata)))
      throw new UserError(`startSession: metadata must be an object of strings, numbers and booleans; got ${JSON.stringify(options.metadata)}.`);
    if (options.prices !== undefined) validatePriceTable(options.prices, "startSession");
    const session = new Session(
      {
        id: randomUUID(),
        ...(options.name !== undefined ? { name: options.name } : {}),
        tags: options.tags ?? [],
        metadata: options.metadata ?? {},
        startedAt: new Date(spanClockMs()).toISOString(),
        prices: options.prices ?? {},
        spans: [],
        events: [],
      },
      true,
    );
    session.#report({ type: "session_start", timeMs: session.#startMs, sessionId: session.id, tags: [...session.tags], metadata: { ...session.metadata } });
    addSpanProcessor(session.#processor);
    return session;
  }

  /** A closed session from the JSONL text `session.toJSONL()` wrote; prefer `loadSession(path)`. */
  static fromJsonl(text: string, source?: string): Session {
    return new Session(parseSessionJsonl(text, source), false);
  }

  /** True until `end()`. */
  get isOpen(): boolean {
    return this.#open;
  }

  /** ISO time the session ended. */
  get endedAt(): string | undefined {
    return this.#endedAt;
  }

  /** How it ended. */
  get endState(): SessionEndState | undefined {
    return this.#endState;
  }

  /** The finished spans, in the order they ended. */
  get spans(): readonly RecordedSpan[] {
    return this.#spans;
  }

  /** The events reported so far, in order. */
  get events(): readonly SessionEvent[] {
    this.#flush();
    return this.#events;
  }

  /** The price table this session costs with: built-in, then `setTelemetryOptions({ prices })`, then its own. */
  get prices(): PriceTable {
    return { ...this.#priceTable() };
  }

  #priceTable(): PriceTable {
    const user = userPrices();
    if (this.#priceCache?.user !== user) this.#priceCache = { user, table: { ...DEFAULT_MODEL_PRICES, ...user, ...this.#prices } };
    return this.#priceCache.table;
  }

  #onStart(span: Span, _parentContext: Context): void {
    if (!this.#open) return;
    const spanId = span.spanContext().spanId;
    this.#running.set(spanId, span);
    const own = span.attributes[ATTR.agentName];
    const parent = span.parentSpanContext?.spanId;
    const agent = typeof own === "string" ? own : parent ? this.#agentOf.get(parent) : undefined;
    this.#agentOf.set(spanId, agent);
    if (span.attributes[ATTR.spanKind] === "agent" && agent)
      this.#report({ type: "agent_turn_start", timeMs: hrTimeToMs(span.startTime), traceId: span.spanContext().traceId, spanId, agent });
  }

  #onEnd(span: ReadableSpan): void {
    const spanId = span.spanContext().spanId;
    if (!this.#running.delete(spanId)) return;
    const agent = this.#agentOf.get(spanId);
    this.#agentOf.delete(spanId);
    const recorded = recordSpan(span);
    this.#spans.push(recorded);
    this.#report({ span: recorded, agent });
  }

  #report(item: SessionEventInit | { span: RecordedSpan; agent: string | undefined }): void {
    this.#pending.push(item);
    if (this.#listeners.size > 0 || this.#feeds > 0) this.#flush();
  }

  /** Turn what is pending into events, in order. */
  #flush(): void {
    if (this.#pending.length === 0) return;
    const pending = this.#pending;
    this.#pending = [];
    for (const item of pending) {
      if ("span" in item) for (const event of sessionEventsFromSpan(item.span, item.agent, this.#priceTable())) this.#emit(event);
      else this.#emit(item);
    }
  }

  #emit(init: SessionEventInit): void {
    const { timeMs, type, ...rest } = init;
    const event = {
      seq: this.#events.length,
      type,
      time: new Date(timeMs).toISOString(),
      elapsedMs: Math.max(0, timeMs - this.#startMs),
      ...rest,
    } as SessionEvent;
    this.#events.push(event);
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A failing dashboard must not break the run it watches.
      }
    }
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Call `listener` with every event from now on; returns the function that stops it. */
  subscribe(listener: (event: SessionEvent) => void): () => void {
    if (typeof listener !== "function") throw new UserError("session.subscribe needs a function: session.subscribe((event) => ...).");
    this.#flush();
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The live feed: the events so far, then each new one as it happens, until the session ends
   * (or `signal` aborts). For a dashboard: `for await (const event of session.feed()) update(event)`.
   */
  async *feed(options: FeedOptions = {}): AsyncGenerator<SessionEvent, void, undefined> {
    this.#flush();
    let next = options.fromStart === false ? this.#events.length : 0;
    let wake: (() => void) | undefined;
    const onAbort = () => wake?.();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    this.#feeds++;
    try {
      for (;;) {
        while (next < this.#events.length) yield this.#events[next++]!;
        if (!this.#open || options.signal?.aborted) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
          this.#waiters.push(resolve);
        });
      }
    } finally {
      this.#feeds--;
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Close the session: spans still running are kept as unfinished, the `session_end` event is
   * reported, and nothing more is recorded. `state` says how it went ("Success", "Fail",
   * "Indeterminate").
   */
  end(state: SessionEndState = "Success"): this {
    if (!END_STATES.includes(state))
      throw new UserError(`session.end needs "Success", "Fail" or "Indeterminate"; got ${JSON.stringify(state)}.`);
    if (!this.#open)
      throw new UserError(`Session ${this.id} has already ended (${this.#endState ?? "loaded from a file"}); start a new one with startSession().`);
    const now = spanClockMs();
    removeSpanProcessor(this.#processor);
    for (const span of this.#running.values()) this.#spans.push(recordSpan(span, now));
    this.#running.clear();
    this.#agentOf.clear();
    this.#endedAt = new Date(now).toISOString();
    this.#endState = state;
    this.#report({ type: "session_end", timeMs: now, endState: state });
    this.#flush();
    this.#open = false;
    for (const wake of this.#waiters.splice(0)) wake();
    return this;
  }

  /** Latency per agent and model, tokens, cost, tool error rate, memory hit rate. */
  summary(options: { prices?: PriceTable } = {}): SessionSummary {
    if (options.prices !== undefined) validatePriceTable(options.prices, "session.summary");
    return summarizeSpans(this.#spans, options.prices ? { ...this.#priceTable(), ...options.prices } : this.#priceTable());
  }

  /** Who said what to whom, and when, in order. */
  provenance(): ProvenanceEntry[] {
    return messageProvenance(this.#spans);
  }

  /** The thoughts models returned, in order. */
  thoughts(): ThoughtEntry[] {
    return thoughtsOf(this.#spans);
  }

  /**
   * A dashboard of this session: `display(session.dashboard())` follows it live (conversation,
   * event and thought stream, latency gauge, tokens and cost, charts); on a loaded session,
   * `{ replay: { speed } }` plays it back.
   */
  dashboard(options: SessionDashboardOptions = {}): SessionDashboard {
    return new SessionDashboard(this, options);
  }

  /** The span tree as the trace MIME payload. */
  tracePayload(): TracePayload {
    return tracePayload(this.#spans, this.#priceTable(), `session ${this.name ?? this.id}`);
  }

  /**
   * The recorded events again, in the order they happened, spaced as they happened (divided by
   * `speed`), or all at once with `instant`.
   */
  async *replay(options: ReplayOptions = {}): AsyncGenerator<SessionEvent, void, undefined> {
    const speed = options.speed ?? 1;
    if (!(typeof speed === "number" && speed > 0))
      throw new UserError(`session.replay: speed must be a positive number (2 plays twice as fast); got ${String(options.speed)}.`);
    this.#flush();
    const events = [...this.#events].sort((a, b) => a.elapsedMs - b.elapsedMs || a.seq - b.seq);
    const started = performance.now();
    const origin = events[0]?.elapsedMs ?? 0;
    for (const event of events) {
      if (options.signal?.aborted) return;
      if (!options.instant) {
        const wait = (event.elapsedMs - origin) / speed - (performance.now() - started);
        if (wait > 0) await sleep(wait, options.signal);
        if (options.signal?.aborted) return;
      }
      yield event;
    }
  }

  /** The session as JSON (header, spans, events). */
  toJSON(): SessionRecord {
    this.#flush();
    return {
      id: this.id,
      ...(this.name !== undefined ? { name: this.name } : {}),
      tags: [...this.tags],
      metadata: { ...this.metadata },
      startedAt: this.startedAt,
      ...(this.#endedAt ? { endedAt: this.#endedAt } : {}),
      ...(this.#endState ? { endState: this.#endState } : {}),
      prices: { ...this.#prices },
      spans: [...this.#spans],
      events: [...this.#events],
    };
  }

  /** The session as JSONL text: a header line, one line per span, one per event. */
  toJSONL(): string {
    return sessionToJsonl(this.toJSON());
  }

  /** Write the session to `path` as JSONL, atomically (a reader never sees half a file). */
  async save(path: string): Promise<void> {
    if (typeof path !== "string" || path === "") throw new UserError("session.save needs a file path, like \"session.jsonl\".");
    const temporary = `${path}.${randomUUID().slice(0, 8)}.tmp`;
    try {
      await writeFile(temporary, this.toJSONL(), { encoding: "utf8", mode: 0o600 });
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  /** Renders as a trace waterfall with the session's numbers. */
  [DISPLAY](): MimeBundle {
    return traceMimeBundle(this.tracePayload(), this.summary());
  }
}

/**
 * Start recording everything agentbook does, in this process, until `session.end()`. Switches
 * tracing on if nothing else did (and off again when the last session or exporter ends).
 */
export function startSession(options: SessionOptions = {}): Session {
  return Session.start(options);
}

/** A session saved with `session.save(path)`, to analyse or `replay()`. */
export async function loadSession(path: string): Promise<Session> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UserError(`Cannot read the session file ${JSON.stringify(path)}: ${(error as Error).message}. Check the path.`, { cause: error });
  }
  return Session.fromJsonl(text, JSON.stringify(path));
}
