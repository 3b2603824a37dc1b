import { UserError } from "../errors.ts";
import { AzureOpenAIChatCompletionClient, DEFAULT_AZURE_API_VERSION } from "./azure-openai-chat-completion-client.ts";
import type { OpenAIClientCommonOptions } from "./base-openai-chat-completion-client.ts";
import { knownModelInfo, PERMISSIVE_MODEL_INFO } from "./known-models.ts";
import { OpenAIChatCompletionClient } from "./openai-chat-completion-client.ts";
import { displayURL } from "./openai-errors.ts";
import { ReplayChatCompletionClient, type ReplayChatCompletionClientOptions } from "./replay-chat-completion-client.ts";
import type { ChatCompletionClient, CreateResult } from "./types.ts";

/** Which kind of model `modelClientFromEnv` picks. */
export type ModelProviderKind = "openai" | "azure" | "openai-compatible" | "offline";

const KINDS: readonly ModelProviderKind[] = ["openai", "azure", "openai-compatible", "offline"];

/** Options of `modelClientFromEnv`. */
export interface ModelClientFromEnvOptions {
  /** Scripted responses for the offline replay model, used when no live model is configured. */
  offline?: ReadonlyArray<string | CreateResult>;
  /** Options of the offline replay model (a chunk delay to make streaming visible, for example). */
  offlineOptions?: ReplayChatCompletionClientOptions;
  /** The model for OpenAI when AGENTBOOK_MODEL is not set (default "gpt-4o-mini"). */
  model?: string;
  /** Do not print which model was picked. */
  quiet?: boolean;
  /** Environment to read (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where the one-line notice goes (default `console.log`). */
  print?: (line: string) => void;
  /** Extra options for a live client (temperature, timeout, maxRetries...). */
  clientOptions?: Partial<Omit<OpenAIClientCommonOptions, "model" | "modelInfo">>;
}

const OFFLINE_NOTICE = "offline replay (set OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT or OPENAI_BASE_URL for a live model)";

/** Notices already printed in this process, per output: each choice is announced once. */
const announced = new WeakMap<(line: string) => void, Set<string>>();

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * The provider `env` selects. Precedence, first match wins:
 * 1. `AGENTBOOK_MODEL_PROVIDER` ("openai", "azure", "openai-compatible" or "offline"), to choose explicitly;
 * 2. `OPENAI_BASE_URL`: an OpenAI-compatible server (OPENAI_API_KEY, if set, is sent to it);
 * 3. `AZURE_OPENAI_ENDPOINT`: Azure OpenAI (needs AZURE_OPENAI_API_KEY);
 * 4. `OPENAI_API_KEY`: OpenAI;
 * 5. otherwise the offline replay model.
 */
export function modelProviderFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ModelProviderKind {
  const forced = nonEmpty(env.AGENTBOOK_MODEL_PROVIDER);
  if (forced) {
    if (!(KINDS as readonly string[]).includes(forced))
      throw new UserError(`AGENTBOOK_MODEL_PROVIDER is "${forced}"; use one of ${KINDS.join(", ")}, or unset it to choose from the other variables.`);
    return forced as ModelProviderKind;
  }
  if (nonEmpty(env.OPENAI_BASE_URL)) return "openai-compatible";
  if (nonEmpty(env.AZURE_OPENAI_ENDPOINT)) return "azure";
  if (nonEmpty(env.OPENAI_API_KEY)) return "openai";
  return "offline";
}

/**
 * The model client the environment asks for: OpenAI, Azure OpenAI, an OpenAI-compatible server
 * (Ollama, vLLM, LM Studio) or, with no configuration, the offline replay model answering with
 * `offline`. Prints one line saying which (once per process per choice); never prints a key.
 *
 * ```ts
 * const modelClient = modelClientFromEnv({ offline: ["Paris is the capital of France."] });
 * ```
 */
