import { UserError } from "../errors.ts";
import type { PriceTable } from "./model-prices.ts";

/** Process-wide telemetry settings. */
export interface TelemetryOptions {
  /**
   * Record message text, tool arguments and results, thoughts and memory queries in spans and
   * sessions (default false, or true when `AGENTBOOK_CAPTURE_CONTENT` or
   * `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT` is "true"). Off, spans carry sizes,
   * ids, names, timings and token counts only. API keys are never recorded.
   */
  captureContent: boolean;
  /**
   * Instrument at all (default true). false skips span creation entirely, for the last few
   * microseconds per call; with no tracer provider registered the spans cost next to nothing anyway.
   */
  enabled: boolean;
  /** Prices per model that sessions use for cost, on top of (and overriding) the built-in table. */
  prices: PriceTable;
}

function envFlag(name: string): boolean {
  const value = process.env[name]?.trim().toLowerCase();
  return value === "true" || value === "1" || value === "yes";
}

let current: TelemetryOptions = {
  captureContent: envFlag("AGENTBOOK_CAPTURE_CONTENT") || envFlag("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"),
  enabled: process.env.AGENTBOOK_TELEMETRY_DISABLED === undefined || !envFlag("AGENTBOOK_TELEMETRY_DISABLED"),
  prices: {},
};

/**
 * Change telemetry settings for the whole process; fields left out keep their value.
 *
 * ```ts
 * setTelemetryOptions({ captureContent: true, prices: { "my-model": { inputPerMillion: 1, outputPerMillion: 2 } } });
 * ```
 */
export function setTelemetryOptions(options: Partial<TelemetryOptions>): TelemetryOptions {
  if (!options || typeof options !== "object")
    throw new UserError("setTelemetryOptions needs an object, for example { captureContent: true }.");
  for (const key of Object.keys(options))
    if (!(key in current))
      throw new UserError(`setTelemetryOptions got an unknown option "${key}"; the options are ${Object.keys(current).join(", ")}.`);
  for (const key of ["captureContent", "enabled"] as const)
    if (options[key] !== undefined && typeof options[key] !== "boolean")
      throw new UserError(`setTelemetryOptions: ${key} must be true or false; got ${JSON.stringify(options[key])}.`);
  current = { ...current, ...options, prices: options.prices ? { ...options.prices } : current.prices };
  return getTelemetryOptions();
}

/** The current telemetry settings (a copy). */
export function getTelemetryOptions(): TelemetryOptions {
  return { ...current, prices: { ...current.prices } };
}

/** True when spans should be made at all (read on every instrumented call, so kept cheap). */
export function instrumentationEnabled(): boolean {
  return current.enabled;
}

/** True when message content may be recorded. */
export function capturingContent(): boolean {
  return current.captureContent;
}

/** The user's price overrides (not copied: read-only use). */
export function userPrices(): PriceTable {
  return current.prices;
}
