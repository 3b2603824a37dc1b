import { html, nothing, svg, type TemplateResult } from "lit";
import type { DashboardPayload } from "../../../../library/display/payloads.ts";
import { formatDuration } from "./format.ts";

/** Colours of the gauge's zones and of the needle's level. */
export const LEVEL_COLORS = { ok: "#12b76a", warn: "#f79009", alert: "#f04438", none: "#98a2b3" } as const;

const CX = 100;
const CY = 100;
const R = 80;

/** The point on the arc for `value` on a 0..max scale (0 at the left end, max at the right). */
function pointAt(value: number, max: number, radius = R): [number, number] {
  const angle = Math.PI * (1 - Math.max(0, Math.min(1, value / max)));
  return [CX + radius * Math.cos(angle), CY - radius * Math.sin(angle)];
}

function arc(from: number, to: number, max: number, color: string) {
  const [x1, y1] = pointAt(from, max);
  const [x2, y2] = pointAt(to, max);
  // Each zone spans at most half a turn, so the small-arc flag always fits; sweep 1 runs clockwise on screen.
  return svg`<path d="M ${x1.toFixed(2)} ${y1.toFixed(2)} A ${R} ${R} 0 0 1 ${x2.toFixed(2)} ${y2.toFixed(2)}" stroke=${color} />`;
}

/**
 * Model latency as a semicircle gauge: green up to `warnMs`, amber up to `alertMs`, red beyond,
 * with a needle at the latest call and last / p50 / p95 below. The scale ends at 1.5 × alertMs,
 * or further when the latest call was slower, so the needle never leaves the dial.
 */
export function latencyGauge(latency: DashboardPayload["latency"]): TemplateResult {
  const { warnMs, alertMs, level } = latency;
  const hasCall = level !== "none" && latency.lastMs !== undefined;
  const max = Math.max(alertMs * 1.5, latency.lastMs ?? 0, 1);
  const [nx, ny] = pointAt(latency.lastMs ?? 0, max, R - 16);
  const stats = [latency.p50Ms !== undefined ? `p50 ${formatDuration(latency.p50Ms)}` : "", latency.p95Ms !== undefined ? `p95 ${formatDuration(latency.p95Ms)}` : ""]
    .filter(Boolean)
    .join(" · ");
  return html`<figure class="gauge" data-level=${level} aria-label="model latency">
    <svg viewBox="0 0 200 112" role="img" aria-hidden="true">
      <g fill="none" stroke-width="14">${arc(0, warnMs, max, LEVEL_COLORS.ok)}${arc(warnMs, alertMs, max, LEVEL_COLORS.warn)}${arc(alertMs, max, max, LEVEL_COLORS.alert)}</g>
      ${hasCall
        ? svg`<g class="needle"><line x1=${CX} y1=${CY} x2=${nx.toFixed(2)} y2=${ny.toFixed(2)} /><circle cx=${CX} cy=${CY} r="5" /></g>`
        : nothing}
      <text x=${CX - R} y="110" text-anchor="middle">0</text>
      <text x=${CX + R} y="110" text-anchor="middle">${formatDuration(max)}</text>
    </svg>
    <figcaption>
      ${hasCall
        ? html`<span class="last" style="color:${LEVEL_COLORS[level]}">${formatDuration(latency.lastMs)}</span><span class="caption">last model call</span>
            ${stats ? html`<span class="stats">${stats}</span>` : nothing}`
        : html`<span class="caption">no model calls yet</span>`}
    </figcaption>
  </figure>`;
}
