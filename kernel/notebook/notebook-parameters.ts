/**
 * Parameters for a notebook run, the papermill way: values go into a new cell tagged
 * `injected-parameters`, right after the cell tagged `parameters` (or first, without one).
 */
import { UserError } from "../../library/errors.ts";
import { sourceText, type CodeCell, type Notebook } from "./notebook-file.ts";

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Parse `name=value`; the value is JSON when it parses as JSON, otherwise a string. */
export function parseParameter(text: string): [string, unknown] {
  const at = text.indexOf("=");
  if (at <= 0) throw new UserError(`-p expects name=value, got "${text}".`);
  const name = text.slice(0, at).trim();
  const raw = text.slice(at + 1);
  if (!IDENTIFIER.test(name)) throw new UserError(`-p ${name}: a parameter name must be a TypeScript identifier.`);
  try {
    return [name, JSON.parse(raw)];
  } catch {
    return [name, raw];
  }
}

/** Insert (or replace) the `injected-parameters` cell. Returns its index. */
export function injectParameters(notebook: Notebook, parameters: ReadonlyArray<[string, unknown]>): number {
  const tagged = (tag: string) => notebook.cells.findIndex((cell) => cell.metadata.tags?.includes(tag));
  const previous = tagged("injected-parameters");
  if (previous >= 0) notebook.cells.splice(previous, 1);
  const parametersAt = tagged("parameters");
  const declared = parametersAt >= 0 ? sourceText(notebook.cells[parametersAt]!.source) : "";
  const lines = parameters.map(([name, value]) => {
    // Keep the keyword the parameters cell used, so a `let` stays assignable.
    const keyword = new RegExp(`\\b(const|let|var)\\s+${name.replace(/\$/g, "\\$")}\\b`).exec(declared)?.[1] ?? "const";
    return `${keyword} ${name} = ${JSON.stringify(value)};`;
  });
  const cell: CodeCell = {
    cell_type: "code",
    id: `injected-parameters-${Date.now().toString(36)}`,
    source: `// Parameters\n${lines.join("\n")}`,
    metadata: { tags: ["injected-parameters"] },
    outputs: [],
    execution_count: null,
  };
  const at = parametersAt >= 0 ? parametersAt + 1 : 0;
  notebook.cells.splice(at, 0, cell);
  return at;
}
