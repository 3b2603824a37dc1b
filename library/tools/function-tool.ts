import { z } from "zod";
import { UserError } from "../errors.ts";
import type { JSONSchema, ToolSchema } from "../models/types.ts";
import type { ArgumentsValidator } from "./arguments-validator.ts";
import { jsonSchemaArgumentsValidator, zodArgumentsValidator } from "./arguments-validator.ts";
import { parseToolArguments } from "./parse-tool-arguments.ts";
import type { Tool, ToolContext } from "./tool.ts";
import { ToolArgumentsError } from "./tool-arguments-error.ts";

/** The function a FunctionTool wraps: validated arguments in, any value (or a promise of one) out. */
export type ToolFunction<Args, Result> = (args: Args, context: ToolContext) => Result | Promise<Result>;

/** Options of a FunctionTool. */
export interface FunctionToolOptions<Args> {
  /** Name the model calls the tool by (letters, digits, `_`, `-`; at most 64). Defaults to the function's name. */
  name?: string;
  /** What the tool does and when to use it; the model reads this to decide. */
  description: string;
  /** The arguments: a zod object schema (parsed by zod, defaults and coercions apply) or a JSON Schema object. Omit for a tool without arguments. */
  parameters?: z.ZodType<Args> | JSONSchema;
  /** Ask the provider to hold the model to the schema exactly; every parameter must then be required. */
  strict?: boolean;
}

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

function isZodSchema(value: unknown): value is z.ZodType {
  return typeof value === "object" && value !== null && "_zod" in value && typeof (value as z.ZodType).safeParse === "function";
}

/** Strict mode needs every property listed as required (providers reject the schema otherwise). */
function checkStrict(name: string, schema: JSONSchema): void {
  const properties = Object.keys((schema.properties ?? {}) as Record<string, unknown>);
  const required = new Set((schema.required ?? []) as string[]);
  const optional = properties.filter((key) => !required.has(key));
  if (optional.length > 0)
    throw new UserError(
      `Tool "${name}" is strict, so every parameter must be required, but ${optional.join(", ")} ${optional.length === 1 ? "is" : "are"} optional. ` +
        "Make them required (a nullable type can stand for 'not given'), or drop strict.",
    );
  if (schema.additionalProperties !== false)
    throw new UserError(`Tool "${name}" is strict, so its parameters schema needs "additionalProperties": false.`);
}

/**
 * A tool made from a function. The model sees `name`, `description` and the JSON Schema of
 * `parameters`; its arguments are validated before the function runs, and validation problems
 * come back as a ToolArgumentsError that tells the model what to fix.
 *
 * ```ts
 * const weather = new FunctionTool(async ({ city }) => `Sunny in ${city}`, {
 *   name: "get_weather",
 *   description: "Current weather in a city.",
 *   parameters: z.object({ city: z.string() }),
 * });
 * ```
 */
export class FunctionTool<Args = Record<string, unknown>, Result = unknown> implements Tool {
  readonly name: string;
  readonly description: string;
  readonly schema: ToolSchema;
  readonly #fn: ToolFunction<Args, Result>;
  readonly #validate: ArgumentsValidator;

  constructor(fn: ToolFunction<Args, Result>, options: FunctionToolOptions<Args>) {
    if (typeof fn !== "function") throw new UserError("FunctionTool needs a function as its first argument.");
    if (!options || typeof options !== "object") throw new UserError("FunctionTool needs options: { name, description, parameters }.");
    const name = options.name ?? fn.name;
    if (!name || !TOOL_NAME.test(name))
      throw new UserError(
        `Tool name ${JSON.stringify(name)} is not valid: use 1-64 letters, digits, "_" or "-" ` +
          "(pass options.name when the function is anonymous or its name has other characters).",
      );
    if (typeof options.description !== "string")
      throw new UserError(`Tool "${name}" needs a description: the model reads it to decide when to call the tool.`);
    this.name = name;
    this.description = options.description;
    this.#fn = fn;

    let parameters: JSONSchema;
    const given = options.parameters ?? { type: "object", properties: {}, additionalProperties: false };
    if (isZodSchema(given)) {
      // Strict providers need the output view (defaults count as required); others get the input view.
      const converted = z.toJSONSchema(given, { io: options.strict ? "output" : "input", unrepresentable: "any" }) as JSONSchema;
      const { $schema: _ignored, ...rest } = converted;
      parameters = rest;
      this.#validate = zodArgumentsValidator(given);
    } else if (typeof given === "object" && given !== null && !Array.isArray(given)) {
      parameters = given;
      this.#validate = jsonSchemaArgumentsValidator(name, given);
    } else {
      throw new UserError(`The parameters of tool "${name}" must be a zod object schema or a JSON Schema object.`);
    }
    if (parameters.type !== "object")
      throw new UserError(
        `The parameters of tool "${name}" must describe an object (JSON Schema "type": "object", or z.object(...)); ` +
          `got type ${JSON.stringify(parameters.type)}.`,
      );
    if (options.strict) checkStrict(name, parameters);
    this.schema = { name, description: this.description, parameters, ...(options.strict ? { strict: true } : {}) };
  }

  /**
   * Validate `args` and run the function. `args` is an object, or the raw JSON text the model
   * produced (empty text counts as `{}`). Throws ToolArgumentsError when they do not fit.
   */
  async runJson(args: unknown, context: ToolContext): Promise<Result> {
    const value = parseToolArguments(this.name, args, this.schema.parameters);
    const checked = this.#validate(value);
    if (!checked.ok) throw new ToolArgumentsError(this.name, checked.issues);
    context.cancellationToken.throwIfCancelled();
    return await this.#fn(checked.value as Args, context);
  }

  /** Strings as they are; anything else as JSON (`undefined` becomes "null"). */
  returnValueAsString(value: unknown): string {
    if (typeof value === "string") return value;
    if (value === undefined) return "null";
    try {
      return JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item)) ?? String(value);
    } catch {
      return String(value);
    }
  }
}
