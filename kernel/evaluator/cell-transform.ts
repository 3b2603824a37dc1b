/**
 * TypeScript cell -> a script that keeps notebook state.
 *
 * Every top-level declaration of a cell (`const`, `let`, `var`, `function`, `class`, `enum`,
 * `namespace`, imports) becomes a global `var`, so later cells see it and a re-run cell can
 * declare it again. The cell body becomes a generator function: each top-level `await` is a
 * `yield` that the runner resolves. The runner resumes the generator inside `vm` with
 * `breakOnSigint`, so a synchronous loop is interruptible before and after any `await`.
 */
import ts from "typescript";

/** The global the runner installs: module loading and async iteration for transformed cells. */
export const RUNTIME_GLOBAL = "__agentbook_kernel__";

export interface TransformedCell {
  /** A script; evaluating it declares the cell's globals and returns its generator function. */
  code: string;
  /** Source map (JSON) from `code` back to the cell source. */
  sourceMap: string;
  /** Top-level names the cell declares. */
  declaredNames: string[];
  /** True when the last statement is an expression whose value is the cell's result. */
  hasResult: boolean;
}

/** A cell that does not parse. */
export interface CellSyntaxError {
  /** 0-based offset in the cell source. */
  start: number;
  message: string;
  code: number;
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  // Keep every import that is not marked `type`: a later cell may use a name this cell only imports.
  verbatimModuleSyntax: true,
  sourceMap: true,
  inlineSources: false,
  useDefineForClassFields: true,
  experimentalDecorators: false,
  jsx: ts.JsxEmit.Preserve,
};

/** `{ a: 1 }` alone in a cell is an object, not a block with a label (as in Node's REPL). */
export function wrapObjectLiteral(source: string): string {
  const trimmed = source.trim();
  if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) return source;
  const wrapped = `(${source}\n)`;
  const file = ts.createSourceFile("object.ts", wrapped, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const parseDiagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  if (parseDiagnostics.length > 0 || file.statements.length !== 1) return source;
  const statement = file.statements[0]!;
  return ts.isExpressionStatement(statement) && ts.isParenthesizedExpression(statement.expression) ? wrapped : source;
}

/** Syntax errors of a cell, or none. */
export function syntaxErrors(source: string): CellSyntaxError[] {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const parseDiagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return parseDiagnostics.map((diagnostic) => ({
    start: diagnostic.start ?? 0,
    message: ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"),
    code: diagnostic.code,
  }));
}

/** Names bound by a binding pattern or identifier. */
function bindingNames(name: ts.BindingName, into: string[]): void {
  if (ts.isIdentifier(name)) into.push(name.text);
  else
    for (const element of name.elements) {
      if (ts.isOmittedExpression(element)) continue;
      bindingNames(element.name, into);
    }
}

/** A binding pattern as the equivalent assignment target (`{ a, b: [c] }` -> `{ a, b: [c] }` as an expression). */
function bindingToAssignmentTarget(factory: ts.NodeFactory, name: ts.BindingName): ts.Expression {
  if (ts.isIdentifier(name)) return factory.createIdentifier(name.text);
  if (ts.isObjectBindingPattern(name)) {
    const properties = name.elements.map((element): ts.ObjectLiteralElementLike => {
      const target = bindingToAssignmentTarget(factory, element.name);
      if (element.dotDotDotToken) return factory.createSpreadAssignment(target);
      const key = element.propertyName ?? (ts.isIdentifier(element.name) ? factory.createIdentifier(element.name.text) : undefined);
      const value = element.initializer ? factory.createBinaryExpression(target, ts.SyntaxKind.EqualsToken, element.initializer) : target;
      return factory.createPropertyAssignment(key as ts.PropertyName, value);
    });
    return factory.createObjectLiteralExpression(properties, false);
  }
  const elements = name.elements.map((element): ts.Expression => {
    if (ts.isOmittedExpression(element)) return factory.createOmittedExpression();
    const target = bindingToAssignmentTarget(factory, element.name);
    if (element.dotDotDotToken) return factory.createSpreadElement(target);
    return element.initializer ? factory.createBinaryExpression(target, ts.SyntaxKind.EqualsToken, element.initializer) : target;
  });
  return factory.createArrayLiteralExpression(elements, false);
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === kind);
}

