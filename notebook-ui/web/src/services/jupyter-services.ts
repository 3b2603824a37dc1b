import { ContentsManager, KernelManager, KernelSpecManager, ServerConnection, SessionManager } from "@jupyterlab/services";

/**
 * The Jupyter Server clients the UI talks through (@jupyterlab/services). In the browser the
 * page's cookie carries the token, so the settings hold none.
 */
export class JupyterServices {
  /** Connection settings for this page's server. */
  readonly settings: ServerConnection.ISettings;
  /** /api/contents. */
  readonly contents: ContentsManager;
  /** /api/kernels. */
  readonly kernels: KernelManager;
  /** /api/sessions. */
  readonly sessions: SessionManager;
  /** /api/kernelspecs. */
  readonly kernelSpecs: KernelSpecManager;

  constructor(baseUrl = `${location.origin}/`) {
    this.settings = ServerConnection.makeSettings({
      baseUrl,
      wsUrl: baseUrl.replace(/^http/, "ws"),
      token: "",
      appendToken: false,
      init: { credentials: "same-origin", cache: "no-store" },
    });
    this.contents = new ContentsManager({ serverSettings: this.settings });
    this.kernels = new KernelManager({ serverSettings: this.settings, standby: "when-hidden" });
    this.sessions = new SessionManager({ serverSettings: this.settings, kernelManager: this.kernels, standby: "when-hidden" });
    this.kernelSpecs = new KernelSpecManager({ serverSettings: this.settings, standby: "when-hidden" });
  }

  /** POST a JSON body to one of the server's own endpoints (export). */
  async postJson(path: string, body: unknown): Promise<Response> {
    return ServerConnection.makeRequest(`${this.settings.baseUrl}${path}`, { method: "POST", body: JSON.stringify(body) }, this.settings);
  }
}
