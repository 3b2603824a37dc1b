/** zod schemas of the plain-JSON values configs share: model messages, model info, scripted results. */
import { z } from "zod";
import type { ComponentModel } from "./component-model.ts";

/** A nested component, checked in full when it is loaded. */
export const nestedComponentSchema = z.looseObject({
  provider: z.string(),
  config: z.record(z.string(), z.unknown()),
}) as unknown as z.ZodType<ComponentModel>;

export const imageSchema = z.strictObject({ type: z.literal("image"), data: z.string(), mimeType: z.string() });

export const functionCallSchema = z.strictObject({ id: z.string(), name: z.string(), arguments: z.string() });

export const llmMessageSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("SystemMessage"), content: z.string() }),
  z.strictObject({ type: z.literal("UserMessage"), content: z.union([z.string(), z.array(z.union([z.string(), imageSchema]))]), source: z.string() }),
  z.strictObject({
    type: z.literal("AssistantMessage"),
    content: z.union([z.string(), z.array(functionCallSchema)]),
    source: z.string(),
    thought: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal("FunctionExecutionResultMessage"),
    content: z.array(z.strictObject({ callId: z.string(), name: z.string(), content: z.string(), isError: z.boolean() })),
  }),
]);

export const modelInfoSchema = z.strictObject({
  vision: z.boolean(),
  functionCalling: z.boolean(),
  jsonOutput: z.boolean(),
  structuredOutput: z.boolean(),
  family: z.string(),
  multipleSystemMessages: z.boolean().optional(),
});

export const usageSchema = z.strictObject({ promptTokens: z.number(), completionTokens: z.number() });

/** A scripted answer of the replay model: text, or a CreateResult whose omitted fields are filled in. */
export const scriptedResultSchema = z.union([
  z.string(),
  z.strictObject({
    finishReason: z.enum(["stop", "length", "function_calls", "content_filter", "unknown"]).optional(),
    content: z.union([z.string(), z.array(functionCallSchema)]),
    usage: usageSchema.optional(),
    cached: z.boolean().optional(),
    thought: z.string().optional(),
  }),
]);
