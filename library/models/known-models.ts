import { UserError } from "../errors.ts";
import type { ModelInfo } from "./types.ts";

const full = (family: string): ModelInfo => ({
  vision: true,
  functionCalling: true,
  jsonOutput: true,
  structuredOutput: true,
  family,
  multipleSystemMessages: true,
});

/**
 * Capabilities of OpenAI models by name. A dated snapshot (`gpt-4o-2024-08-06`) matches its
 * base name through the longest-prefix rule in `knownModelInfo`.
 */
const KNOWN_MODELS: Record<string, ModelInfo> = {
  "gpt-5": full("gpt-5"),
  "gpt-5-mini": full("gpt-5"),
  "gpt-5-nano": full("gpt-5"),
  "gpt-5-chat": full("gpt-5"),
  "gpt-5.1": full("gpt-5"),
  "gpt-5.2": full("gpt-5"),
  "gpt-4.1": full("gpt-4.1"),
  "gpt-4.1-mini": full("gpt-4.1"),
  "gpt-4.1-nano": full("gpt-4.1"),
  "gpt-4.5-preview": full("gpt-4.5"),
  "gpt-4o": full("gpt-4o"),
  "gpt-4o-mini": full("gpt-4o"),
  "chatgpt-4o-latest": { ...full("gpt-4o"), functionCalling: false, structuredOutput: false },
  "gpt-4-turbo": { ...full("gpt-4"), structuredOutput: false },
  "gpt-4": { ...full("gpt-4"), vision: false, jsonOutput: false, structuredOutput: false },
  "gpt-3.5-turbo": { ...full("gpt-35"), vision: false, structuredOutput: false },
  o1: full("o1"),
  "o1-mini": { vision: false, functionCalling: false, jsonOutput: false, structuredOutput: false, family: "o1", multipleSystemMessages: false },
  "o1-preview": { vision: false, functionCalling: false, jsonOutput: false, structuredOutput: false, family: "o1", multipleSystemMessages: false },
  "o1-pro": full("o1"),
  o3: full("o3"),
  "o3-mini": { ...full("o3"), vision: false },
  "o3-pro": full("o3"),
  "o4-mini": full("o4"),
};

/** The capabilities of a known OpenAI model, or undefined for a model agentbook does not know. */
export function knownModelInfo(model: string): ModelInfo | undefined {
  const exact = KNOWN_MODELS[model];
  if (exact) return { ...exact };
  let best: string | undefined;
  for (const name of Object.keys(KNOWN_MODELS)) {
    // "gpt-4o-2024-08-06" matches "gpt-4o"; "gpt-4o-mini-2024-07-18" matches the longer "gpt-4o-mini".
    if (model.startsWith(`${name}-`) && (!best || name.length > best.length)) best = name;
  }
  return best ? { ...KNOWN_MODELS[best]! } : undefined;
}

/** What `modelClientFromEnv` assumes about a local model it cannot look up: it can do everything, so agents send tools and JSON requests. */
export const PERMISSIVE_MODEL_INFO: Readonly<ModelInfo> = Object.freeze({
  vision: true,
  functionCalling: true,
  jsonOutput: true,
  structuredOutput: true,
  family: "unknown",
  multipleSystemMessages: true,
});

/** The capabilities of `model`: the ones passed, or the table's; a UserError for an unknown model without `modelInfo`. */
export function resolveModelInfo(model: string, modelInfo: ModelInfo | undefined, where: string): ModelInfo {
  if (typeof model !== "string" || model.trim() === "")
    throw new UserError(`${where} needs a model name, for example { model: "gpt-4o-mini" }.`);
  if (modelInfo) return modelInfo;
  const known = knownModelInfo(model);
  if (known) return known;
  throw new UserError(
    `Model "${model}" is not one agentbook knows, so its capabilities are unknown. Pass modelInfo, for example ` +
      `new ${where}({ model: "${model}", modelInfo: { vision: false, functionCalling: true, jsonOutput: true, structuredOutput: true, family: "unknown" } }) ` +
      "(this is how Ollama, vLLM and LM Studio models are used).",
  );
}
