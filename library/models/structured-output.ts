/**
 * JSON mode and structured output: what to ask the provider for, and checking what came back.
 */
import type OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { ModelBehaviorError, UserError } from "../errors.ts";
import type { CreateOptions, ModelInfo, ParseableSchema } from "./types.ts";

type ResponseFormat = OpenAI.Chat.Completions.ChatCompletionCreateParams["response_format"];

/** True for a zod 4 (or 3) schema, which the openai SDK can turn into a strict JSON Schema. */
function isZodSchema(schema: ParseableSchema): boolean {
  return typeof schema === "object" && schema !== null && ("_zod" in schema || "_def" in schema);
}

/** The JSON Schema a zod schema describes, for cache keys and display; undefined for other parseable schemas. */
export function jsonSchemaOf(schema: ParseableSchema): Record<string, unknown> | undefined {
  const withMethod = schema as { toJSONSchema?: () => unknown };
  if (typeof withMethod.toJSONSchema === "function") return withMethod.toJSONSchema() as Record<string, unknown>;
  return undefined;
}

/** The `response_format` for `jsonOutput`, after checking that the model supports it. */
export function responseFormatFor(jsonOutput: CreateOptions["jsonOutput"], modelInfo: ModelInfo, model: string): ResponseFormat | undefined {
  if (jsonOutput === undefined || jsonOutput === false) return undefined;
  if (jsonOutput === true) {
    if (!modelInfo.jsonOutput)
      throw new UserError(`Model "${model}" does not support JSON mode (modelInfo.jsonOutput is false); drop jsonOutput or use a model that has it.`);
    return { type: "json_object" };
  }
  if (typeof jsonOutput !== "object" || typeof jsonOutput.safeParse !== "function")
    throw new UserError("jsonOutput must be true, false or a zod schema (an object with safeParse).");
  if (!modelInfo.structuredOutput)
    throw new UserError(
      `Model "${model}" does not support structured output (modelInfo.structuredOutput is false); pass jsonOutput: true and validate yourself, or use a model such as gpt-4o.`,
    );
  if (isZodSchema(jsonOutput)) {
    // The SDK's helper makes the schema strict the way the API requires (every field required, no extra fields).
    const format = zodResponseFormat(jsonOutput as never, "response");
    return { type: "json_schema", json_schema: format.json_schema };
  }
  // A schema that can only validate: ask for JSON and check it afterwards.
  return { type: "json_object" };
}

/** Check the model's text against `jsonOutput`: JSON for JSON mode, schema-valid for structured output. */
export function checkJsonOutput(content: string, jsonOutput: CreateOptions["jsonOutput"]): void {
  if (jsonOutput === undefined || jsonOutput === false) return;
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    throw new ModelBehaviorError(`The model was asked for JSON but answered text that is not JSON: ${JSON.stringify(content.slice(0, 200))}.`);
  }
  if (jsonOutput === true) return;
  const parsed = jsonOutput.safeParse(value);
  if (!parsed.success) {
    const issues = (parsed.error as { issues?: Array<{ path?: unknown[]; message?: string }> })?.issues;
    const detail = Array.isArray(issues)
      ? issues.map((issue) => `${(issue.path ?? []).join(".") || "(root)"}: ${issue.message}`).join("; ")
      : String(parsed.error);
    throw new ModelBehaviorError(`The model's JSON does not match the output schema (${detail}): ${JSON.stringify(content.slice(0, 200))}.`);
  }
}
