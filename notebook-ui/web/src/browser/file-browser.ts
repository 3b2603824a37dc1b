import { html, LitElement, nothing } from "lit";
import type { Contents } from "@jupyterlab/services";
import type { JupyterServices } from "../services/jupyter-services.ts";
import { icons } from "../ui/icons.ts";

function ago(iso: string): string {
  const seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

function size(bytes: number | undefined): string {
  if (bytes === undefined || bytes === null) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** The files of one folder under the notebook root: open, create, rename, delete. */
export class FileBrowser extends LitElement {
  static properties = { path: { type: String }, entries: { state: true }, error: { state: true } };
  declare path: string;
  declare entries: Contents.IModel[] | undefined;
  declare error: string;
  services!: JupyterServices;

  constructor() {
    super();
    this.path = "";
    this.error = "";
  }

  createRenderRoot() {
    return this;
  }

  connectedCallback(): void {
    super.connectedCallback();
    document.title = `${this.path || "Files"} · agentbook`;
    void this.refresh();
  }

  /** Load the listing again. */
  async refresh(): Promise<void> {
    try {
      const listing = await this.services.contents.get(this.path, { content: true });
      const order = (model: Contents.IModel) => (model.type === "directory" ? 0 : model.type === "notebook" ? 1 : 2);
      this.entries = (listing.content as Contents.IModel[]).slice().sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name));
      this.error = "";
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  #navigate(url: string): void {
    this.dispatchEvent(new CustomEvent("navigate", { detail: url, bubbles: true, composed: true }));
  }

  #open(entry: Contents.IModel): void {
    if (entry.type === "directory") this.#navigate(`/tree/${encodePath(entry.path)}`);
    else if (entry.type === "notebook") this.#navigate(`/notebooks/${encodePath(entry.path)}`);
  }

  async #newNotebook(): Promise<void> {
    const model = await this.services.contents.newUntitled({ path: this.path, type: "notebook" });
    this.#navigate(`/notebooks/${encodePath(model.path)}`);
  }

  async #newFolder(): Promise<void> {
    await this.services.contents.newUntitled({ path: this.path, type: "directory" });
    await this.refresh();
  }

  async #rename(entry: Contents.IModel): Promise<void> {
    const name = prompt(`Rename ${entry.name} to:`, entry.name);
    if (!name || name === entry.name) return;
    const dir = entry.path.includes("/") ? entry.path.slice(0, entry.path.lastIndexOf("/") + 1) : "";
    try {
      await this.services.contents.rename(entry.path, dir + name);
    } catch (error) {
      alert((error as Error).message);
    }
    await this.refresh();
  }

  async #delete(entry: Contents.IModel): Promise<void> {
    if (!confirm(`Delete ${entry.name}? This cannot be undone.`)) return;
    try {
      await this.services.contents.delete(entry.path);
    } catch (error) {
      alert((error as Error).message);
    }
    await this.refresh();
  }

  render() {
    const crumbs = this.path ? this.path.split("/") : [];
    return html`<div class="ab-files">
      <div class="ab-files-header">
        <nav class="ab-crumbs" aria-label="folder">
          <a href="/tree" @click=${(event: Event) => (event.preventDefault(), this.#navigate("/tree"))}>Notebooks</a>
          ${crumbs.map((crumb, index) => {
            const target = `/tree/${encodePath(crumbs.slice(0, index + 1).join("/"))}`;
            return html`<span class="ab-crumb-sep">/</span><a href=${target} @click=${(event: Event) => (event.preventDefault(), this.#navigate(target))}>${crumb}</a>`;
          })}
        </nav>
        <span class="ab-spacer"></span>
        <button class="ab-button" @click=${() => void this.#newFolder()}>${icons.newFolder} New folder</button>
        <button class="ab-button primary" @click=${() => void this.#newNotebook()}>${icons.add} New notebook</button>
      </div>
      ${this.error ? html`<div class="ab-banner error" role="alert">${this.error}</div>` : nothing}
      ${this.entries === undefined
        ? html`<div class="ab-page-message">Loading…</div>`
        : this.entries.length === 0
          ? html`<div class="ab-page-message">This folder is empty. Create a notebook to begin.</div>`
          : html`<ul class="ab-file-list" role="list">
              ${this.entries.map(
                (entry) => html`<li class="ab-file ${entry.type}" data-path=${entry.path}>
                  <a
                    class="ab-file-name"
                    href=${entry.type === "directory" ? `/tree/${encodePath(entry.path)}` : entry.type === "notebook" ? `/notebooks/${encodePath(entry.path)}` : "#"}
                    @click=${(event: Event) => {
                      event.preventDefault();
                      this.#open(entry);
                    }}
                    >${entry.type === "directory" ? icons.folder : entry.type === "notebook" ? icons.notebook : icons.file}<span>${entry.name}</span></a
                  >
                  <span class="ab-file-meta">${entry.type === "directory" ? "" : size(entry.size)}</span>
                  <span class="ab-file-meta">${ago(entry.last_modified)}</span>
                  <span class="ab-file-actions">
                    <button class="ab-icon-button" title="Rename" aria-label="Rename ${entry.name}" @click=${() => void this.#rename(entry)}>${icons.rename}</button>
                    <button class="ab-icon-button" title="Delete" aria-label="Delete ${entry.name}" @click=${() => void this.#delete(entry)}>${icons.trash}</button>
                  </span>
                </li>`,
              )}
            </ul>`}
    </div>`;
  }
}
customElements.define("ab-file-browser", FileBrowser);
