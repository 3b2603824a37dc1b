import { UserError } from "../errors.ts";

/** A function given as source code, in the language of the code that will import it. */
export interface CodeFunctionSource {
  /** The name the code imports. */
  name: string;
  language: "python" | "javascript";
  /** Source that defines `name`: a `def` in Python; a function declaration or `const name = ...` in JavaScript. */
  code: string;
  /** What the function does, for the model's prompt. */
  description?: string;
}

/**
 * A function executed code can import. A JavaScript function value must be self-contained
 * (no closures over outer variables): its source is copied into the module, as AutoGen copies
 * Python functions' source.
 */
export type CodeFunction = ((...args: never[]) => unknown) | CodeFunctionSource;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The functions as sources, checked: valid names, no duplicates, JavaScript values that can be copied. */
export function functionSources(functions: readonly CodeFunction[]): CodeFunctionSource[] {
  const seen = new Set<string>();
  return functions.map((fn) => {
    let source: CodeFunctionSource;
    if (typeof fn === "function") {
      const code = fn.toString();
      try {
        new Function(`return (${code});`);
      } catch {
        throw new UserError(
          `Function ${JSON.stringify(fn.name)} cannot be copied into executed code: its source is not a function expression ` +
            "(methods, bound and built-in functions are not). Pass a function declaration or an arrow function, or { name, language, code }.",
        );
      }
      source = { name: fn.name, language: "javascript", code: `const ${fn.name} = ${code};` };
    } else {
      source = fn;
    }
    if (!IDENTIFIER.test(source.name) || (source.language === "python" && source.name.includes("$")))
      throw new UserError(
        `A function for executed code needs a name that is a valid identifier; got ${JSON.stringify(source.name)}. ` +
          "Name the function (const add = (a, b) => a + b) or pass { name, language, code }.",
      );
    if (source.language !== "python" && source.language !== "javascript")
      throw new UserError(`Function ${source.name} has language ${JSON.stringify(source.language)}; use "python" or "javascript".`);
    const key = `${source.language}:${source.name}`;
    if (seen.has(key)) throw new UserError(`Two ${source.language} functions are named ${source.name}; give each a distinct name.`);
    seen.add(key);
    return source;
  });
}

/** The Python module holding the Python functions. */
export function pythonFunctionsModule(sources: readonly CodeFunctionSource[]): string {
  return sources
    .filter((source) => source.language === "python")
    .map((source) => source.code.trim())
    .join("\n\n\n")
    .concat("\n");
}

/** The ES module holding the JavaScript functions, each exported by name. */
export function javascriptFunctionsModule(sources: readonly CodeFunctionSource[]): string {
  const javascript = sources.filter((source) => source.language === "javascript");
  const body = javascript.map((source) => source.code.trim()).join("\n\n");
  return `${body}\n\nexport { ${javascript.map((source) => source.name).join(", ")} };\n`;
}

/** `name(params)` of a function source, for a prompt. */
export function functionSignature(source: CodeFunctionSource): string {
  const code = source.code;
  if (source.language === "python") {
    const def = new RegExp(`def\\s+${source.name}\\s*\\(([^)]*)\\)(\\s*->\\s*[^:]+)?`).exec(code);
    return def ? `${source.name}(${def[1]!.replace(/\s+/g, " ").trim()})${def[2] ?? ""}` : `${source.name}(...)`;
  }
  const params =
    /function\s*\*?\s*[\w$]*\s*\(([^)]*)\)/.exec(code)?.[1] ??
    /=\s*(?:async\s*)?\(([^)]*)\)\s*=>/.exec(code)?.[1] ??
    /=\s*(?:async\s+)?([\w$]+)\s*=>/.exec(code)?.[1];
  return params === undefined ? `${source.name}(...)` : `${source.name}(${params.replace(/\s+/g, " ").trim()})`;
}
