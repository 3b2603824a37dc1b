/**
 * The Monaco bundle (built separately as /static/monaco.js with its CSS in /static/monaco.css):
 * the editor core with the contributions a notebook cell uses, and TypeScript and Markdown
 * highlighting. Completions and hovers come from the kernel, not from Monaco's TypeScript worker.
 */
import "monaco-editor/esm/vs/editor/editor.all.js";
import "monaco-editor/esm/vs/basic-languages/typescript/typescript.contribution.js";
import "monaco-editor/esm/vs/basic-languages/javascript/javascript.contribution.js";
import "monaco-editor/esm/vs/basic-languages/markdown/markdown.contribution.js";
import * as monaco from "monaco-editor/esm/vs/editor/editor.api.js";

(self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker: () => new Worker("/static/editor.worker.js", { name: "monaco-editor" }),
};

monaco.editor.defineTheme("agentbook", {
  base: "vs",
  inherit: true,
  rules: [
    { token: "comment", foreground: "6a737d", fontStyle: "italic" },
    { token: "keyword", foreground: "7c3aed" },
    { token: "string", foreground: "0a7f58" },
    { token: "number", foreground: "0969da" },
    { token: "type.identifier", foreground: "b45309" },
  ],
  colors: {
    "editor.background": "#f8f9fb",
    "editor.lineHighlightBackground": "#f8f9fb",
    "editor.lineHighlightBorder": "#00000000",
    "editorLineNumber.foreground": "#b4bac4",
    "editorCursor.foreground": "#4f46e5",
    "editor.selectionBackground": "#c7d2fe",
    "editor.inactiveSelectionBackground": "#e0e7ff",
    "editorIndentGuide.background1": "#eceef2",
    "focusBorder": "#00000000",
  },
});
monaco.editor.setTheme("agentbook");

export { monaco };
