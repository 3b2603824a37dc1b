import { html, LitElement, nothing } from "lit";
import { repeat } from "lit/directives/repeat.js";
import { DASHBOARD_MIME, type DashboardPayload } from "../../../../library/display/payloads.ts";
import type { EditorCommand } from "../editor/code-editor.ts";
import { CellModel } from "../model/cell-model.ts";
import { NotebookModel, type NotebookJson } from "../model/notebook-model.ts";
import type { OutputModel } from "../model/output-model.ts";
import { OutputReducer, type DisplayEvent } from "../model/output-reducer.ts";
import type { RendererRegistry } from "../renderers/registry.ts";
import type { JupyterServices } from "../services/jupyter-services.ts";
import { KernelSession, type DisplayUpdateEvent } from "../services/kernel-session.ts";
import { icons } from "../ui/icons.ts";
import { CommandModeKeys, type NotebookCommand } from "./keyboard-shortcuts.ts";
import "./monitor-panel.ts";
import "./notebook-cell.ts";
import type { NotebookCell } from "./notebook-cell.ts";

/** Default pause between autosaves of a changed notebook (ms). */
export const AUTOSAVE_MS = 120_000;

type Mode = "command" | "edit";

/** The dashboard payload an output shows, if it is one. */
function dashboardOf(output: OutputModel): DashboardPayload | undefined {
  const json = output.json;
  if (json.output_type !== "display_data" && json.output_type !== "execute_result") return undefined;
  return json.data[DASHBOARD_MIME] as DashboardPayload | undefined;
}

function errorText(error: unknown): string {
  const message = (error as { message?: string }).message ?? String(error);
  return message.replace(/^Invalid response: \d+ [^:]*:?\s*/, "");
}

/**
 * A notebook: toolbar, cells, kernel status. Jupyter's two modes: in command mode keys act on
 * cells (A, B, D D, M, Y, X, C, V, Z, I I, 0 0, arrows), Enter edits; in edit mode the keys go to
 * the editor and Esc leaves it. Shift-Enter, Ctrl-Enter and Alt-Enter run in both.
 */
export class NotebookView extends LitElement {
  static properties = {
    path: { type: String },
    autosaveMs: { type: Number, attribute: "autosave-ms" },
    active: { state: true },
    mode: { state: true },
    loadError: { state: true },
    message: { state: true },
    saving: { state: true },
    monitorOpen: { type: Boolean, reflect: true, attribute: "monitor-open" },
    monitorPayload: { state: true },
  };
  declare path: string;
  /** Autosave period; 0 turns autosave off. */
  declare autosaveMs: number;
  declare active: number;
  declare mode: Mode;
  declare loadError: string;
  declare message: string;
  declare saving: boolean;
  /** The Monitor side panel is shown (reflected, so the page makes room for it). */
  declare monitorOpen: boolean;
  /** The dashboard the Monitor shows: the one last displayed or updated in any cell. */
  declare monitorPayload: DashboardPayload | undefined;
  /** Jupyter clients; set by the app. */
  services!: JupyterServices;
  /** Renderers for outputs; set by the app. */
  registry!: RendererRegistry;
  /** The notebook, once loaded. */
  model: NotebookModel | undefined;
  /** The kernel, once started. */
  kernel: KernelSession | undefined;
  #reducer = new OutputReducer();
  #keys = new CommandModeKeys();
  #clipboard: CellModel[] = [];
  #deleted: Array<{ index: number; cells: CellModel[] }> = [];
  #autosave: ReturnType<typeof setInterval> | undefined;
  #messageTimer: ReturnType<typeof setTimeout> | undefined;
  #loaded = false;
  /** The Monitor opened by itself for a live dashboard already; it does so once per page. */
  #monitorOpenedForLive = false;

