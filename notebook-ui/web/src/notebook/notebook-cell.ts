import { html, LitElement, nothing, type PropertyValues } from "lit";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import "../editor/code-editor.ts";
import type { CodeEditor } from "../editor/code-editor.ts";
import type { CellModel } from "../model/cell-model.ts";
import "../outputs/input-prompt.ts";
import "../outputs/output-area.ts";
import type { OutputArea } from "../outputs/output-area.ts";
import { renderMarkdown } from "../renderers/markdown.ts";
import type { RendererRegistry } from "../renderers/registry.ts";
import type { KernelSession } from "../services/kernel-session.ts";

/**
 * One cell in the notebook: the prompt ([3], [*] running, [·] queued), the source (an editor,
 * or rendered markdown when not editing) and the outputs. Light DOM, styled by app.css.
 */
export class NotebookCell extends LitElement {
  static properties = {
    cell: { attribute: false },
    selected: { type: Boolean, reflect: true },
    editing: { type: Boolean, reflect: true },
    registry: { attribute: false },
  };
  declare cell: CellModel;
  /** The cell is the active one. */
  declare selected: boolean;
  /** A markdown cell shows its editor instead of the rendered text; a code cell has the keyboard. */
  declare editing: boolean;
  declare registry: RendererRegistry;
  /** The kernel of the notebook (for completions). */
  kernel: () => KernelSession | undefined = () => undefined;
  #onChange = () => this.requestUpdate();

  constructor() {
    super();
    this.selected = false;
    this.editing = false;
  }

  createRenderRoot() {
    return this;
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.cell?.removeEventListener("change", this.#onChange);
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.cell?.addEventListener("change", this.#onChange);
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("cell")) {
      (changed.get("cell") as CellModel | undefined)?.removeEventListener("change", this.#onChange);
      if (this.isConnected) this.cell.addEventListener("change", this.#onChange);
    }
  }

  /** The source editor, when one is shown. */
  get editor(): CodeEditor | null {
    return this.querySelector("ab-code-editor");
  }

  #prompt() {
    const cell = this.cell;
    if (cell.type !== "code") return html`<span class="ab-prompt"></span>`;
    if (cell.runState === "running") return html`<span class="ab-prompt running" title="running">[*]</span>`;
    if (cell.runState === "queued") return html`<span class="ab-prompt queued" title="queued">[·]</span>`;
    return html`<span class="ab-prompt">[${cell.executionCount ?? " "}]</span>`;
  }

  #source() {
    const cell = this.cell;
    if (cell.type === "markdown" && !this.editing) {
      const source = cell.source.trim();
      return html`<div class="ab-markdown rich" @dblclick=${() => this.dispatchEvent(new CustomEvent("cell-edit", { bubbles: true }))}>
        ${source ? unsafeHTML(renderMarkdown(cell.source)) : html`<p class="ab-placeholder">Empty markdown cell: double-click to edit.</p>`}
      </div>`;
    }
    const language = cell.type === "code" ? "typescript" : cell.type === "markdown" ? "markdown" : "plaintext";
    return html`<ab-code-editor .cell=${cell} .language=${language} .kernel=${this.kernel}></ab-code-editor>`;
  }

  render() {
    const cell = this.cell;
    return html`<div class="ab-cell-row" data-cell-type=${cell.type} data-run-state=${cell.runState}>
      <div class="ab-gutter">${this.#prompt()}</div>
      <div class="ab-cell-main">
        <div class="ab-source ${cell.type}">${this.#source()}</div>
        ${cell.type === "code" ? html`<ab-output-area class="ab-outputs" .registry=${this.registry}></ab-output-area>` : nothing}
        ${cell.inputRequest ? html`<ab-input-prompt .request=${cell.inputRequest}></ab-input-prompt>` : nothing}
      </div>
    </div>`;
  }

  protected updated(): void {
    const area = this.querySelector<OutputArea>("ab-output-area");
    if (area) area.sync(this.cell.outputs);
  }
}
customElements.define("ab-notebook-cell", NotebookCell);
