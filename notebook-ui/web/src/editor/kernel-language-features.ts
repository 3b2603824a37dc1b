import type * as Monaco from "monaco-editor";
import type { KernelSession } from "../services/kernel-session.ts";

type MonacoApi = typeof Monaco;

/** Which kernel serves the editor model with this URI. */
const kernels = new Map<string, () => KernelSession | undefined>();
let registered = false;

/** Route completions and hovers of the model `uri` to a kernel. Returns the function that undoes it. */
export function attachKernel(uri: string, kernel: () => KernelSession | undefined): () => void {
  kernels.set(uri, kernel);
  return () => kernels.delete(uri);
}

const KINDS: Record<string, keyof typeof Monaco.languages.CompletionItemKind> = {
  function: "Function",
  method: "Method",
  property: "Property",
  variable: "Variable",
  let: "Variable",
  const: "Constant",
  class: "Class",
  interface: "Interface",
  type: "TypeParameter",
  enum: "Enum",
  module: "Module",
  keyword: "Keyword",
  alias: "Reference",
};

/**
 * Register, once, the completion and hover providers for TypeScript cells: they ask the kernel
 * (complete_request, inspect_request) for the cell's own text.
 */
export function registerKernelLanguageFeatures(monaco: MonacoApi): void {
  if (registered) return;
  registered = true;
  for (const language of ["typescript", "javascript"]) {
    monaco.languages.registerCompletionItemProvider(language, {
      triggerCharacters: ["."],
      async provideCompletionItems(model, position) {
        const kernel = kernels.get(model.uri.toString())?.();
        if (!kernel) return { suggestions: [] };
        const code = model.getValue();
        const reply = await kernel.complete(code, model.getOffsetAt(position)).catch(() => null);
        if (!reply || reply.status !== "ok") return { suggestions: [] };
        const start = model.getPositionAt(reply.cursor_start);
        const end = model.getPositionAt(reply.cursor_end);
        const range = new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column);
        const types = new Map(
          ((reply.metadata?._jupyter_types_experimental as Array<{ text: string; type?: string; signature?: string }> | undefined) ?? []).map((item) => [item.text, item]),
        );
        return {
          suggestions: reply.matches.map((match, index) => {
            const info = types.get(match);
            const kind = monaco.languages.CompletionItemKind[KINDS[info?.type ?? ""] ?? "Text"];
            return { label: match, kind, insertText: match, range, detail: info?.signature, sortText: String(index).padStart(5, "0") };
          }),
        };
      },
    });
    monaco.languages.registerHoverProvider(language, {
      async provideHover(model, position) {
        const kernel = kernels.get(model.uri.toString())?.();
        if (!kernel) return null;
        const word = model.getWordAtPosition(position);
        if (!word) return null;
        const reply = await kernel.inspect(model.getValue(), model.getOffsetAt(position)).catch(() => null);
        if (!reply || reply.status !== "ok" || !reply.found) return null;
        const markdown = reply.data["text/markdown"];
        const plain = reply.data["text/plain"];
        const value = typeof markdown === "string" ? markdown : typeof plain === "string" ? `\`\`\`typescript\n${plain}\n\`\`\`` : null;
        if (!value) return null;
        return {
          range: new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn),
          contents: [{ value, supportHtml: false, isTrusted: false }],
        };
      },
    });
  }
}