  constructor() {
    super();
    this.path = "";
    this.autosaveMs = AUTOSAVE_MS;
    this.active = 0;
    this.mode = "command";
    this.loadError = "";
    this.message = "";
    this.saving = false;
    this.monitorOpen = false;
    this.monitorPayload = undefined;
    this.#reducer.addEventListener("display", (event) => this.#onDisplay(event as DisplayEvent));
  }

  createRenderRoot() {
    return this;
  }

  connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener("keydown", this.#onKeyDown);
    window.addEventListener("beforeunload", this.#onBeforeUnload);
    if (!this.#loaded) {
      this.#loaded = true;
      void this.#load();
    }
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener("keydown", this.#onKeyDown);
    window.removeEventListener("beforeunload", this.#onBeforeUnload);
    clearInterval(this.#autosave);
    this.kernel?.dispose();
  }

  #onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (this.model?.dirty) event.preventDefault();
  };

  async #load(): Promise<void> {
    try {
      const file = await this.services.contents.get(this.path, { type: "notebook", content: true });
      this.model = NotebookModel.fromJSON(file.content as NotebookJson);
    } catch (error) {
      this.loadError = errorText(error);
      return;
    }
    const model = this.model;
    if (model.cells.length === 0) model.insert(0, "code");
    model.dirty = false;
    // A saved dashboard is there to look at, but only a live one opens the Monitor.
    this.monitorPayload = model.cells.flatMap((cell) => cell.outputs.map(dashboardOf)).filter((payload) => payload !== undefined).at(-1);
    model.addEventListener("cells", () => this.requestUpdate());
    model.addEventListener("dirty", () => {
      this.requestUpdate();
      this.#updateTitle();
    });
    this.#updateTitle();
    this.requestUpdate();
    if (this.autosaveMs > 0) this.#autosave = setInterval(() => void (this.model?.dirty && this.save({ checkpoint: false })), this.autosaveMs);
    const kernelName = (model.metadata.kernelspec as { name?: string } | undefined)?.name;
    try {
      this.kernel = await KernelSession.open(this.services, this.path, kernelName);
      this.kernel.addEventListener("status", () => this.requestUpdate());
      this.kernel.addEventListener("display-update", (event) => this.#reducer.update((event as DisplayUpdateEvent).message as never));
      this.requestUpdate();
    } catch (error) {
      this.#flash(`No kernel: ${errorText(error)}`);
    }
  }

  #updateTitle(): void {
    const name = this.path.split("/").pop() ?? this.path;
    document.title = `${this.model?.dirty ? "● " : ""}${name} · agentbook`;
  }

  #flash(message: string, ms = 4000): void {
    this.message = message;
    clearTimeout(this.#messageTimer);
    if (ms > 0) this.#messageTimer = setTimeout(() => (this.message = ""), ms);
  }

  #onDisplay(event: DisplayEvent): void {
    const payload = dashboardOf(event.output);
    if (!payload) return;
    this.monitorPayload = payload;
    if (payload.status === "live" && !this.#monitorOpenedForLive) {
      this.#monitorOpenedForLive = true;
      this.monitorOpen = true;
    }
  }

  // ---- cells and selection ----------------------------------------------------------------

  #cellElement(index: number): NotebookCell | null {
    return this.querySelector<NotebookCell>(`ab-notebook-cell[data-index="${index}"]`);
  }

  #select(index: number, scroll = true): void {
    const count = this.model?.cells.length ?? 0;
    this.active = Math.max(0, Math.min(index, count - 1));
    if (scroll) void this.updateComplete.then(() => this.#cellElement(this.active)?.scrollIntoView({ block: "nearest" }));
  }

