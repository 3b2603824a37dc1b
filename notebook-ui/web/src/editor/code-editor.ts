import { html, LitElement, nothing, type PropertyValues } from "lit";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import type * as Monaco from "monaco-editor";
import type { CellModel } from "../model/cell-model.ts";
import type { KernelSession } from "../services/kernel-session.ts";
import { attachKernel, registerKernelLanguageFeatures } from "./kernel-language-features.ts";
import { loadMonaco, MONACO_LOADED, monacoIfLoaded } from "./monaco-loader.ts";

/** Commands an editor sends up to the notebook (as "cell-command" events). */
export type EditorCommand = "run" | "run-and-advance" | "run-and-insert" | "command-mode" | "save" | "edit-previous" | "edit-next";

const LINE_HEIGHT = 20;
const PADDING = 8;

/** One observer for all editors: an editor is created when its cell comes near the screen. */
let observer: IntersectionObserver | undefined;
function nearScreen(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) if (entry.isIntersecting) void (entry.target as CodeEditor).ensureEditor();
    },
    { rootMargin: "400px 0px" },
  );
  return observer;
}

/**
 * The source of one cell. It shows the code as highlighted text at once and turns into a
 * Monaco editor when the cell nears the screen or is clicked, so a 200-cell notebook paints
 * immediately. Keys that belong to the notebook (Shift-Enter, Ctrl-Enter, Alt-Enter, Esc,
 * Ctrl-S, arrows at the edges) are sent up as "cell-command" events.
 *
 * Rendered in the light DOM: Monaco's styles live in the document.
 */
export class CodeEditor extends LitElement {
  static properties = { cell: { attribute: false }, language: { type: String } };
  declare cell: CellModel;
  /** typescript, markdown or plaintext. */
  declare language: string;
  /** The kernel that completes and inspects this code. */
  kernel: () => KernelSession | undefined = () => undefined;
  #editor: Monaco.editor.IStandaloneCodeEditor | undefined;
  #creating: Promise<Monaco.editor.IStandaloneCodeEditor> | undefined;
  #detachKernel: (() => void) | undefined;
  #resize: ResizeObserver | undefined;
  #colorizedFor: string | undefined;
  #colorizedHtml = "";
  #onSource = () => {
    const model = this.#editor?.getModel();
    if (model && model.getValue() !== this.cell.source) model.setValue(this.cell.source);
    if (!this.#editor) this.requestUpdate();
  };

  constructor() {
    super();
    this.language = "typescript";
  }

  createRenderRoot() {
    return this;
  }

  /** Whether Monaco is attached (for tests and benchmarks). */
  get hasEditor(): boolean {
    return this.#editor !== undefined;
  }

  #onMonacoLoaded = () => this.requestUpdate();

