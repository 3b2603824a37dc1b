/**
 * A notebook -> a TypeScript module that does what the notebook does, run with `npx tsx`:
 * markdown becomes comments, code cells follow in order, each cell's last value is shown with
 * `display()` (which prints in a terminal), live displays are awaited, and names a later cell
 * declares again become reassignments (a module, unlike a notebook, cannot redeclare).
 */
import { createRequire } from "node:module";
import type TypeScript from "typescript";
import { topLevelNames } from "../evaluator/cell-type-checker.ts";
import { sourceText, type Notebook } from "./notebook-file.ts";

const ts = createRequire(import.meta.url)("typescript") as typeof TypeScript;

/** Globals the kernel provides to cells, and where a script gets them. */
const KERNEL_GLOBALS = ["display", "input"] as const;

interface Edit {
  start: number;
  end: number;
  text: string;
}

function applyEdits(text: string, edits: Edit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

/** Identifiers a cell uses (anywhere), to know whether it needs `display`, `input` or `require`. */
function usedIdentifiers(file: TypeScript.SourceFile): Set<string> {
  const used = new Set<string>();
  const visit = (node: TypeScript.Node) => {
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      const isPropertyName = parent && ts.isPropertyAccessExpression(parent) && parent.name === node;
      if (!isPropertyName) used.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return used;
}

function isCallTo(expression: TypeScript.Expression, names: RegExp): boolean {
  let target = expression;
  while (ts.isAwaitExpression(target) || ts.isParenthesizedExpression(target)) target = target.expression;
  if (!ts.isCallExpression(target)) return false;
  let callee: TypeScript.Expression = target.expression;
  while (ts.isPropertyAccessExpression(callee)) callee = callee.expression;
  return ts.isIdentifier(callee) && names.test(callee.text);
}

/** Whether showing the value of a cell's last expression makes sense (not a print, an assignment...). */
function showsValue(expression: TypeScript.Expression): boolean {
  if (isCallTo(expression, /^(console|display|input|process)$/)) return false;
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && expression.operatorToken.kind <= ts.SyntaxKind.LastAssignment)
    return false;
  if (ts.isVoidExpression(expression) || ts.isDeleteExpression(expression)) return false;
  if (ts.isPostfixUnaryExpression(expression) || (ts.isPrefixUnaryExpression(expression) && [ts.SyntaxKind.PlusPlusToken, ts.SyntaxKind.MinusMinusToken].includes(expression.operator)))
    return false;
  return true;
}

function comment(markdown: string): string {
  return markdown
    .trimEnd()
    .split("\n")
    .map((line) => (line ? `// ${line}` : "//"))
    .join("\n");
}

/** The TypeScript module for `notebook`; `name` (the notebook's file name) goes in the header. */
export function exportNotebook(notebook: Notebook, name: string): string {
  const declaredBefore = new Map<string, { part: number }>();
  const reassigned = new Set<string>();
  const importedBefore = new Set<string>();
  const parts: string[] = [];
  const needed = new Set<string>();
  let count = 0;

  for (const cell of notebook.cells) {
    const source = sourceText(cell.source);
    if (cell.cell_type === "markdown") {
      if (source.trim()) parts.push(comment(source));
      continue;
    }
    if (cell.cell_type !== "code" || !source.trim()) continue;
    if (cell.metadata.tags?.includes("injected-parameters")) continue;
    count++;
    const file = ts.createSourceFile(`cell-${count}.ts`, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const edits: Edit[] = [];
    const used = usedIdentifiers(file);
    const { names } = topLevelNames(file);
    const declaredHere = new Set(names.map((entry) => entry.name));
    for (const global of [...KERNEL_GLOBALS, "require"]) if (used.has(global) && !declaredBefore.has(global) && !declaredHere.has(global)) needed.add(global);

    const statements = file.statements;
    for (const [index, statement] of statements.entries()) {
      // A variable declared again in a later cell: there, it becomes an assignment.
      if (ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1) {
        const declaration = statement.declarationList.declarations[0]!;
        if (ts.isIdentifier(declaration.name) && declaredBefore.has(declaration.name.text)) {
          const start = statement.getStart(file);
          const end = declaration.initializer ? declaration.initializer.getStart(file) : declaration.getEnd();
          edits.push({ start, end, text: declaration.initializer ? `${declaration.name.text} = ` : `${declaration.name.text} = undefined` });
          reassigned.add(declaration.name.text);
        }
      }
      // The same import again: drop the names already imported.
      if (ts.isImportDeclaration(statement) && statement.importClause && !statement.importClause.isTypeOnly) {
        const clause = statement.importClause;
        const bindings = clause.namedBindings;
        const local = [clause.name?.text, bindings && ts.isNamespaceImport(bindings) ? bindings.name.text : undefined].filter(Boolean) as string[];
        if (bindings && ts.isNamedImports(bindings)) local.push(...bindings.elements.map((element) => element.name.text));
        if (local.length > 0 && local.every((name) => importedBefore.has(name))) edits.push({ start: statement.getStart(file), end: statement.getEnd(), text: "" });
        for (const name of local) importedBefore.add(name);
      }
      if (!ts.isExpressionStatement(statement)) continue;
      const expression = statement.expression;
      const isLast = index === statements.length - 1;
      if (isCallTo(expression, /^display$/) && !ts.isAwaitExpression(expression)) {
        // A live transcript must finish before the next cell, as it does in the kernel.
        edits.push({ start: expression.getStart(file), end: expression.getStart(file), text: "await " });
      } else if (isLast && showsValue(expression)) {
        edits.push({ start: expression.getStart(file), end: expression.getStart(file), text: "await display(" });
        edits.push({ start: expression.getEnd(), end: expression.getEnd(), text: ")" });
        if (!declaredBefore.has("display") && !declaredHere.has("display")) needed.add("display");
      }
    }
    parts.push(`// ---- cell ${count} ${"-".repeat(60)}\n${applyEdits(source, edits).trimEnd()}`);
    for (const entry of names) if (!declaredBefore.has(entry.name)) declaredBefore.set(entry.name, { part: parts.length - 1 });
  }

  // A name declared by several cells: its first declaration must be assignable.
  for (const name of reassigned) {
    const part = declaredBefore.get(name)!.part;
    parts[part] = parts[part]!.replace(new RegExp(`\\bconst(\\s+${name.replace(/\$/g, "\\$")}\\b)`), "let$1");
  }
  const body = parts.join("\n\n");

  const header = [`// ${name}, exported by agentbook. Run it with: npx tsx <this file>`];
  const globals = KERNEL_GLOBALS.filter((global) => needed.has(global));
  if (globals.length > 0) header.push(`import { ${globals.join(", ")} } from "agentbook";`);
  if (needed.has("require")) header.push(`import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);`);
  return `${header.join("\n")}\n\n${body}\n`;
}
