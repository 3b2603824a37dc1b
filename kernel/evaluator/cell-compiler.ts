/**
 * Source of a cell -> a runnable cell, or the errors that keep it from running. Also the
 * editor services that only need the cells' text: completion, hover and is-complete.
 */
import ts from "typescript";
import type { CompleteReply, ErrorContent, InspectReply, IsCompleteReply } from "../protocol/messages.ts";
import type { CompiledCell } from "./cell-runner.ts";
import { syntaxErrors, transformCell, wrapObjectLiteral } from "./cell-transform.ts";
import { CellTypeChecker } from "./cell-type-checker.ts";
import { formatCellProblems } from "./traceback.ts";

/** What to compile. */
export interface CompileRequest {
  /** Internal id (unique per kernel). */
  id: number;
  /** "In[3]". */
  label: string;
  source: string;
  /** Strict mode: a type error stops the cell before it runs. */
  strict: boolean;
}

/** The compiled cell; `typeError` carries type errors that did not stop it (non-strict mode). */
export type CompileResult = { status: "ok"; cell: CompiledCell; typeError?: ErrorContent } | { status: "error"; error: ErrorContent };

/** Compiles cells and keeps their types. One per kernel. */
export class CellCompiler {
  readonly #checker: CellTypeChecker;

  constructor(cwd: string) {
    this.#checker = new CellTypeChecker(cwd);
  }

  /** Load the TypeScript libraries ahead of the first cell. */
  warmUp(): void {
    this.#checker.warmUp();
  }

  compile(request: CompileRequest): CompileResult {
    const source = wrapObjectLiteral(request.source);
    // Positions in a wrapped `({ ... }\n)` are one character later than in what the user wrote.
    const shift = source === request.source ? 0 : 1;
    const record = { label: request.label, source: request.source };
    const syntax = syntaxErrors(source);
    if (syntax.length > 0)
      return {
        status: "error",
        error: formatCellProblems("SyntaxError", syntax.map((problem) => ({ ...problem, start: Math.max(0, problem.start - shift), length: 1 })), record),
      };
    const diagnostics = this.#checker.checkAndRecord(source, { onlyIfClean: request.strict }).filter((diagnostic) => diagnostic.category === "error");
    const typeError =
      diagnostics.length > 0
        ? formatCellProblems("TypeScriptError", diagnostics.map((problem) => ({ ...problem, start: Math.max(0, problem.start - shift) })), record)
        : undefined;
    if (typeError && request.strict) {
      typeError.traceback.push("Strict mode is on: the cell did not run. Fix the type errors, or start the kernel without AGENTBOOK_STRICT.");
      return { status: "error", error: typeError };
    }
    const transformed = transformCell(source, `${request.label}.ts`);
    const cell: CompiledCell = {
      id: request.id,
      label: request.label,
      source: request.source,
      code: transformed.code,
      sourceMap: transformed.sourceMap,
      hasResult: transformed.hasResult,
    };
    return typeError ? { status: "ok", cell, typeError } : { status: "ok", cell };
  }

  complete(code: string, cursor: number): CompleteReply {
    const completions = this.#checker.completions(code, cursor);
    return {
      status: "ok",
      matches: completions.matches,
      cursor_start: completions.cursorStart,
      cursor_end: completions.cursorEnd,
      metadata: {
        _jupyter_types_experimental: completions.matches.map((text, index) => ({
          start: completions.cursorStart,
          end: completions.cursorEnd,
          text,
          type: completions.kinds[index],
        })),
      },
    };
  }

  inspect(code: string, cursor: number): InspectReply {
    const info = this.#checker.quickInfo(code, cursor);
    if (!info) return { status: "ok", found: false, data: {}, metadata: {} };
    const plain = info.documentation ? `${info.signature}\n\n${info.documentation}` : info.signature;
    const markdown = `\`\`\`typescript\n${info.signature}\n\`\`\`${info.documentation ? `\n\n${info.documentation}` : ""}`;
    return { status: "ok", found: true, data: { "text/plain": plain, "text/markdown": markdown }, metadata: {} };
  }

  isComplete(code: string): IsCompleteReply {
    return isCompleteCode(code);
  }
}

/**
 * Whether `code` is a whole cell ("complete"), needs more lines ("incomplete", with the indent
 * for the next one), or can never parse ("invalid"). Used by consoles to decide on Enter.
 */
export function isCompleteCode(code: string): IsCompleteReply {
  if (code.trim() === "") return { status: "complete" };
  const errors = syntaxErrors(code);
  if (errors.length === 0) return { status: "complete" };
  const end = code.trimEnd().length;
  // An error at the very end means the parser ran out of input (an open brace, string, call...).
  const unterminated = errors.some((error) => error.start >= end || /Unterminated|expected/.test(error.message) && error.start >= end - 1);
  if (!unterminated) return { status: "invalid" };
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, false, ts.LanguageVariant.Standard, code);
  let depth = 0;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.OpenBraceToken || token === ts.SyntaxKind.OpenParenToken || token === ts.SyntaxKind.OpenBracketToken) depth++;
    if (token === ts.SyntaxKind.CloseBraceToken || token === ts.SyntaxKind.CloseParenToken || token === ts.SyntaxKind.CloseBracketToken) depth = Math.max(0, depth - 1);
  }
  return { status: "incomplete", indent: "  ".repeat(depth) };
}
