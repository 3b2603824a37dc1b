import { html, LitElement } from "lit";
import { keyed } from "lit/directives/keyed.js";
import "../browser/file-browser.ts";
import "../notebook/notebook-view.ts";
import { defaultRegistry } from "../renderers/default-registry.ts";
import type { RendererRegistry } from "../renderers/registry.ts";
import { JupyterServices } from "../services/jupyter-services.ts";

type Route = { view: "files"; path: string } | { view: "notebook"; path: string };

function decodePath(path: string): string {
  return path
    .split("/")
    .filter(Boolean)
    .map((segment) => decodeURIComponent(segment))
    .join("/");
}

/** Which view the address shows: /tree/<folder> or /notebooks/<path>. */
export function routeOf(pathname: string): Route {
  const notebook = /^\/notebooks\/(.+)$/.exec(pathname);
  if (notebook) return { view: "notebook", path: decodePath(notebook[1]!) };
  const tree = /^\/tree\/?(.*)$/.exec(pathname);
  return { view: "files", path: tree ? decodePath(tree[1]!) : "" };
}

/** The whole page: a top bar, then the file browser or a notebook, by address. */
export class AgentbookApp extends LitElement {
  static properties = { route: { state: true } };
  declare route: Route;
  /** Jupyter clients for this page's server. */
  services = new JupyterServices();
  /** Output renderers. */
  registry: RendererRegistry = defaultRegistry;

  constructor() {
    super();
    this.route = routeOf(location.pathname);
  }

  createRenderRoot() {
    return this;
  }

  connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("popstate", this.#onPopState);
    this.addEventListener("navigate", this.#onNavigate as EventListener);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("popstate", this.#onPopState);
  }

  #onPopState = () => {
    this.route = routeOf(location.pathname);
  };

  #onNavigate = (event: CustomEvent<string>) => {
    history.pushState(null, "", event.detail);
    this.route = routeOf(location.pathname);
  };

  render() {
    const route = this.route;
    const folder = route.view === "notebook" ? route.path.split("/").slice(0, -1).join("/") : route.path;
    return html`<header class="ab-topbar">
        <a class="ab-brand" href="/tree" @click=${(event: Event) => (event.preventDefault(), this.dispatchEvent(new CustomEvent("navigate", { detail: "/tree" })))}>
          <span class="ab-logo" aria-hidden="true"></span>agentbook
        </a>
        ${route.view === "notebook"
          ? html`<a
              class="ab-topbar-link"
              href="/tree/${folder}"
              @click=${(event: Event) => (event.preventDefault(), this.dispatchEvent(new CustomEvent("navigate", { detail: folder ? `/tree/${folder}` : "/tree" })))}
              >${folder || "Notebooks"}</a
            >`
          : ""}
      </header>
      <main class="ab-main">
        ${keyed(`${route.view}:${route.path}`, route.view === "notebook"
          ? html`<ab-notebook .services=${this.services} .registry=${this.registry} .path=${route.path} autosave-ms=${this.#autosave()}></ab-notebook>`
          : html`<ab-file-browser .services=${this.services} .path=${route.path}></ab-file-browser>`)}
      </main>`;
  }

  #autosave(): number {
    const seconds = Number(new URLSearchParams(location.search).get("autosave"));
    return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 120_000;
  }
}
customElements.define("agentbook-app", AgentbookApp);