  async #edit(index = this.active, where: "start" | "end" | "keep" = "keep"): Promise<void> {
    const cell = this.model?.cells[index];
    if (!cell) return;
    this.#select(index);
    this.mode = "edit";
    await this.updateComplete;
    const element = this.#cellElement(index);
    await element?.updateComplete;
    await element?.editor?.focusEditor(where);
  }

  #commandMode(): void {
    this.mode = "command";
    const element = this.#cellElement(this.active);
    element?.editor?.blurEditor();
    this.querySelector<HTMLElement>(".ab-cells")?.focus({ preventScroll: true });
  }

  // ---- running ----------------------------------------------------------------------------

  /** Run one cell: markdown renders, code goes to the kernel (queued behind running cells). */
  async runCell(cell: CellModel): Promise<void> {
    if (cell.type !== "code") return;
    if (!cell.source.trim()) {
      cell.clearOutputs();
      return;
    }
    const kernel = this.kernel;
    if (!kernel) {
      this.#flash("The kernel is not ready yet.");
      return;
    }
    if (kernel.status === "dead") {
      this.#flash("The kernel is dead: restart it to run cells.");
      return;
    }
    cell.outputs = [];
    cell.clearOnNextOutput = false;
    cell.inputRequest = null;
    cell.runState = "queued";
    cell.changed();
    const outcome = await kernel.execute(cell.source, {
      onStart: () => {
        cell.runState = "running";
        cell.changed();
      },
      onIopub: (message) => this.#reducer.apply(cell, message as never),
      onInput: (prompt, password, answer) => {
        cell.inputRequest = {
          prompt,
          password,
          submit: (value) => {
            cell.inputRequest = null;
            this.#reducer.addLocal(cell, { output_type: "stream", name: "stdout", text: `${prompt}${password ? "········" : value}\n` });
            answer(value);
            cell.changed();
          },
        };
        cell.changed();
      },
    });
    cell.runState = "idle";
    cell.inputRequest = null;
    if (outcome.executionCount !== null && outcome.status !== "aborted") cell.executionCount = outcome.executionCount;
    cell.changed();
  }

  #run(indexes: number[]): void {
    const model = this.model;
    if (!model) return;
    for (const index of indexes) {
      const cell = model.cells[index];
      if (cell) void this.runCell(cell);
    }
  }

  #renderMarkdown(index: number): void {
    const element = this.#cellElement(index);
    if (element) element.editing = false;
  }

  // ---- commands ---------------------------------------------------------------------------

  /** Carry out a notebook command (from the keyboard, the toolbar or an editor). */
  async command(command: NotebookCommand): Promise<void> {
    const model = this.model;
    if (!model) return;
    const index = this.active;
    const cell = model.cells[index];
    switch (command) {
      case "run":
      case "run-and-advance":
      case "run-and-insert": {
        if (cell?.type === "markdown") this.#renderMarkdown(index);
        if (cell) this.#run([index]);
        if (command === "run") {
          if (cell?.type !== "code") this.#commandMode();
          return;
        }
        const wasEditing = this.mode === "edit";
        if (command === "run-and-insert" || index === model.cells.length - 1) {
          model.insert(index + 1, "code");
          this.#select(index + 1);
          await this.#edit(index + 1);
          return;
        }
        this.#select(index + 1);
        if (wasEditing) this.#commandMode();
        return;
      }
      case "run-all":
        model.cells.forEach((_, i) => model.cells[i]!.type === "markdown" && this.#renderMarkdown(i));
        return this.#run(model.cells.map((_, i) => i));
      case "run-above":
        return this.#run(model.cells.map((_, i) => i).filter((i) => i < index));
      case "run-below":
        return this.#run(model.cells.map((_, i) => i).filter((i) => i >= index));
      case "edit":
        return this.#edit(index, "keep");
      case "command-mode":
        if (cell?.type === "markdown") this.#renderMarkdown(index);
        return this.#commandMode();
      case "select-previous":
        return this.#select(index - 1);
      case "select-next":
        return this.#select(index + 1);
      case "insert-above":
        model.insert(index, "code");
        return this.#select(index);
      case "insert-below":
        model.insert(index + 1, "code");
        return this.#select(index + 1);
      case "delete":
      case "cut": {
        const removed = model.remove([index]);
        if (command === "cut") this.#clipboard = removed.map((c) => c.clone());
        this.#deleted.push({ index, cells: removed });
        if (model.cells.length === 0) model.insert(0, "code");
        return this.#select(Math.min(index, model.cells.length - 1));
      }
      case "undo-delete": {
        const last = this.#deleted.pop();
        if (!last) return;
        last.cells.forEach((c, offset) => model.insert(last.index + offset, c));
        return this.#select(last.index);
      }
      case "copy":
        this.#clipboard = cell ? [cell.clone()] : [];
        return this.#flash("Cell copied.", 1500);
      case "paste-below":
      case "paste-above": {
        if (this.#clipboard.length === 0) return;
        const at = command === "paste-below" ? index + 1 : index;
        this.#clipboard.forEach((c, offset) => model.insert(at + offset, c.clone()));
        return this.#select(at + this.#clipboard.length - 1);
      }
      case "move-up":
        if (index > 0) {
          model.move(index, index - 1);
          this.#select(index - 1);
        }
        return;
      case "move-down":
        if (index < model.cells.length - 1) {
          model.move(index, index + 1);
          this.#select(index + 1);
        }
        return;
      case "to-code":
      case "to-markdown":
      case "to-raw":
        cell?.setType(command === "to-code" ? "code" : command === "to-markdown" ? "markdown" : "raw");
        return;
      case "toggle-output":
        if (cell) {
          const collapsed = Boolean((cell.metadata.jupyter as { outputs_hidden?: boolean } | undefined)?.outputs_hidden);
          cell.metadata = { ...cell.metadata, jupyter: { ...(cell.metadata.jupyter as object), outputs_hidden: !collapsed } };
          cell.changed();
        }
        return;
      case "clear-output":
        cell?.clearOutputs();
        return;
      case "interrupt":
        await this.kernel?.interrupt().catch((error) => this.#flash(`Interrupt failed: ${errorText(error)}`));
        return;
      case "restart":
        return this.restartKernel();
      case "save":
        return this.save({ checkpoint: true });
      case "export":
        return this.exportScript();
    }
  }

  /** Restart the kernel (also after it died). */
  async restartKernel(): Promise<void> {
    if (!this.kernel) return;
    try {
      await this.kernel.restart();
      this.#reducer.reset();
      for (const cell of this.model?.cells ?? []) {
        if (cell.runState !== "idle" || cell.inputRequest) {
          cell.runState = "idle";
          cell.inputRequest = null;
          cell.changed();
        }
      }
      this.#flash("Kernel restarted.", 2000);
    } catch (error) {
      this.#flash(`Restart failed: ${errorText(error)}`, 8000);
    }
  }

  /** Save the notebook (atomically, on the server); a manual save also updates the checkpoint. */
  async save(options: { checkpoint: boolean } = { checkpoint: true }): Promise<void> {
    const model = this.model;
    if (!model || this.saving) return;
    this.saving = true;
    try {
      await this.services.contents.save(this.path, { type: "notebook", format: "json", content: model.toJSON() });
      model.dirty = false;
      if (options.checkpoint) await this.services.contents.createCheckpoint(this.path);
      this.#flash(options.checkpoint ? "Saved." : "Autosaved.", 1500);
    } catch (error) {
      this.#flash(`Save failed: ${errorText(error)}`, 10_000);
    } finally {
      this.saving = false;
    }
  }

  /** Turn the notebook into a TypeScript script (the CLI's export) and download it. */
  async exportScript(): Promise<void> {
    const model = this.model;
    if (!model) return;
    try {
      const response = await this.services.postJson("agentbook/export", { path: this.path, notebook: model.toJSON() });
      const body = (await response.json()) as { script?: string; message?: string };
      if (!response.ok || typeof body.script !== "string") throw new Error(body.message ?? `export failed (${response.status})`);
      const name = (this.path.split("/").pop() ?? "notebook").replace(/\.ipynb$/, "") + ".ts";
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([body.script], { type: "text/typescript" }));
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (error) {
      this.#flash(`Export failed: ${errorText(error)}`, 8000);
    }
  }

  // ---- keyboard ---------------------------------------------------------------------------

  #onKeyDown = (event: KeyboardEvent) => {
    if (!this.model || event.defaultPrevented) return;
    const target = event.composedPath()[0] as HTMLElement | undefined;
    const inEditor = target?.closest?.(".monaco-editor") != null;
    const inField = !inEditor && target != null && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable);
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      void this.command("save");
      return;
    }
    if (inEditor || inField) return;
    const command = this.#keys.resolve(event);
    if (!command) return;
    event.preventDefault();
    void this.command(command);
  };

  #onEditorCommand = (event: CustomEvent<EditorCommand>) => {
    const element = (event.target as HTMLElement).closest<NotebookCell>("ab-notebook-cell");
    if (element) this.active = Number(element.dataset.index);
    const command = event.detail;
    if (command === "edit-previous") {
      if (this.active > 0) void this.#edit(this.active - 1, "end");
      return;
    }
    if (command === "edit-next") {
      if (this.model && this.active < this.model.cells.length - 1) void this.#edit(this.active + 1, "start");
      return;
    }
    void this.command(command);
  };

  #onEditorFocus = (event: Event) => {
    const element = (event.target as HTMLElement).closest<NotebookCell>("ab-notebook-cell");
    if (!element) return;
    this.active = Number(element.dataset.index);
    this.mode = "edit";
  };

  #onCellClick = (event: MouseEvent) => {
    const element = (event.target as HTMLElement).closest<NotebookCell>("ab-notebook-cell");
    if (!element) return;
    const index = Number(element.dataset.index);
    if (index !== this.active) this.#select(index, false);
    const inEditor = (event.target as HTMLElement).closest(".ab-source") !== null && this.model?.cells[index]?.type !== "markdown";
    if (!inEditor && this.mode === "edit" && !(event.target as HTMLElement).closest("ab-input-prompt")) this.#commandMode();
  };

  // ---- rendering --------------------------------------------------------------------------

  #kernelStatus() {
    const kernel = this.kernel;
    const status = kernel?.status ?? "starting";
    return html`<div class="ab-kernel-status ${status}" title=${kernel?.deathReason || `kernel ${status}`}>
      <span class="ab-dot"></span><span class="ab-kernel-name">${kernel?.displayName || "kernel"}</span><span class="ab-kernel-state">${status}</span>
    </div>`;
  }

  #toolbar() {
    const cell = this.model?.cells[this.active];
    const button = (label: string, command: NotebookCommand, icon: unknown, extra = "") =>
      html`<button class="ab-tool ${extra}" title=${label} aria-label=${label} data-command=${command} @click=${() => void this.command(command)}>${icon}</button>`;
    return html`<div class="ab-toolbar" role="toolbar">
      ${button("Save (Ctrl-S)", "save", icons.save)}
      <span class="ab-sep"></span>
      ${button("Insert cell below (B)", "insert-below", icons.add)} ${button("Cut cell (X)", "cut", icons.cut)} ${button("Copy cell (C)", "copy", icons.copy)}
      ${button("Paste cell below (V)", "paste-below", icons.paste)} ${button("Move cell up", "move-up", icons.up)} ${button("Move cell down", "move-down", icons.down)}
      <span class="ab-sep"></span>
      ${button("Run cell and advance (Shift-Enter)", "run-and-advance", icons.run)} ${button("Run all cells", "run-all", icons.runAll)}
      <select
        class="ab-run-menu"
        aria-label="Run"
        @change=${(event: Event) => {
          const select = event.target as HTMLSelectElement;
          if (select.value) void this.command(select.value as NotebookCommand);
          select.value = "";
        }}
      >
        <option value="">Run…</option>
        <option value="run">Run cell (Ctrl-Enter)</option>
        <option value="run-above">Run cells above</option>
        <option value="run-below">Run this cell and below</option>
        <option value="run-all">Run all</option>
        <option value="clear-output">Clear cell output</option>
      </select>
      ${button("Interrupt kernel (I, I)", "interrupt", icons.stop)} ${button("Restart kernel (0, 0)", "restart", icons.restart)}
      <span class="ab-sep"></span>
      <select
        class="ab-cell-type"
        aria-label="Cell type"
        .value=${cell?.type ?? "code"}
        @change=${(event: Event) => void this.command(`to-${(event.target as HTMLSelectElement).value}` as NotebookCommand)}
      >
        <option value="code">Code</option>
        <option value="markdown">Markdown</option>
        <option value="raw">Raw</option>
      </select>
      <span class="ab-spacer"></span>
      <button
        class="ab-tool ab-monitor-toggle ${this.monitorOpen ? "on" : ""}"
        title="Monitor: follow the latest session dashboard beside the notebook"
        aria-label="Monitor"
        aria-pressed=${this.monitorOpen ? "true" : "false"}
        @click=${() => (this.monitorOpen = !this.monitorOpen)}
      >
        ${icons.monitor}<span>Monitor</span>
      </button>
      <button class="ab-tool ab-export" title="Export to script (.ts)" aria-label="Export .ts" data-command="export" @click=${() => void this.command("export")}>${icons.export}<span>Export .ts</span></button>
      ${this.#kernelStatus()}
    </div>`;
  }

  render() {
    if (this.loadError) {
      return html`<div class="ab-page-message error" role="alert"><h2>Could not open ${this.path}</h2><p>${this.loadError}</p><a href="/tree">Back to files</a></div>`;
    }
    const model = this.model;
    if (!model) return html`<div class="ab-page-message">Opening ${this.path}…</div>`;
    const name = this.path.split("/").pop() ?? this.path;
    const kernel = this.kernel;
    return html`<div class="ab-notebook ${this.mode}-mode">
      <div class="ab-notebook-header">
        <h1 class="ab-notebook-title">${name.replace(/\.ipynb$/, "")}<span class="ab-dirty" ?hidden=${!model.dirty} title="unsaved changes">●</span></h1>
        <span class="ab-save-state">${this.saving ? "Saving…" : model.dirty ? "Unsaved changes" : "All changes saved"}</span>
      </div>
      ${this.#toolbar()}
      ${kernel?.status === "dead"
        ? html`<div class="ab-banner error" role="alert">
            <strong>The kernel died.</strong> ${kernel.deathReason ? html`<span class="ab-reason">${kernel.deathReason.split("\n")[0]}</span>` : nothing}
            <button @click=${() => void this.restartKernel()}>Restart kernel</button>
          </div>`
        : nothing}
      <div class="ab-cells" tabindex="-1" @cell-command=${this.#onEditorCommand} @editor-focus=${this.#onEditorFocus} @click=${this.#onCellClick} @cell-edit=${() => void this.#edit()}>
        ${repeat(
          model.cells,
          (cell) => cell.id,
          (cell, index) =>
            html`<ab-notebook-cell
              data-index=${index}
              class=${(cell.metadata.jupyter as { outputs_hidden?: boolean } | undefined)?.outputs_hidden ? "outputs-hidden" : ""}
              .cell=${cell}
              .registry=${this.registry}
              .kernel=${() => this.kernel}
              ?selected=${index === this.active}
              ?editing=${index === this.active && this.mode === "edit"}
            ></ab-notebook-cell>`,
        )}
        <button class="ab-add-cell" @click=${() => {
          model.insert(model.cells.length, "code");
          void this.#edit(model.cells.length - 1);
        }}>${icons.add} Add cell</button>
      </div>
      ${this.monitorOpen ? html`<ab-monitor-panel .payload=${this.monitorPayload} @monitor-close=${() => (this.monitorOpen = false)}></ab-monitor-panel>` : nothing}
      ${this.message ? html`<div class="ab-toast" role="status">${this.message}</div>` : nothing}
    </div>`;
  }
}
customElements.define("ab-notebook", NotebookView);
