/**
 * The dashboard's two Chart.js charts: model latency over the run and tokens per agent. Each is
 * created once on its canvas; later payloads swap the data and redraw without animation, so a
 * dashboard updated several times a second costs one redraw per update.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartOptions,
  type ScriptableContext,
} from "chart.js";
import type { DashboardPayload } from "../../../../library/display/payloads.ts";
import { formatCount, formatDuration } from "./format.ts";
import { LEVEL_COLORS } from "./latency-gauge.ts";

// Only the pieces the two charts use, so the bundle leaves the rest of Chart.js out.
Chart.register(LineController, LineElement, PointElement, LinearScale, BarController, BarElement, CategoryScale, Legend, Tooltip);

const ACCENT = "#6366f1";
const OUTPUT_COLOR = "#06b6d4";
const GRID = "#eef0f3";
const TICKS = "#667085";

/** One model call as the latency chart holds it (`x` in seconds from the start, `y` in ms). */
export interface LatencyDatum {
  x: number;
  y: number;
  model: string;
  agent?: string;
  error?: boolean;
}

/** The latency chart: calls as points joined by a line, failed calls red, warn and alert as dashed lines. */
export type LatencyChart = Chart<"line", LatencyDatum[]>;
/** The tokens chart: one stacked bar (input, output) per agent. */
export type TokensChart = Chart<"bar", number[], string>;

function baseOptions(fontFamily: string) {
  const font = { family: fontFamily, size: 11 };
  return {
    animation: false as const,
    responsive: true,
    maintainAspectRatio: false,
    plugins: {
      legend: { position: "bottom" as const, labels: { font, color: TICKS, boxWidth: 10, boxHeight: 10, padding: 10 } },
      tooltip: { titleFont: font, bodyFont: font },
    },
  };
}

function axis(fontFamily: string, title: string) {
  return {
    grid: { color: GRID },
    border: { display: false },
    ticks: { color: TICKS, font: { family: fontFamily, size: 11 }, maxTicksLimit: 6 },
    title: { display: true, text: title, color: TICKS, font: { family: fontFamily, size: 11 } },
  };
}

function pointColor(context: ScriptableContext<"line">): string {
  return (context.raw as LatencyDatum | undefined)?.error ? LEVEL_COLORS.alert : ACCENT;
}

/** Create the latency chart on `canvas` (empty; fill it with `updateLatencyChart`). */
export function createLatencyChart(canvas: HTMLCanvasElement, fontFamily: string): LatencyChart {
  const base = baseOptions(fontFamily);
  const threshold = (label: string, color: string) => ({ label, data: [] as LatencyDatum[], borderColor: color, backgroundColor: color, borderWidth: 1, borderDash: [4, 4], pointRadius: 0, pointHitRadius: 0, pointStyle: "line" as const });
  const options: ChartOptions<"line"> = {
    ...base,
    // Data arrives as {x, y} already; skipping parsing keeps frequent updates cheap.
    parsing: false,
    scales: { x: { ...axis(fontFamily, "elapsed (s)"), type: "linear", min: 0 }, y: { ...axis(fontFamily, "ms"), beginAtZero: true } },
    plugins: {
      ...base.plugins,
      // Legend marks drawn like the series: a dot for calls, a line for each threshold.
      legend: { ...base.plugins.legend, labels: { ...base.plugins.legend.labels, usePointStyle: true, boxHeight: 7 } },
      tooltip: {
        ...base.plugins.tooltip,
        filter: (item) => item.datasetIndex === 0,
        callbacks: {
          title: (items) => (items[0] ? `at ${formatDuration((items[0].raw as LatencyDatum).x * 1000)}` : ""),
          label: (item) => {
            const datum = item.raw as LatencyDatum;
            return `${datum.agent ? `${datum.agent} · ` : ""}${datum.model}: ${formatDuration(datum.y)}${datum.error ? " (failed)" : ""}`;
          },
        },
      },
    },
  };
  return new Chart<"line", LatencyDatum[]>(canvas, {
    type: "line",
    data: {
      datasets: [
        { label: "model call", data: [], borderColor: ACCENT, backgroundColor: ACCENT, borderWidth: 1.5, pointRadius: 3, pointHoverRadius: 5, pointStyle: "circle", pointBackgroundColor: pointColor, pointBorderColor: pointColor },
        threshold("warn", LEVEL_COLORS.warn),
        threshold("alert", LEVEL_COLORS.alert),
      ],
    },
    options,
  });
}

/** Show `payload`'s model calls and thresholds, redrawn without animation. */
export function updateLatencyChart(chart: LatencyChart, payload: DashboardPayload): void {
  const points: LatencyDatum[] = (payload.series?.modelLatency ?? []).map((point) => ({
    x: point.elapsedMs / 1000,
    y: point.latencyMs,
    model: point.model,
    ...(point.agent ? { agent: point.agent } : {}),
    ...(point.error ? { error: true } : {}),
  }));
  const end = Math.max(payload.elapsedMs / 1000, points.at(-1)?.x ?? 0);
  const [calls, warn, alert] = chart.data.datasets;
  calls!.data = points;
  warn!.data = [{ x: 0, y: payload.latency.warnMs, model: "" }, { x: end, y: payload.latency.warnMs, model: "" }];
  alert!.data = [{ x: 0, y: payload.latency.alertMs, model: "" }, { x: end, y: payload.latency.alertMs, model: "" }];
  chart.update("none");
}

/** Create the tokens-per-agent chart on `canvas` (empty; fill it with `updateTokensChart`). */
export function createTokensChart(canvas: HTMLCanvasElement, fontFamily: string): TokensChart {
  const base = baseOptions(fontFamily);
  const stacked = (title: string) => ({ ...axis(fontFamily, title), stacked: true });
  return new Chart<"bar", number[], string>(canvas, {
    type: "bar",
    data: {
      labels: [],
      datasets: [
        { label: "input tokens", data: [], backgroundColor: ACCENT, borderRadius: 3, maxBarThickness: 36 },
        { label: "output tokens", data: [], backgroundColor: OUTPUT_COLOR, borderRadius: 3, maxBarThickness: 36 },
      ],
    },
    options: {
      ...base,
      scales: { x: { ...stacked(""), title: { display: false } }, y: { ...stacked("tokens"), beginAtZero: true } },
      plugins: { ...base.plugins, tooltip: { ...base.plugins.tooltip, callbacks: { label: (item) => `${item.dataset.label}: ${formatCount(Number(item.raw))}` } } },
    },
  });
}

/** Show `payload`'s tokens per agent, redrawn without animation. */
export function updateTokensChart(chart: TokensChart, payload: DashboardPayload): void {
  const agents = payload.series?.tokensByAgent ?? [];
  chart.data.labels = agents.map((entry) => entry.agent);
  chart.data.datasets[0]!.data = agents.map((entry) => entry.inputTokens);
  chart.data.datasets[1]!.data = agents.map((entry) => entry.outputTokens);
  chart.update("none");
}