export function modelClientFromEnv(options: ModelClientFromEnvOptions = {}): ChatCompletionClient {
  const env = options.env ?? process.env;
  const kind = modelProviderFromEnv(env);
  const extra = options.clientOptions ?? {};
  let client: ChatCompletionClient;
  let notice: string;
  switch (kind) {
    case "openai-compatible": {
      const baseURL = nonEmpty(env.OPENAI_BASE_URL);
      const model = nonEmpty(env.AGENTBOOK_MODEL);
      if (!baseURL)
        throw new UserError("AGENTBOOK_MODEL_PROVIDER is openai-compatible but OPENAI_BASE_URL is not set; set it to the server's URL, for example http://127.0.0.1:11434/v1 for Ollama.");
      if (!model)
        throw new UserError(
          `OPENAI_BASE_URL is set (${displayURL(baseURL)}), so agentbook uses that server; set AGENTBOOK_MODEL to the model it serves, for example AGENTBOOK_MODEL=llama3.2.`,
        );
      client = new OpenAIChatCompletionClient({
        ...extra,
        model,
        baseURL,
        apiKey: nonEmpty(env.OPENAI_API_KEY) ?? "no-key",
        // Local models are usually unknown to the table; assume they can do everything and let the server say otherwise.
        modelInfo: knownModelInfo(model) ?? { ...PERMISSIVE_MODEL_INFO },
      });
      notice = `OpenAI-compatible server at ${displayURL(baseURL)}, model ${model}`;
      break;
    }
    case "azure": {
      const endpoint = nonEmpty(env.AZURE_OPENAI_ENDPOINT);
      const apiKey = nonEmpty(env.AZURE_OPENAI_API_KEY);
      const deployment = nonEmpty(env.AZURE_OPENAI_DEPLOYMENT);
      if (!endpoint) throw new UserError("AGENTBOOK_MODEL_PROVIDER is azure but AZURE_OPENAI_ENDPOINT is not set; set it to https://<resource>.openai.azure.com.");
      if (!apiKey)
        throw new UserError("AZURE_OPENAI_ENDPOINT is set but AZURE_OPENAI_API_KEY is not; set the key, or unset AZURE_OPENAI_ENDPOINT to use another model.");
      if (!deployment)
        throw new UserError("AZURE_OPENAI_ENDPOINT is set but AZURE_OPENAI_DEPLOYMENT is not; set it to the name of your model deployment.");
      const model = nonEmpty(env.AGENTBOOK_MODEL) ?? deployment;
      const apiVersion = nonEmpty(env.AZURE_OPENAI_API_VERSION) ?? DEFAULT_AZURE_API_VERSION;
      client = new AzureOpenAIChatCompletionClient({
        ...extra,
        azureEndpoint: endpoint,
        azureDeployment: deployment,
        apiVersion,
        apiKey,
        model,
        // Deployment names are free-form; an unknown one is assumed capable, like a local model.
        modelInfo: knownModelInfo(model) ?? { ...PERMISSIVE_MODEL_INFO },
      });
      notice = `Azure OpenAI deployment ${deployment} at ${displayURL(endpoint)} (api-version ${apiVersion})`;
      break;
    }
    case "openai": {
      const apiKey = nonEmpty(env.OPENAI_API_KEY);
      if (!apiKey)
        throw new UserError("AGENTBOOK_MODEL_PROVIDER is openai but OPENAI_API_KEY is not set; set it, or choose another provider.");
      const model = nonEmpty(env.AGENTBOOK_MODEL) ?? options.model ?? "gpt-4o-mini";
      client = new OpenAIChatCompletionClient({ ...extra, model, apiKey, baseURL: "https://api.openai.com/v1" });
      notice = `OpenAI ${model}`;
      break;
    }
    case "offline": {
      if (!options.offline || options.offline.length === 0)
        throw new UserError(
          "No live model is configured and no offline responses were given: set OPENAI_API_KEY (or AZURE_OPENAI_ENDPOINT with AZURE_OPENAI_API_KEY, " +
            "or OPENAI_BASE_URL with AGENTBOOK_MODEL), or pass modelClientFromEnv({ offline: [\"scripted answer\", ...] }).",
        );
      client = new ReplayChatCompletionClient(options.offline, options.offlineOptions);
      notice = OFFLINE_NOTICE;
      break;
    }
  }
  const line = `agentbook model: ${notice}`;
  const print = options.print ?? console.log;
  const printed = announced.get(print) ?? new Set<string>();
  announced.set(print, printed);
  if (!options.quiet && !printed.has(line)) {
    printed.add(line);
    print(line);
  }
  return client;
}
