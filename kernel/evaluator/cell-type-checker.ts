/**
 * Types across cells. Each executed cell is kept as a virtual module that exports the names it
 * declares; a new cell is checked as a module that first imports every live name from the cell
 * that declared it last. A re-run cell that declares a name again simply becomes that name's
 * new home, so redeclaration works and every name keeps the type it was given.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type TypeScript from "typescript";

// Loaded with require: going through the ESM loader would scan all 9 MB for named exports first.
const ts = createRequire(import.meta.url)("typescript") as typeof TypeScript;
type ts = typeof TypeScript;
declare namespace ts {
  export type CompilerOptions = TypeScript.CompilerOptions;
  export type LanguageService = TypeScript.LanguageService;
  export type LanguageServiceHost = TypeScript.LanguageServiceHost;
  export type SourceFile = TypeScript.SourceFile;
  export type BindingName = TypeScript.BindingName;
  export type ResolvedModuleWithFailedLookupLocations = TypeScript.ResolvedModuleWithFailedLookupLocations;
  export type ResolvedTypeReferenceDirectiveWithFailedLookupLocations = TypeScript.ResolvedTypeReferenceDirectiveWithFailedLookupLocations;
  export type FileReference = TypeScript.FileReference;
}

/** One type error (or warning) in a cell, at a 0-based offset of the cell source. */
export interface CellDiagnostic {
  start: number;
  length: number;
  /** TypeScript's error code, for example 2322. */
  code: number;
  message: string;
  category: "error" | "warning";
}

/** Completion candidates for the identifier at the cursor. */
export interface CellCompletions {
  matches: string[];
  cursorStart: number;
  cursorEnd: number;
  /** Kind of each match ("function", "variable", ...), in the same order. */
  kinds: string[];
}

interface DeclaredName {
  name: string;
  /** `let` and `var` may be reassigned from a later cell. */
  assignable: boolean;
}

interface HistoryEntry {
  /** Cell module that declared the name last. */
  file: string;
  assignable: boolean;
}

/** Diagnostics that do not apply to notebook cells. */
const IGNORED_CODES = new Set([
  1375, // 'await' expressions are only allowed at the top level of a file when that file is a module
  1378, // Top-level 'await' expressions are only allowed when the 'module' option is set to ...
  2451, // Cannot redeclare block-scoped variable (a global from @types shadowed by a cell)
  7016, // Could not find a declaration file for module: untyped JavaScript packages are `any`, not errors
]);
/** "Cannot assign to 'x' because it is an import." */
const ASSIGN_TO_IMPORT = 2632;

const LIBRARY_ROOT = fileURLToPath(new URL("../../library/", import.meta.url));

function typeRootsFor(): string[] {
  try {
    const require = createRequire(import.meta.url);
    return [dirname(dirname(require.resolve("@types/node/package.json")))];
  } catch {
    return [];
  }
}

/** The names a cell declares at its top level (values and types), with whether they can be reassigned. */
export function topLevelNames(file: ts.SourceFile): { names: DeclaredName[]; exported: Set<string> } {
  const names = new Map<string, DeclaredName>();
  const exported = new Set<string>();
  const add = (name: string, assignable: boolean, isExported = false) => {
    names.set(name, { name, assignable });
    if (isExported) exported.add(name);
  };
  const addBinding = (binding: ts.BindingName, assignable: boolean, isExported: boolean) => {
    if (ts.isIdentifier(binding)) add(binding.text, assignable, isExported);
    else for (const element of binding.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name, assignable, isExported);
  };
  for (const statement of file.statements) {
    const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
    const isExported = modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
    if (modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword)) continue;
    if (ts.isVariableStatement(statement)) {
      const assignable = (statement.declarationList.flags & ts.NodeFlags.Const) === 0;
      for (const declaration of statement.declarationList.declarations) addBinding(declaration.name, assignable, isExported);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      add(statement.name.text, false, isExported);
    } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name) && !(statement.flags & ts.NodeFlags.GlobalAugmentation)) {
      add(statement.name.text, false, isExported);
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) add(clause.name.text, false);
      if (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings)) add(clause.namedBindings.name.text, false);
      if (clause.namedBindings && ts.isNamedImports(clause.namedBindings))
        for (const element of clause.namedBindings.elements) add(element.name.text, false);
    } else if (ts.isImportEqualsDeclaration(statement)) {
      add(statement.name.text, false, isExported);
    }
  }
  return { names: [...names.values()], exported };
}

/** Type-checks cells against the notebook's history, and answers completion and hover queries. */
export class CellTypeChecker {
  readonly #cwd: string;
  readonly #files = new Map<string, { text: string; version: number }>();
  readonly #history = new Map<string, HistoryEntry>();
  readonly #service: ts.LanguageService;
  readonly #options: ts.CompilerOptions;
  #cellCount = 0;
  #scratchVersion = 0;