/** The same declaration without `export` / `default`. */
function withoutExportModifiers<T extends ts.Node>(factory: ts.NodeFactory, node: T): T {
  if (!ts.canHaveModifiers(node)) return node;
  const modifiers = (ts.getModifiers(node) ?? []).filter(
    (modifier) => modifier.kind !== ts.SyntaxKind.ExportKeyword && modifier.kind !== ts.SyntaxKind.DefaultKeyword,
  );
  return factory.replaceModifiers(node as unknown as ts.HasModifiers, modifiers) as unknown as T;
}

function runtimeCall(factory: ts.NodeFactory, method: string, args: ts.Expression[]): ts.Expression {
  return factory.createCallExpression(
    factory.createPropertyAccessExpression(factory.createIdentifier(RUNTIME_GLOBAL), method),
    undefined,
    args,
  );
}

function yieldOf(factory: ts.NodeFactory, expression: ts.Expression): ts.Expression {
  return factory.createParenthesizedExpression(factory.createYieldExpression(undefined, expression));
}

/**
 * Rewrites the JS (after TypeScript erased the types) of one cell. Runs as an `after`
 * transformer so enums, namespaces and decorators are already plain JS.
 */
function cellTransformer(result: { declaredNames: string[]; hasResult: boolean }): ts.TransformerFactory<ts.SourceFile> {
  return (context) => (sourceFile) => {
    const factory = context.factory;
    const declared = new Set<string>();
    const hoistedFunctions: ts.Statement[] = [];
    const body: ts.Statement[] = [];
    const original = ts.getOriginalNode(sourceFile) as ts.SourceFile;
    const lastOriginal = original.statements[original.statements.length - 1];

    const declare = (names: string[]) => names.forEach((name) => declared.add(name));

    // Top-level `await` (not inside a nested function) -> `yield`; `import()` -> the runtime loader;
    // `import.meta` -> the notebook's meta; `for await` -> a loop over yielded `next()` calls.
    const visitTopLevel = (node: ts.Node): ts.Node | ts.Node[] => {
      if (ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node)) return ts.visitEachChild(node, visitNested, context);
      if (ts.isAwaitExpression(node)) return yieldOf(factory, ts.visitNode(node.expression, visitTopLevel) as ts.Expression);
      if (ts.isLabeledStatement(node) && ts.isForOfStatement(node.statement) && node.statement.awaitModifier)
        return forAwait(node.statement, node.label);
      if (ts.isForOfStatement(node) && node.awaitModifier) return forAwait(node);
      return visitCommon(node, visitTopLevel);
    };
    const visitNested = (node: ts.Node): ts.Node => visitCommon(node, visitNested) as ts.Node;
    const visitCommon = (node: ts.Node, next: (node: ts.Node) => ts.Node | ts.Node[]): ts.Node | ts.Node[] => {
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const args = node.arguments.map((argument) => ts.visitNode(argument, next) as ts.Expression);
        return ts.setTextRange(runtimeCall(factory, "import", args), node);
      }
      if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword)
        return ts.setTextRange(factory.createPropertyAccessExpression(factory.createIdentifier(RUNTIME_GLOBAL), "importMeta"), node);
      return ts.visitEachChild(node, next, context);
    };

    const forAwait = (loop: ts.ForOfStatement, label?: ts.Identifier): ts.Statement => {
      const iterator = factory.createUniqueName("iterator");
      const step = factory.createUniqueName("step");
      const value = factory.createPropertyAccessExpression(step, "value");
      let bind: ts.Statement;
      if (ts.isVariableDeclarationList(loop.initializer)) {
        const declaration = loop.initializer.declarations[0]!;
        bind = factory.createVariableStatement(
          undefined,
          factory.createVariableDeclarationList(
            [factory.createVariableDeclaration(declaration.name, undefined, undefined, value)],
            loop.initializer.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let),
          ),
        );
      } else {
        bind = factory.createExpressionStatement(
          factory.createAssignment(ts.visitNode(loop.initializer, visitTopLevel) as ts.Expression, value),
        );
      }
      const loopBody = ts.visitNode(loop.statement, visitTopLevel) as ts.Statement;
      const innerLoop: ts.Statement = factory.createForStatement(
        undefined,
        undefined,
        undefined,
        factory.createBlock(
          [
            factory.createExpressionStatement(
              factory.createAssignment(step, yieldOf(factory, factory.createCallExpression(factory.createPropertyAccessExpression(iterator, "next"), undefined, []))),
            ),
            factory.createIfStatement(factory.createPropertyAccessExpression(step, "done"), factory.createBreakStatement()),
            bind,
            loopBody,
          ],
          true,
        ),
      );
      const closeIterator = factory.createIfStatement(
        factory.createLogicalAnd(
          factory.createLogicalAnd(step, factory.createLogicalNot(factory.createPropertyAccessExpression(step, "done"))),
          factory.createPropertyAccessExpression(iterator, "return"),
        ),
        factory.createExpressionStatement(
          yieldOf(factory, factory.createCallExpression(factory.createPropertyAccessExpression(iterator, "return"), undefined, [])),
        ),
      );
      const block = factory.createBlock(
        [
          factory.createVariableStatement(
            undefined,
            factory.createVariableDeclarationList(
              [
                factory.createVariableDeclaration(
                  iterator,
                  undefined,
                  undefined,
                  runtimeCall(factory, "asyncIterator", [ts.visitNode(loop.expression, visitTopLevel) as ts.Expression]),
                ),
                factory.createVariableDeclaration(step),
              ],
              ts.NodeFlags.Let,
            ),
          ),
          factory.createTryStatement(
            factory.createBlock([label ? factory.createLabeledStatement(label, innerLoop) : innerLoop], true),
            undefined,
            factory.createBlock([closeIterator], true),
          ),
        ],
        true,
      );
      return ts.setTextRange(block, loop);
    };

    const assignStatement = (target: ts.Expression, value: ts.Expression, range: ts.Node): ts.Statement => {
      const assignment = factory.createAssignment(target, value);
      const expression = ts.isIdentifier(target) ? assignment : factory.createParenthesizedExpression(assignment);
      return ts.setTextRange(factory.createExpressionStatement(expression), range);
    };

    for (const statement of sourceFile.statements) {
      const isLast = ts.getOriginalNode(statement) === lastOriginal && lastOriginal !== undefined;
      if (ts.isImportDeclaration(statement)) {
        const specifier = ts.visitNode(statement.moduleSpecifier, visitTopLevel) as ts.Expression;
        const args = [specifier];
        if (statement.attributes) {
          const attributes = factory.createObjectLiteralExpression(
            statement.attributes.elements.map((element) => factory.createPropertyAssignment(element.name, element.value)),
          );
          args.push(factory.createObjectLiteralExpression([factory.createPropertyAssignment("with", attributes)]));
        }
        const loaded = yieldOf(factory, runtimeCall(factory, "import", args));
        const clause = statement.importClause;
        if (!clause) {
          body.push(ts.setTextRange(factory.createExpressionStatement(loaded), statement));
          continue;
        }
        if (clause.isTypeOnly) continue;
        const properties: ts.ObjectLiteralElementLike[] = [];
        if (clause.name) {
          declare([clause.name.text]);
          properties.push(factory.createPropertyAssignment("default", factory.createIdentifier(clause.name.text)));
        }
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) {
          declare([bindings.name.text]);
          if (properties.length === 0) {
            body.push(assignStatement(factory.createIdentifier(bindings.name.text), loaded, statement));
            continue;
          }
          // `import d, * as ns from "m"`: load once, then take both.
          const temporary = factory.createUniqueName("module");
          body.push(
            factory.createVariableStatement(undefined, factory.createVariableDeclarationList([factory.createVariableDeclaration(temporary, undefined, undefined, loaded)], ts.NodeFlags.Const)),
            assignStatement(factory.createIdentifier(bindings.name.text), temporary, statement),
            assignStatement(factory.createObjectLiteralExpression(properties), temporary, statement),
          );
          continue;
        }
        if (bindings && ts.isNamedImports(bindings))
          for (const element of bindings.elements) {
            if (element.isTypeOnly) continue;
            declare([element.name.text]);
            const imported = element.propertyName ?? element.name;
            properties.push(
              factory.createPropertyAssignment(
                ts.isIdentifier(imported) ? factory.createIdentifier(imported.text) : factory.createStringLiteral(imported.text),
                factory.createIdentifier(element.name.text),
              ),
            );
          }
        body.push(assignStatement(factory.createObjectLiteralExpression(properties), loaded, statement));
        continue;
      }
      if (ts.isExportDeclaration(statement)) continue;
      if (ts.isExportAssignment(statement)) {
        body.push(ts.setTextRange(factory.createExpressionStatement(ts.visitNode(statement.expression, visitTopLevel) as ts.Expression), statement));
        continue;
      }
      if (ts.isVariableStatement(statement)) {
        const isVar = (statement.declarationList.flags & ts.NodeFlags.BlockScoped) === 0;
        for (const declaration of statement.declarationList.declarations) {
          const names: string[] = [];
          bindingNames(declaration.name, names);
          declare(names);
          if (declaration.initializer) {
            const value = ts.visitNode(declaration.initializer, visitTopLevel) as ts.Expression;
            body.push(assignStatement(bindingToAssignmentTarget(factory, declaration.name), value, declaration));
          } else if (!isVar) {
            for (const name of names) body.push(assignStatement(factory.createIdentifier(name), factory.createVoidZero(), declaration));
          }
        }
        continue;
      }
      if (ts.isFunctionDeclaration(statement) && statement.name) {
        declare([statement.name.text]);
        hoistedFunctions.push(ts.visitEachChild(withoutExportModifiers(factory, statement), visitNested, context));
        continue;
      }
      if (ts.isClassDeclaration(statement) && statement.name) {
        declare([statement.name.text]);
        const plain = withoutExportModifiers(factory, statement);
        const expression = factory.createClassExpression(
          ts.getModifiers(plain)?.filter((modifier) => modifier.kind !== ts.SyntaxKind.DeclareKeyword),
          plain.name,
          plain.typeParameters,
          plain.heritageClauses,
          plain.members,
        );
        ts.setTextRange(expression, statement);
        body.push(assignStatement(factory.createIdentifier(statement.name.text), ts.visitEachChild(expression, visitNested, context), statement));
        continue;
      }
      if (isLast && ts.isExpressionStatement(statement)) {
        result.hasResult = true;
        const value = ts.visitNode(statement.expression, visitTopLevel) as ts.Expression;
        // Wrapped in an array so a returned promise or thenable is shown, not adopted.
        body.push(ts.setTextRange(factory.createReturnStatement(factory.createArrayLiteralExpression([value])), statement));
        continue;
      }
      const visited = ts.visitNode(
        hasModifier(statement, ts.SyntaxKind.ExportKeyword) ? withoutExportModifiers(factory, statement) : statement,
        visitTopLevel,
      );
      if (Array.isArray(visited)) body.push(...(visited as ts.Statement[]));
      else if (visited) body.push(visited as ts.Statement);
    }

    result.declaredNames = [...declared];
    const statements: ts.Statement[] = [factory.createExpressionStatement(factory.createStringLiteral("use strict"))];
    if (declared.size > 0)
      statements.push(
        factory.createVariableStatement(
          undefined,
          factory.createVariableDeclarationList([...declared].map((name) => factory.createVariableDeclaration(name))),
        ),
      );
    statements.push(...hoistedFunctions);
    statements.push(
      factory.createExpressionStatement(
        factory.createParenthesizedExpression(
          factory.createFunctionExpression(undefined, factory.createToken(ts.SyntaxKind.AsteriskToken), undefined, undefined, [], undefined, factory.createBlock(body, true)),
        ),
      ),
    );
    return factory.updateSourceFile(sourceFile, statements);
  };
}

/**
 * Transform one cell. `fileName` names the cell in the source map. Throws nothing for valid
 * syntax; call `syntaxErrors` first.
 */
export function transformCell(source: string, fileName: string): TransformedCell {
  const result = { declaredNames: [] as string[], hasResult: false };
  const output = ts.transpileModule(source, {
    compilerOptions: COMPILER_OPTIONS,
    fileName,
    transformers: { after: [cellTransformer(result)] },
  });
  const code = output.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
  return { code, sourceMap: output.sourceMapText ?? "", declaredNames: result.declaredNames, hasResult: result.hasResult };
}
