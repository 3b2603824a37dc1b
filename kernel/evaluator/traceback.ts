/**
 * Errors as a notebook shows them: `ename`, `evalue` and a traceback whose lines point at the
 * cell and line the user wrote (never at generated code or the kernel's own frames).
 */
import { SourceMap } from "node:module";
import { inspect } from "node:util";
import type { ErrorContent } from "../protocol/messages.ts";

const RED = "\x1b[31m";
const GREEN = "\x1b[32m";
const CYAN = "\x1b[36m";
const BOLD = "\x1b[1m";
const RESET = "\x1b[0m";

/** The script file name of the cell with internal id `id`, as it appears in stack traces. */
export function cellFileName(id: number): string {
  return `agentbook-cell:${id}`;
}
const CELL_FRAME = /agentbook-cell:(\d+):(\d+):(\d+)/;

/** A cell that ran: enough to point at its lines. */
export interface CellRecord {
  /** "In[3]" (or "In[ ]" for a silent run). */
  label: string;
  source: string;
  /** Source map of the generated script, JSON. */
  sourceMap?: string;
}

/** Strip ANSI colour codes (for tests and plain-text logs). */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

/** Lines around `line` (0-based) of `source`, the line itself marked with an arrow. */
export function sourceExcerpt(source: string, line: number, column?: number, length = 1): string {
  const lines = source.split("\n");
  const out: string[] = [];
  const width = String(Math.min(lines.length, line + 2)).length;
  for (let index = Math.max(0, line - 1); index <= Math.min(lines.length - 1, line + 1); index++) {
    const number = String(index + 1).padStart(width);
    if (index === line) {
      out.push(`${GREEN}---->${RESET} ${GREEN}${number}${RESET} ${lines[index]}`);
      if (column !== undefined) out.push(`${" ".repeat(7 + width + column)}${RED}${"^".repeat(Math.max(1, Math.min(length, (lines[index] ?? "").length - column)))}${RESET}`);
    } else out.push(`      ${GREEN}${number}${RESET} ${lines[index]}`);
  }
  return out.join("\n");
}

/** `position` (0-based offset) as 0-based line and column. */
export function lineAndColumn(source: string, position: number): { line: number; column: number } {
  const before = source.slice(0, position);
  const line = before.split("\n").length - 1;
  return { line, column: position - (before.lastIndexOf("\n") + 1) };
}

const mapCache = new WeakMap<CellRecord, SourceMap | null>();

function originalPosition(cell: CellRecord, line: number, column: number): { line: number; column: number } | undefined {
  let map = mapCache.get(cell);
  if (map === undefined) {
    try {
      map = cell.sourceMap ? new SourceMap(JSON.parse(cell.sourceMap)) : null;
    } catch {
      map = null;
    }
    mapCache.set(cell, map);
  }
  if (!map) return undefined;
  const entry = map.findEntry(line - 1, column - 1) as { originalLine?: number; originalColumn?: number };
  if (entry?.originalLine === undefined) return undefined;
  return { line: entry.originalLine, column: entry.originalColumn ?? 0 };
}

/** Frames of the kernel itself and of Node internals: noise to a notebook user. */
function isInternalFrame(frame: string): boolean {
  return /node:internal|\/kernel\/(evaluator|session|protocol)\/|\(<anonymous>\)$|^\s*at <anonymous>$/.test(frame);
}

function errorNameAndMessage(error: unknown): { ename: string; evalue: string } {
  if (error instanceof Error || (typeof error === "object" && error !== null && "message" in error && "name" in error)) {
    const value = error as { name?: unknown; message?: unknown };
    return { ename: String(value.name || "Error"), evalue: String(value.message ?? "") };
  }
  return { ename: "Error", evalue: `Uncaught ${inspect(error, { depth: 2 })}` };
}

/** An error thrown by cell code, with a traceback through the cells it passed. */
export function formatRuntimeError(error: unknown, cellById: (id: number) => CellRecord | undefined): ErrorContent {
  const { ename, evalue } = errorNameAndMessage(error);
  const traceback = [`${RED}${BOLD}${ename}${RESET}: ${evalue}`];
  const stack = error instanceof Error && typeof error.stack === "string" ? error.stack : "";
  const frames = stack.split("\n").filter((line) => /^\s+at /.test(line));
  // Below the first frame of the kernel's driver, every frame is the kernel's.
  const driver = frames.findIndex((frame) => /agentbook-kernel-resume|sigintHandlersWrap|runInThisContext/.test(frame));
  if (driver >= 0) frames.length = driver;
  for (const frame of frames) {
    const match = CELL_FRAME.exec(frame);
    if (match) {
      const cell = cellById(Number(match[1]));
      if (!cell) continue;
      const position = originalPosition(cell, Number(match[2]), Number(match[3]));
      if (!position) continue;
      const name = /^\s+at (?:async )?(?:new )?([^\s(]+) \(/.exec(frame)?.[1];
      const where = name && !name.startsWith("<anonymous>") && name !== "Generator.next" ? `, in ${name}` : "";
      traceback.push(`${CYAN}Cell ${cell.label}, line ${position.line + 1}${where}${RESET}\n${sourceExcerpt(cell.source, position.line)}`);
    } else if (!isInternalFrame(frame)) {
      traceback.push(frame.trim());
    }
  }
  return { ename, evalue, traceback };
}

/** One problem at a place in a cell (a type error or a syntax error). */
export interface CellProblem {
  start: number;
  length: number;
  code: number;
  message: string;
}

/** Type or syntax errors of a cell as one error output. */
export function formatCellProblems(ename: string, problems: readonly CellProblem[], cell: CellRecord): ErrorContent {
  const first = problems[0]!;
  const evalue = `TS${first.code}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ""}`;
  const traceback = [`${RED}${BOLD}${ename}${RESET}: ${evalue}`];
  for (const problem of problems) {
    const { line, column } = lineAndColumn(cell.source, problem.start);
    traceback.push(
      `${CYAN}Cell ${cell.label}, line ${line + 1}, column ${column + 1}${RESET}: TS${problem.code}: ${problem.message}\n${sourceExcerpt(cell.source, line, column, problem.length)}`,
    );
  }
  return { ename, evalue, traceback };
}
