import { ModelBehaviorError } from "../errors.ts";
import type { CreateResult } from "../models/types.ts";

/** The text of a model answer; a model that called tools instead broke the contract. */
export function answerText(result: CreateResult, what: string): string {
  if (typeof result.content !== "string")
    throw new ModelBehaviorError(`${what}: the model called tools instead of answering in text; call it without tools, or use a model that follows the prompt.`);
  return result.content;
}

/** Parse JSON from a model answer, allowing a ``` fence around it. */
export function parseModelJson(text: string, what: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const body = (fenced ? fenced[1]! : text).trim();
  const start = body.search(/[[{]/);
  try {
    return JSON.parse(start > 0 ? body.slice(start) : body);
  } catch {
    throw new ModelBehaviorError(`${what}: the model's answer is not JSON: ${JSON.stringify(text.slice(0, 200))}.`);
  }
}
