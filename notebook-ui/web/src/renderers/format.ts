/** Small formatting helpers shared by the renderers. */

/** "850 ms", "2.4 s", "3 min 5 s". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A clock for event lists, fixed width so rows line up: "0:07.4", "12:03.0", "1:02:03". */
export function formatClock(ms: number): string {
  const tenths = Math.floor(Math.max(0, ms) / 100);
  const seconds = `${String(Math.floor((tenths % 600) / 10)).padStart(2, "0")}.${tenths % 10}`;
  const minutes = Math.floor(tenths / 600) % 60;
  const hours = Math.floor(tenths / 36_000);
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, "0")}:${seconds.slice(0, 2)}`;
  return `${minutes}:${seconds}`;
}

/** "1,234". */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** "$0.0042". */
export function formatCost(usd: number | undefined): string {
  if (usd === undefined) return "";
  if (usd === 0) return "$0.00";
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(2)}`;
}

/** A stable pleasant hue for a name, so each agent keeps its colour across cells. */
export function hueOf(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return hash % 360;
}

/** One or two letters for an avatar. */
export function initialsOf(name: string): string {
  const words = name.split(/[\s_\-]+/).filter(Boolean);
  if (words.length >= 2) return (words[0]![0]! + words[1]![0]!).toUpperCase();
  return name.slice(0, 2).toUpperCase();
}

/** Pretty JSON text of a tool's arguments, or the raw text when it is not JSON. */
export function prettyJsonText(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