  /** `cwd`: the notebook's folder; relative imports and packages resolve from there. */
  constructor(cwd: string) {
    this.#cwd = cwd;
    this.#options = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2023.d.ts"],
      types: ["node"],
      typeRoots: typeRootsFor(),
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      esModuleInterop: true,
      resolveJsonModule: true,
      useDefineForClassFields: true,
      paths: { agentbook: [join(LIBRARY_ROOT, "index.ts")] },
    };
    const globals = join(cwd, "__agentbook_globals__.d.ts");
    this.#files.set(globals, {
      version: 1,
      text: [
        `declare global {`,
        `  /** Show a value as rich output (MIME bundle); returns a handle whose update() replaces it. */`,
        `  const display: typeof import(${JSON.stringify(join(LIBRARY_ROOT, "display", "display.ts"))}).display;`,
        `  /** Ask the human for a line of text (the notebook's input box, or the terminal). */`,
        `  const input: typeof import(${JSON.stringify(join(LIBRARY_ROOT, "display", "input.ts"))}).input;`,
        `}`,
        `export {};`,
      ].join("\n"),
    });
    const files = this.#files;
    // Cells are added one file at a time, so every check builds a new program; caching
    // successful resolutions keeps that from walking node_modules again for every import.
    const resolved = new Map<string, ts.ResolvedModuleWithFailedLookupLocations>();
    const resolvedTypes = new Map<string, ts.ResolvedTypeReferenceDirectiveWithFailedLookupLocations>();
    const moduleHost: TypeScript.ModuleResolutionHost = {
      fileExists: (fileName) => files.has(fileName) || ts.sys.fileExists(fileName),
      readFile: (fileName) => files.get(fileName)?.text ?? ts.sys.readFile(fileName),
      directoryExists: ts.sys.directoryExists,
      realpath: ts.sys.realpath,
      getCurrentDirectory: () => cwd,
      getDirectories: ts.sys.getDirectories,
    };
    const resolutionCache = ts.createModuleResolutionCache(cwd, (fileName) => fileName, this.#options);
    // Files on disk (libraries, packages' types) are read once per kernel.
    const snapshots = new Map<string, TypeScript.IScriptSnapshot | undefined>();
    const host: ts.LanguageServiceHost & { getModuleResolutionCache(): TypeScript.ModuleResolutionCache } = {
      // Not in the public host type, but read by the language service: shares package.json
      // lookups between programs (otherwise each cell re-reads them to find module formats).
      getModuleResolutionCache: () => resolutionCache,
      resolveModuleNameLiterals: (literals, containingFile, redirected, options) =>
        literals.map((literal) => {
          const key = `${dirname(containingFile)}\0${literal.text}`;
          const cached = resolved.get(key);
          if (cached) return cached;
          const result = ts.resolveModuleName(literal.text, containingFile, options, moduleHost, resolutionCache, redirected);
          if (result.resolvedModule) resolved.set(key, result);
          return result;
        }),
      resolveTypeReferenceDirectiveReferences: (references, containingFile, redirected, options) =>
        references.map((reference) => {
          const name = typeof reference === "string" ? reference : (reference as ts.FileReference).fileName.toLowerCase();
          const key = `${dirname(containingFile)}\0${name}`;
          const cached = resolvedTypes.get(key);
          if (cached) return cached;
          const result = ts.resolveTypeReferenceDirective(name, containingFile, options, moduleHost, redirected);
          if (result.resolvedTypeReferenceDirective) resolvedTypes.set(key, result);
          return result;
        }),
      getScriptFileNames: () => [...files.keys()],
      getScriptVersion: (fileName) => String(files.get(fileName)?.version ?? 0),
      getScriptSnapshot: (fileName) => {
        const virtual = files.get(fileName);
        if (virtual) return ts.ScriptSnapshot.fromString(virtual.text);
        if (snapshots.has(fileName)) return snapshots.get(fileName);
        const text = ts.sys.readFile(fileName);
        const snapshot = text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
        if (snapshot) snapshots.set(fileName, snapshot);
        return snapshot;
      },
      getCurrentDirectory: () => cwd,
      getCompilationSettings: () => this.#options,
      getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
      fileExists: (fileName) => files.has(fileName) || ts.sys.fileExists(fileName),
      readFile: (fileName) => files.get(fileName)?.text ?? ts.sys.readFile(fileName),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    };
    this.#service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  /** Load the standard library and Node's types now, so the first cell is not the one that waits. */
  warmUp(): void {
    this.check("export {};");
  }

  /** The module text of a cell: imports of live names on one line, the source, the exports. */
  #moduleText(source: string): { text: string; prefixLength: number; names: DeclaredName[] } {
    const parsed = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
    const { names, exported } = topLevelNames(parsed);
    const own = new Set(names.map((entry) => entry.name));
    const byFile = new Map<string, string[]>();
    for (const [name, entry] of this.#history) {
      if (own.has(name)) continue;
      const list = byFile.get(entry.file) ?? [];
      list.push(name);
      byFile.set(entry.file, list);
    }
    let prefix = "";
    for (const [file, list] of byFile) prefix += `import { ${list.join(", ")} } from ${JSON.stringify(`./${file.slice(this.#cwd.length + 1)}`)}; `;
    prefix += "\n";
    const exports = names.map((entry) => entry.name).filter((name) => !exported.has(name));
    const text = `${prefix}${source}\n;export { ${exports.join(", ")} };\n`;
    return { text, prefixLength: prefix.length, names };
  }

  #diagnosticsOf(fileName: string, prefixLength: number, sourceLength: number): CellDiagnostic[] {
    const all = [...this.#service.getSyntacticDiagnostics(fileName), ...this.#service.getSemanticDiagnostics(fileName)];
    const result: CellDiagnostic[] = [];
    for (const diagnostic of all) {
      if (IGNORED_CODES.has(diagnostic.code)) continue;
      if (diagnostic.category !== ts.DiagnosticCategory.Error && diagnostic.category !== ts.DiagnosticCategory.Warning) continue;
      const start = (diagnostic.start ?? prefixLength) - prefixLength;
      if (start < 0 || start > sourceLength) continue;
      let message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
      if (diagnostic.code === ASSIGN_TO_IMPORT) {
        const name = /'([^']+)'/.exec(message)?.[1];
        const entry = name === undefined ? undefined : this.#history.get(name);
        if (entry?.assignable) continue;
        if (name !== undefined) message = `Cannot assign to '${name}' because an earlier cell declared it as a constant.`;
      }
      result.push({
        start,
        length: diagnostic.length ?? 0,
        code: diagnostic.code,
        message,
        category: diagnostic.category === ts.DiagnosticCategory.Error ? "error" : "warning",
      });
    }
    return result;
  }

  /** Type errors of `source` as the next cell, without recording it. */
  check(source: string): CellDiagnostic[] {
    const { text, prefixLength } = this.#moduleText(source);
    const fileName = join(this.#cwd, "__agentbook_scratch__.ts");
    this.#files.set(fileName, { text, version: ++this.#scratchVersion });
    return this.#diagnosticsOf(fileName, prefixLength, source.length);
  }

  /**
   * Type-check `source` as the next cell and record it, so later cells see its names. Call it
   * for every cell that runs; with `onlyIfClean`, a cell with type errors is not recorded.
   */
  checkAndRecord(source: string, options: { onlyIfClean?: boolean } = {}): CellDiagnostic[] {
    const { text, prefixLength, names } = this.#moduleText(source);
    const fileName = join(this.#cwd, `__agentbook_cell_${++this.#cellCount}__.ts`);
    this.#files.set(fileName, { text, version: 1 });
    const diagnostics = this.#diagnosticsOf(fileName, prefixLength, source.length);
    if (options.onlyIfClean && diagnostics.some((diagnostic) => diagnostic.category === "error")) {
      this.#files.delete(fileName);
      return diagnostics;
    }
    for (const entry of names) this.#history.set(entry.name, { file: fileName, assignable: entry.assignable });
    return diagnostics;
  }

  /** Names cells have declared so far. */
  get names(): string[] {
    return [...this.#history.keys()];
  }

  #scratch(code: string): { fileName: string; prefixLength: number } {
    const { text, prefixLength } = this.#moduleText(code);
    const fileName = join(this.#cwd, "__agentbook_scratch__.ts");
    this.#files.set(fileName, { text, version: ++this.#scratchVersion });
    return { fileName, prefixLength };
  }

  /** Completions for the identifier (or member) ending at `cursor` in `code`. */
  completions(code: string, cursor: number): CellCompletions {
    let start = cursor;
    while (start > 0 && /[\w$]/.test(code[start - 1]!)) start--;
    const typed = code.slice(start, cursor);
    const { fileName, prefixLength } = this.#scratch(code);
    const info = this.#service.getCompletionsAtPosition(fileName, prefixLength + cursor, {
      includeCompletionsWithInsertText: true,
      includeCompletionsForModuleExports: false,
    });
    const entries = (info?.entries ?? [])
      .filter((entry) => entry.name.toLowerCase().startsWith(typed.toLowerCase()))
      .sort((a, b) => (a.sortText === b.sortText ? a.name.localeCompare(b.name) : a.sortText < b.sortText ? -1 : 1));
    const seen = new Set<string>();
    const matches: string[] = [];
    const kinds: string[] = [];
    for (const entry of entries) {
      if (seen.has(entry.name) || entry.name.startsWith("__agentbook")) continue;
      seen.add(entry.name);
      matches.push(entry.name);
      kinds.push(entry.kind);
    }
    return { matches, cursorStart: start, cursorEnd: cursor, kinds };
  }

  /** Hover text (signature and documentation) for the name at `cursor`, or undefined. */
  quickInfo(code: string, cursor: number): { signature: string; documentation: string } | undefined {
    const { fileName, prefixLength } = this.#scratch(code);
    for (const position of [cursor, cursor - 1]) {
      if (position < 0) continue;
      const info = this.#service.getQuickInfoAtPosition(fileName, prefixLength + position);
      if (!info) continue;
      const signature = ts.displayPartsToString(info.displayParts);
      const tags = (info.tags ?? []).map((tag) => `@${tag.name} ${ts.displayPartsToString(tag.text)}`.trim());
      const documentation = [ts.displayPartsToString(info.documentation), ...tags].filter(Boolean).join("\n\n");
      return { signature, documentation };
    }
    return undefined;
  }
}
