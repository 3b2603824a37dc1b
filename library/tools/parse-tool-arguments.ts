import type { JSONSchema } from "../models/types.ts";
import { ToolArgumentsError } from "./tool-arguments-error.ts";

/** What to send, from a parameters schema: `with the fields city (string), units ("c" | "f")`. */
function fieldsHint(parameters: JSONSchema | undefined): string {
  const properties = (parameters?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const parts = Object.entries(properties).map(([key, property]) => {
    const type = Array.isArray(property.enum)
      ? property.enum.map((value) => JSON.stringify(value)).join(" | ")
      : typeof property.type === "string"
        ? property.type
        : "any";
    return `${key} (${type})`;
  });
  return parts.length > 0 ? `with the fields ${parts.join(", ")}` : "(it may be empty: {})";
}

/**
 * Turn the raw argument text a model produced into an object. Empty text counts as `{}`
 * (models send that for tools without parameters). Anything else that is not a JSON object
 * throws a ToolArgumentsError saying what to send instead.
 */
export function parseToolArguments(toolName: string, raw: unknown, parameters?: JSONSchema): Record<string, unknown> {
  let value = raw;
  if (typeof value === "string") {
    if (value.trim() === "") return {};
    try {
      value = JSON.parse(value);
    } catch (error) {
      throw new ToolArgumentsError(
        toolName,
        [{ path: "(arguments)", message: `not valid JSON (${(error as Error).message}); send one JSON object ${fieldsHint(parameters)}` }],
        { cause: error },
      );
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const got = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    throw new ToolArgumentsError(toolName, [
      { path: "(arguments)", message: `expected a JSON object ${fieldsHint(parameters)}, got ${got}` },
    ]);
  }
  return value as Record<string, unknown>;
}
