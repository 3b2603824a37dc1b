/**
 * `session.dashboard()`: the guide's Panel dashboard, as a notebook output that follows a
 * session live: the conversation as it happens, the thought and event stream, a model-latency
 * gauge with thresholds, token and cost counters, errors highlighted, and charts of latency over
 * the run and tokens per agent. Updates are sent at most every `updateIntervalMs`, however fast
 * the team talks; the final one (when the session ends) is sent at once.
 */
import { DISPLAY, DISPLAY_LIVE } from "../display/payloads.ts";
import type { DashboardPayload, LiveDisplay, LiveDisplayable, MimeBundle } from "../display/payloads.ts";
import { UserError } from "../errors.ts";
import { dashboardBundle } from "./dashboard-display.ts";
import { UpdateThrottle } from "../display/update-throttle.ts";
import { DashboardState, type LatencyThresholds } from "./dashboard-state.ts";
import type { Session } from "./session.ts";

/** Options of `session.dashboard()`. */
export interface SessionDashboardOptions {
  /** Heading (default: the session's name, or "session <id>"). */
  title?: string;
  /** Model-call latency at which the gauge turns amber and red (default 2 s and 5 s). */
  latencyThresholds?: Partial<LatencyThresholds>;
  /** Least time between two live updates (default 250 ms). */
  updateIntervalMs?: number;
  /** Messages kept in the conversation view (default 200). */
  maxMessages?: number;
  /** Lines kept in the event stream (default 500). */
  maxEvents?: number;
  /**
   * Play a recorded session back into the dashboard, `speed` times faster than it happened,
   * instead of showing it complete (for a session from `loadSession`).
   */
  replay?: { speed?: number };
}

/** A live view of a session; show it with `display(session.dashboard())`. */
export class SessionDashboard implements LiveDisplayable {
  readonly session: Session;
  readonly #options: SessionDashboardOptions;
  readonly #interval: number;
  #state: DashboardState;
  /** Events of the session folded into the state so far. */
  #seen = 0;

  constructor(session: Session, options: SessionDashboardOptions = {}) {
    const interval = options.updateIntervalMs ?? 250;
    if (!(typeof interval === "number" && interval >= 0))
      throw new UserError(`session.dashboard: updateIntervalMs must be 0 or more milliseconds; got ${String(options.updateIntervalMs)}.`);
    const { warnMs, alertMs } = options.latencyThresholds ?? {};
    for (const [name, value] of [["warnMs", warnMs], ["alertMs", alertMs]] as const)
      if (value !== undefined && !(typeof value === "number" && value > 0))
        throw new UserError(`session.dashboard: latencyThresholds.${name} must be a positive number of milliseconds; got ${String(value)}.`);
    if (warnMs !== undefined && alertMs !== undefined && alertMs < warnMs)
      throw new UserError(`session.dashboard: latencyThresholds.alertMs (${alertMs}) is below warnMs (${warnMs}); the alert level must be the higher one.`);
    if (options.replay && session.isOpen)
      throw new UserError("session.dashboard: replay plays back a recorded session; this one is still open. End it first, or drop `replay` to follow it live.");
    const speed = options.replay?.speed;
    if (speed !== undefined && !(typeof speed === "number" && speed > 0))
      throw new UserError(`session.dashboard: replay.speed must be a positive number (4 plays four times as fast); got ${String(speed)}.`);
    this.session = session;
    this.#options = options;
    this.#interval = interval;
    this.#state = this.#newState();
  }

  #newState(): DashboardState {
    const { title, latencyThresholds, maxMessages, maxEvents } = this.#options;
    return new DashboardState({
      title: title ?? `session ${this.session.name ?? this.session.id}`,
      sessionId: this.session.id,
      tags: this.session.tags,
      latencyThresholds,
      maxMessages,
      maxEvents,
    });
  }

  /** Fold in the session's events not seen yet (none while a replay feeds the state). */
  #catchUp(): void {
    if (this.#options.replay) return;
    const events = this.session.events;
    while (this.#seen < events.length) this.#state.apply(events[this.#seen++]!);
  }

  /** What the dashboard shows now. */
  payload(): DashboardPayload {
    this.#catchUp();
    return this.#state.payload();
  }

  /** A snapshot (a cell's value); `display()` keeps it live. */
  [DISPLAY](): MimeBundle {
    return dashboardBundle(this.payload());
  }

  [DISPLAY_LIVE](update: (bundle: MimeBundle, final: boolean) => void): LiveDisplay {
    const send = (final: boolean) => {
      try {
        update(dashboardBundle(this.payload()), final);
      } catch {
        // A display that cannot be updated must not break the run the dashboard watches.
      }
    };
    // Pending updates never keep a script alive; the final one is sent at once.
    const updates = new UpdateThrottle(() => send(false), this.#interval, { unref: true });
    const finish = () => {
      updates.cancel();
      send(true);
    };

    if (this.#options.replay) {
      const controller = new AbortController();
      this.#state = this.#newState();
      const done = (async () => {
        for await (const event of this.session.replay({ speed: this.#options.replay?.speed ?? 1, signal: controller.signal })) {
          this.#state.apply(event);
          updates.request();
        }
        if (controller.signal.aborted) updates.cancel();
        else finish();
      })();
      return { stop: () => controller.abort(), done };
    }

    // A closed session: what display() showed is final.
    if (!this.session.isOpen) return { stop: () => {}, done: Promise.resolve() };
    const unsubscribe = this.session.subscribe((event) => {
      if (event.type !== "session_end") return updates.request();
      unsubscribe();
      finish();
    });
    const stop = () => {
      unsubscribe();
      updates.cancel();
    };
    // Nothing to wait for: the updates go on until the user ends the session.
    return { stop, done: Promise.resolve() };
  }
}
