import { html, LitElement } from "lit";
import { DASHBOARD_MIME, type DashboardPayload } from "../../../../library/display/payloads.ts";
import "../renderers/dashboard-output.ts";
import { icons } from "../ui/icons.ts";

/**
 * The Monitor side panel: the notebook's latest session dashboard, beside the cells, so the
 * user can scroll the notebook while watching a run. Fires "monitor-close" when its close
 * button is pressed. Light DOM, styled by app.css.
 */
export class MonitorPanel extends LitElement {
  static properties = { payload: { attribute: false } };
  /** The dashboard to show; without one the panel says how to get one. */
  declare payload: DashboardPayload | undefined;

  createRenderRoot() {
    return this;
  }

  render() {
    return html`<aside class="ab-monitor" aria-label="Session monitor">
      <div class="ab-monitor-header">
        ${icons.monitor}<span class="ab-monitor-title">Monitor</span>
        <span class="ab-spacer"></span>
        <button class="ab-icon-button" title="Close the monitor" aria-label="Close the monitor" @click=${() => this.dispatchEvent(new Event("monitor-close", { bubbles: true }))}>
          ${icons.close}
        </button>
      </div>
      <div class="ab-monitor-body">
        ${this.payload
          ? html`<ab-dashboard-output .mimeType=${DASHBOARD_MIME} .data=${this.payload}></ab-dashboard-output>`
          : html`<p class="ab-monitor-hint">Display a session dashboard in a cell to follow it here: <code>display(session.dashboard())</code></p>`}
      </div>
    </aside>`;
  }
}
customElements.define("ab-monitor-panel", MonitorPanel);
