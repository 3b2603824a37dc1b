import { svg, type SVGTemplateResult } from "lit";

/** 16px line icons used by the toolbar and file browser. */
function icon(paths: SVGTemplateResult): SVGTemplateResult {
  return svg`<svg class="ab-icon" viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${paths}</svg>`;
}

export const icons = {
  save: icon(svg`<path d="M3 2.5h8l2.5 2.5v8.5h-10.5z"/><path d="M5 2.5v3.5h5v-3.5"/><rect x="5" y="9" width="6" height="4.5"/>`),
  add: icon(svg`<path d="M8 3v10M3 8h10"/>`),
  cut: icon(svg`<circle cx="4.5" cy="11.5" r="2"/><circle cx="11.5" cy="11.5" r="2"/><path d="M6 10l6-7.5M10 10L4 2.5"/>`),
  copy: icon(svg`<rect x="5.5" y="5.5" width="8" height="8" rx="1.5"/><path d="M10.5 5.5v-2a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h2"/>`),
  paste: icon(svg`<rect x="3" y="3" width="10" height="11" rx="1.5"/><path d="M6 3V1.8h4V3M5.5 7h5M5.5 10h3.5"/>`),
  up: icon(svg`<path d="M8 13V3M4 7l4-4 4 4"/>`),
  down: icon(svg`<path d="M8 3v10M4 9l4 4 4-4"/>`),
  run: icon(svg`<path d="M4.5 2.8v10.4L13 8z" fill="currentColor" stroke="none"/>`),
  runAll: icon(svg`<path d="M2.5 3v10l6-5zM8.5 3v10l6-5z" fill="currentColor" stroke="none"/>`),
  stop: icon(svg`<rect x="4" y="4" width="8" height="8" rx="1" fill="currentColor" stroke="none"/>`),
  restart: icon(svg`<path d="M13 8a5 5 0 1 1-1.5-3.6"/><path d="M13 2.5v3h-3"/>`),
  export: icon(svg`<path d="M8 2.5v8M4.5 7 8 10.5 11.5 7"/><path d="M2.5 11v2.5h11V11"/>`),
  folder: icon(svg`<path d="M1.8 4.2a1 1 0 0 1 1-1h3.4l1.5 1.6h5.5a1 1 0 0 1 1 1v6.9a1 1 0 0 1-1 1H2.8a1 1 0 0 1-1-1z"/>`),
  notebook: icon(svg`<rect x="3" y="1.8" width="10" height="12.4" rx="1.5"/><path d="M5.5 5h5M5.5 8h5M5.5 11h3"/>`),
  file: icon(svg`<path d="M4 1.8h5l3 3v9.4H4z"/><path d="M9 1.8v3h3"/>`),
  trash: icon(svg`<path d="M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4"/>`),
  rename: icon(svg`<path d="M10.5 2.5l3 3-8 8h-3v-3z"/>`),
  newFolder: icon(svg`<path d="M1.8 4.2a1 1 0 0 1 1-1h3.4l1.5 1.6h5.5a1 1 0 0 1 1 1v6.9a1 1 0 0 1-1 1H2.8a1 1 0 0 1-1-1z"/><path d="M8 7.2v4M6 9.2h4"/>`),
  monitor: icon(svg`<path d="M1.5 8.5h3l1.6-4.5 3 8.5 1.7-4h4.7"/>`),
  close: icon(svg`<path d="M4 4l8 8M12 4l-8 8"/>`),
  clear: icon(svg`<path d="M3 13h10M5 10.5l6.5-6.5M5.5 4.5l6 6"/>`),
};
