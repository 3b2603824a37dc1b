/** How telemetry's text and HTML views write times and money. */

/** "812.4 ms", "2.35 s"; "–" when there is no value. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return "–";
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

/** Like `formatMs`, whole milliseconds from 10 ms up ("4.4 ms", "812 ms"): for one-line event texts. */
export function formatShortMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

/** "$0", "$0.000420", "$0.0123". */
export function formatUsd(usd: number): string {
  return usd === 0 ? "$0" : usd < 0.01 ? `$${usd.toFixed(6)}` : `$${usd.toFixed(4)}`;
}
