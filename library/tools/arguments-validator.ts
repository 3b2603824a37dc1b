import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject } from "ajv/dist/2020.js";
import type { z } from "zod";
import { UserError } from "../errors.ts";
import type { JSONSchema } from "../models/types.ts";
import type { ToolArgumentIssue } from "./tool-arguments-error.ts";

/** Checks parsed arguments: the value to call the tool with (defaults applied), or the issues found. */
export type ArgumentsValidator = (args: Record<string, unknown>) => { ok: true; value: unknown } | { ok: false; issues: ToolArgumentIssue[] };

const ROOT = "(arguments)";

/** `["stops", 1, "name"]` -> `stops[1].name`. */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else text += text ? `.${String(key)}` : String(key);
  }
  return text || ROOT;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A short description of what the model sent, for "got ..." phrases. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === "number" || typeof value === "boolean") return `the ${typeof value} ${String(value)}`;
  return "an object";
}

/** "string" -> "a string", "integer" -> "an integer". */
function withArticle(type: string): string {
  if (type === "null") return "null";
  return /^[aeiou]/i.test(type) ? `an ${type}` : `a ${type}`;
}

function oneOf(values: readonly unknown[]): string {
  return `one of ${values.map((value) => JSON.stringify(value)).join(", ")}`;
}

// ---- zod ---------------------------------------------------------------------------------

type ZodIssue = z.core.$ZodIssue;

function zodIssueToArgumentIssues(issue: ZodIssue, input: unknown): ToolArgumentIssue[] {
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case "invalid_type": {
      const expected = withArticle(issue.expected === "int" ? "integer" : issue.expected);
      return [
        {
          path: formatPath(issue.path),
          message: value === undefined ? `is required; expected ${expected}` : `expected ${expected}, got ${describeValue(value)}`,
        },
      ];
    }
    case "invalid_value":
      return [{ path: formatPath(issue.path), message: `expected ${oneOf(issue.values)}, got ${describeValue(value)}` }];
    case "unrecognized_keys":
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: "is not a parameter of this tool; leave it out" }));
    default:
      return [{ path: formatPath(issue.path), message: `${issue.message}, got ${describeValue(value)}` }];
  }
}

/** Validate with a zod schema: zod's defaults, coercions and transforms apply. */
export function zodArgumentsValidator(schema: z.ZodType): ArgumentsValidator {
  return (args) => {
    const result = schema.safeParse(args);
    if (result.success) return { ok: true, value: result.data };
    return { ok: false, issues: result.error.issues.flatMap((issue) => zodIssueToArgumentIssues(issue, args)) };
  };
}

// ---- JSON Schema ----------------------------------------------------------------------------

// Ajv is the reference JSON Schema validator for JavaScript (draft-07 and 2020-12, $ref, anyOf,
// nested objects); its structured errors let us phrase each problem for the model ourselves.
// Unknown keywords and formats are ignored rather than rejected: they are hints for the model.
const ajv = new Ajv2020({
  allErrors: true,
  verbose: true,
  useDefaults: true,
  strict: false,
  validateFormats: false,
  addUsedSchema: false,
  logger: false,
});

/** JSON pointer `/stops/1/name` -> `["stops", 1, "name"]`. */
function pointerToPath(pointer: string): PropertyKey[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function expectedOf(schema: unknown): string | undefined {
  if (!schema || typeof schema !== "object") return undefined;
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum)) return oneOf(s.enum);
  if ("const" in s) return JSON.stringify(s.const);
  if (typeof s.type === "string") return withArticle(s.type);
  if (Array.isArray(s.type)) return s.type.map((type) => withArticle(String(type))).join(" or ");
  return undefined;
}

function ajvErrorToArgumentIssue(error: ErrorObject, input: unknown): ToolArgumentIssue {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required": {
      const missing = String(params.missingProperty);
      const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
      const expected = expectedOf(properties?.[missing]);
      return { path: formatPath([...path, missing]), message: expected ? `is required; expected ${expected}` : "is required" };
    }
    case "type": {
      const types = Array.isArray(params.type) ? params.type : [params.type];
      return {
        path: formatPath(path),
        message: `expected ${types.map((type) => withArticle(String(type))).join(" or ")}, got ${describeValue(error.data)}`,
      };
    }
    case "enum":
      return { path: formatPath(path), message: `expected ${oneOf(params.allowedValues as unknown[])}, got ${describeValue(error.data)}` };
    case "const":
      return { path: formatPath(path), message: `expected ${JSON.stringify(params.allowedValue)}, got ${describeValue(error.data)}` };
    case "additionalProperties": {
      const allowed = Object.keys((error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
      const where = path.length === 0 ? "is not a parameter of this tool" : "is not an allowed field here";
      return {
        path: formatPath([...path, String(params.additionalProperty)]),
        message: `${where}; ${allowed.length > 0 ? `the allowed names are ${allowed.join(", ")}` : "leave it out"}`,
      };
    }
    default:
      return { path: formatPath(path), message: `${error.message ?? "is not valid"}, got ${describeValue(valueAt(input, path))}` };
  }
}

/** Validate with a plain JSON Schema; `default` values fill missing fields. */
export function jsonSchemaArgumentsValidator(toolName: string, schema: JSONSchema): ArgumentsValidator {
  const { $schema: _ignored, ...rest } = schema;
  let validate: ReturnType<typeof ajv.compile>;
  try {
    validate = ajv.compile(rest);
  } catch (error) {
    throw new UserError(
      `The parameters of tool "${toolName}" are not a valid JSON Schema: ${(error as Error).message}. ` +
        `Fix the schema, or pass a zod object schema instead.`,
      { cause: error },
    );
  }
  return (args) => {
    const copy = structuredClone(args);
    if (validate(copy)) return { ok: true, value: copy };
    return { ok: false, issues: (validate.errors ?? []).map((error) => ajvErrorToArgumentIssue(error, copy)) };
  };
}