  connectedCallback(): void {
    super.connectedCallback();
    nearScreen().observe(this);
    if (!monacoIfLoaded()) window.addEventListener(MONACO_LOADED, this.#onMonacoLoaded, { once: true });
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    nearScreen().unobserve(this);
    window.removeEventListener(MONACO_LOADED, this.#onMonacoLoaded);
    this.cell?.removeEventListener("source", this.#onSource);
    this.#dispose();
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("cell")) {
      (changed.get("cell") as CellModel | undefined)?.removeEventListener("source", this.#onSource);
      this.cell.addEventListener("source", this.#onSource);
      if (changed.get("cell")) this.#dispose();
    }
    if (changed.has("language") && this.#editor) {
      const monaco = monacoIfLoaded();
      const model = this.#editor.getModel();
      if (monaco && model) monaco.editor.setModelLanguage(model, this.language);
      this.#editor.updateOptions({ wordWrap: this.language === "typescript" ? "off" : "on" });
    }
  }

  render() {
    const monaco = monacoIfLoaded();
    const source = this.cell.source;
    if (!this.#editor && monaco && this.language !== "plaintext" && this.#colorizedFor !== source) void this.#colorize(monaco, source);
    const lines = source.split("\n").length;
    return html`<div class="ab-editor-host" ?hidden=${!this.#editor}></div>${this.#editor
        ? nothing
        : html`<pre class="ab-code-static" style="height:${lines * LINE_HEIGHT + 2 * PADDING}px" @mousedown=${this.#activate}>${
            // colorize() escapes the text and wraps tokens in spans: nothing from outside becomes markup.
            this.#colorizedFor === source ? unsafeHTML(this.#colorizedHtml) : source
          }</pre>`}`;
  }

  async #colorize(monaco: typeof Monaco, source: string): Promise<void> {
    const colored = await monaco.editor.colorize(source, this.language, { tabSize: 2 });
    if (this.#editor || source !== this.cell.source) return;
    this.#colorizedFor = source;
    this.#colorizedHtml = colored;
    this.requestUpdate();
  }

  #activate = (event: MouseEvent) => {
    event.preventDefault();
    void this.ensureEditor().then((editor) => editor.focus());
  };

  /** Put the cursor in the editor (creating it if needed). */
  async focusEditor(where: "start" | "end" | "keep" = "keep"): Promise<void> {
    const editor = await this.ensureEditor();
    const model = editor.getModel();
    if (model && where === "start") editor.setPosition({ lineNumber: 1, column: 1 });
    if (model && where === "end") editor.setPosition(model.getFullModelRange().getEndPosition());
    editor.focus();
  }

  /** Whether the editor has keyboard focus. */
  hasFocus(): boolean {
    return this.#editor?.hasTextFocus() ?? false;
  }

  /** Leave the editor (command mode). */
  blurEditor(): void {
    if (this.#editor?.hasTextFocus()) (document.activeElement as HTMLElement | null)?.blur();
  }

  /** Create the Monaco editor for this cell (once). */
  ensureEditor(): Promise<Monaco.editor.IStandaloneCodeEditor> {
    if (this.#editor) return Promise.resolve(this.#editor);
    this.#creating ??= loadMonaco().then(async (monaco) => {
      await this.updateComplete;
      return this.#create(monaco);
    });
    return this.#creating;
  }

  #create(monaco: typeof Monaco): Monaco.editor.IStandaloneCodeEditor {
    if (this.#editor) return this.#editor;
    registerKernelLanguageFeatures(monaco);
    const uri = monaco.Uri.parse(`cell:/${this.cell.id}.${this.language === "markdown" ? "md" : "ts"}`);
    const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(this.cell.source, this.language, uri);
    if (model.getValue() !== this.cell.source) model.setValue(this.cell.source);
    const host = this.querySelector<HTMLElement>(".ab-editor-host")!;
    host.hidden = false;
    const editor = monaco.editor.create(host, {
      model,
      theme: "agentbook",
      automaticLayout: false,
      minimap: { enabled: false },
      lineNumbers: "off",
      glyphMargin: false,
      folding: false,
      lineDecorationsWidth: 12,
      lineNumbersMinChars: 0,
      scrollBeyondLastLine: false,
      scrollbar: { vertical: "hidden", horizontal: "auto", alwaysConsumeMouseWheel: false, horizontalScrollbarSize: 8 },
      overviewRulerLanes: 0,
      overviewRulerBorder: false,
      hideCursorInOverviewRuler: true,
      renderLineHighlight: "none",
      fontSize: 13,
      lineHeight: LINE_HEIGHT,
      fontFamily: "var(--ab-mono)",
      padding: { top: PADDING, bottom: PADDING },
      wordWrap: this.language === "typescript" ? "off" : "on",
      tabSize: 2,
      fixedOverflowWidgets: true,
      contextmenu: false,
      stickyScroll: { enabled: false },
      guides: { indentation: false },
      occurrencesHighlight: "off",
      selectionHighlight: false,
      quickSuggestions: false,
      suggestOnTriggerCharacters: true,
      ariaLabel: "cell source",
    });
    this.#editor = editor;
    this.#detachKernel = attachKernel(uri.toString(), () => this.kernel());
    const fit = () => {
      const height = Math.max(LINE_HEIGHT + 2 * PADDING, editor.getContentHeight());
      host.style.height = `${height}px`;
      editor.layout({ width: host.clientWidth, height });
    };
    editor.onDidContentSizeChange(fit);
    this.#resize = new ResizeObserver(() => editor.layout({ width: host.clientWidth, height: host.clientHeight }));
    this.#resize.observe(host);
    fit();
    this.requestUpdate();
    editor.onDidChangeModelContent(() => this.cell.setSource(model.getValue()));
    editor.onDidFocusEditorText(() => this.dispatchEvent(new CustomEvent("editor-focus", { bubbles: true, composed: true })));
    editor.onKeyDown((event) => this.#onKey(event, editor, monaco));
    return editor;
  }

  #send(command: EditorCommand): void {
    this.dispatchEvent(new CustomEvent<EditorCommand>("cell-command", { detail: command, bubbles: true, composed: true }));
  }

  #widgetOpen(): boolean {
    return this.querySelector(".suggest-widget.visible, .parameter-hints-widget.visible") !== null || document.querySelector(".monaco-editor-overlaymessage, .suggest-widget.visible") !== null;
  }

  #onKey(event: Monaco.IKeyboardEvent, editor: Monaco.editor.IStandaloneCodeEditor, monaco: typeof Monaco): void {
    const { KeyCode } = monaco;
    const ctrl = event.ctrlKey || event.metaKey;
    let command: EditorCommand | undefined;
    if (event.keyCode === KeyCode.Enter && event.shiftKey && !ctrl && !event.altKey) command = "run-and-advance";
    else if (event.keyCode === KeyCode.Enter && ctrl && !event.shiftKey) command = "run";
    else if (event.keyCode === KeyCode.Enter && event.altKey) command = "run-and-insert";
    else if (event.keyCode === KeyCode.KeyS && ctrl) command = "save";
    else if (event.keyCode === KeyCode.Escape && !this.#widgetOpen()) command = "command-mode";
    else if (!this.#widgetOpen() && !event.shiftKey && !ctrl && !event.altKey) {
      const position = editor.getPosition();
      const model = editor.getModel();
      if (position && model && event.keyCode === KeyCode.UpArrow && position.lineNumber === 1) command = "edit-previous";
      if (position && model && event.keyCode === KeyCode.DownArrow && position.lineNumber === model.getLineCount()) command = "edit-next";
    }
    if (!command) return;
    event.preventDefault();
    event.stopPropagation();
    if (command === "command-mode") this.blurEditor();
    this.#send(command);
  }

  #dispose(): void {
    this.#detachKernel?.();
    this.#resize?.disconnect();
    const model = this.#editor?.getModel();
    this.#editor?.dispose();
    model?.dispose();
    this.#editor = undefined;
    this.#creating = undefined;
    this.#colorizedFor = undefined;
  }
}
customElements.define("ab-code-editor", CodeEditor);
