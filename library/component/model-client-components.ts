import { z } from "zod";
import { AzureOpenAIChatCompletionClient } from "../models/azure-openai-chat-completion-client.ts";
import type { OpenAIClientCommonOptions } from "../models/base-openai-chat-completion-client.ts";
import { InMemoryCacheStore } from "../models/cache-store.ts";
import { ChatCompletionCache } from "../models/chat-completion-cache.ts";
import { FileCacheStore } from "../models/file-cache-store.ts";
import { OpenAIChatCompletionClient } from "../models/openai-chat-completion-client.ts";
import { ReplayChatCompletionClient } from "../models/replay-chat-completion-client.ts";
import type { ChatCompletionClient, CreateResult } from "../models/types.ts";
import { defineComponent, type DumpContext } from "./component-definition.ts";
import { envNameSchema, referenceNameSchema } from "./component-references.ts";
import { modelInfoSchema, nestedComponentSchema, scriptedResultSchema } from "./config-schemas.ts";

const OPENAI_BASE_URL = "https://api.openai.com/v1";

/** Header names that may carry credentials; a dump leaves them out. */
const SENSITIVE_HEADER = /auth|key|token|secret|cookie|password|credential|signature/i;

/** The variable a loaded client's key came from, so a dump of it names the same one. */
const apiKeyEnvOf = new WeakMap<object, string>();

const commonShape = {
  model: z.string().min(1),
  modelInfo: modelInfoSchema.optional(),
  timeout: z.number().positive().optional(),
  maxRetries: z.number().int().min(0).optional(),
  maxRetryWaitMs: z.number().min(0).optional(),
  temperature: z.number().optional(),
  maxTokens: z.number().int().positive().optional(),
  seed: z.number().int().optional(),
  topP: z.number().optional(),
  stop: z.union([z.string(), z.array(z.string())]).optional(),
  frequencyPenalty: z.number().optional(),
  presencePenalty: z.number().optional(),
  parallelToolCalls: z.boolean().optional(),
  reasoningEffort: z.enum(["minimal", "low", "medium", "high"]).optional(),
  user: z.string().optional(),
  defaultHeaders: z.record(z.string(), z.string()).optional(),
  includeNameInMessage: z.boolean().optional(),
};

const COMMON_KEYS = Object.keys(commonShape).filter((key) => key !== "defaultHeaders") as Array<keyof OpenAIClientCommonOptions>;

/** The options every OpenAI-speaking client shares, as JSON; headers that may carry credentials are left out with a note. */
function dumpCommon(options: Partial<OpenAIClientCommonOptions>, context: DumpContext): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const key of COMMON_KEYS) if (options[key] !== undefined) config[key] = options[key];
  if (options.defaultHeaders) {
    const kept = Object.entries(options.defaultHeaders).filter(([name]) => !SENSITIVE_HEADER.test(name));
    const dropped = Object.keys(options.defaultHeaders).filter((name) => SENSITIVE_HEADER.test(name));
    if (kept.length > 0) config.defaultHeaders = Object.fromEntries(kept);
    if (dropped.length > 0)
      context.note(
        `defaultHeaders ${dropped.join(", ")} left out: they may carry credentials. Build the client in code to send them.`,
      );
  }
  return config;
}

/** `url` without a query or fragment (which could carry a key), with a note when something was cut. */
function dumpURL(url: string, field: string, context: DumpContext): string {
  try {
    const parsed = new URL(url);
    if (!parsed.search && !parsed.hash) return url;
    parsed.search = "";
    parsed.hash = "";
    context.note(`${field}: its query string was left out (it may carry credentials); add it back by hand if the server needs it.`);
    return parsed.toString();
  } catch {
    return url;
  }
}

export const openAIChatCompletionClientComponent = defineComponent({
  provider: "agentbook.OpenAIChatCompletionClient",
  componentType: "model",
  componentVersion: 1,
  label: "OpenAIChatCompletionClient",
  description: "A model served by OpenAI or an OpenAI-compatible server (Ollama, vLLM, LM Studio).",
  classes: [OpenAIChatCompletionClient],
  configSchema: z.strictObject({
    ...commonShape,
    apiKeyEnv: envNameSchema.optional(),
    baseURL: z.url().optional(),
    organization: z.string().optional(),
    project: z.string().optional(),
  }),
  dump(client: OpenAIChatCompletionClient, context) {
    const { options } = client;
    const apiKeyEnv = apiKeyEnvOf.get(client) ?? (client.sendsApiKey ? "OPENAI_API_KEY" : undefined);
    return {
      ...dumpCommon(options, context),
      model: options.model,
      ...(apiKeyEnv ? { apiKeyEnv } : {}),
      ...(options.baseURL && options.baseURL !== OPENAI_BASE_URL ? { baseURL: dumpURL(options.baseURL, "baseURL", context) } : {}),
      ...(options.organization !== undefined ? { organization: options.organization } : {}),
      ...(options.project !== undefined ? { project: options.project } : {}),
    };
  },
  load({ apiKeyEnv, ...options }, context) {
    const baseURL = options.baseURL ?? OPENAI_BASE_URL;
    if (!apiKeyEnv && new URL(baseURL).hostname === "api.openai.com")
      throw context.error("apiKeyEnv", 'is missing, and api.openai.com needs a key: add "apiKeyEnv": "OPENAI_API_KEY" (the variable that holds it).');
    // Without apiKeyEnv the server gets no key, not whatever OPENAI_API_KEY holds.
    const apiKey = apiKeyEnv ? context.secret(apiKeyEnv, "apiKeyEnv") : "no-key";
    const client = new OpenAIChatCompletionClient({ ...options, baseURL, apiKey });
    if (apiKeyEnv) apiKeyEnvOf.set(client, apiKeyEnv);
    return client;
  },
});

const azureConfigSchema = z.strictObject({
  ...commonShape,
  model: z.string().min(1).optional(),
  azureEndpoint: z.url(),
  azureDeployment: z.string().min(1),
  apiVersion: z.string().optional(),
  apiKeyEnv: envNameSchema.optional(),
  azureAdTokenProvider: referenceNameSchema.optional(),
});
type AzureConfig = z.infer<typeof azureConfigSchema>;

export const azureOpenAIChatCompletionClientComponent = defineComponent({
  provider: "agentbook.AzureOpenAIChatCompletionClient",
  componentType: "model",
  componentVersion: 1,
  label: "AzureOpenAIChatCompletionClient",
  description: "A model deployed on Azure OpenAI.",
  classes: [AzureOpenAIChatCompletionClient],
  configSchema: azureConfigSchema,
  dump(client: AzureOpenAIChatCompletionClient, context) {
    const { options } = client;
    const config: Record<string, unknown> = {
      ...dumpCommon(options, context),
      azureEndpoint: dumpURL(options.azureEndpoint, "azureEndpoint", context),
      azureDeployment: options.azureDeployment,
    };
    if (options.apiVersion !== undefined) config.apiVersion = options.apiVersion;
    if (client.sendsApiKey) config.apiKeyEnv = apiKeyEnvOf.get(client) ?? "AZURE_OPENAI_API_KEY";
    if (options.azureAdTokenProvider) {
      const name = context.functionName(options.azureAdTokenProvider);
      if (name) config.azureAdTokenProvider = name;
      else
        context.note(
          "azureAdTokenProvider left out: it is a function without a name. Dump and load with { functions: { myTokenProvider: fn } } to record it, or set apiKeyEnv.",
        );
    }
    return config as AzureConfig;
  },
  load({ apiKeyEnv, azureAdTokenProvider, ...options }, context) {
    if (!apiKeyEnv && !azureAdTokenProvider)
      throw context.error(
        "apiKeyEnv",
        'is missing: give "apiKeyEnv" (for example "AZURE_OPENAI_API_KEY") or "azureAdTokenProvider" (the name of a registered function) to authenticate.',
      );
    const client = new AzureOpenAIChatCompletionClient(
      azureAdTokenProvider
        ? { ...options, azureAdTokenProvider: context.function<() => Promise<string>>(azureAdTokenProvider, "azureAdTokenProvider") }
        : { ...options, apiKey: context.secret(apiKeyEnv!, "apiKeyEnv") },
    );
    if (apiKeyEnv && !azureAdTokenProvider) apiKeyEnvOf.set(client, apiKeyEnv);
    return client;
  },
});

export const replayChatCompletionClientComponent = defineComponent({
  provider: "agentbook.ReplayChatCompletionClient",
  componentType: "model",
  componentVersion: 1,
  label: "ReplayChatCompletionClient",
  description: "An offline model that answers with scripted responses, in order.",
  classes: [ReplayChatCompletionClient],
  configSchema: z.strictObject({
    responses: z.array(scriptedResultSchema),
    modelInfo: modelInfoSchema.partial().optional(),
    chunkDelayMs: z.number().min(0).optional(),
  }),
  dump(client: ReplayChatCompletionClient) {
    return {
      responses: client.responses as Array<z.infer<typeof scriptedResultSchema>>,
      modelInfo: { ...client.modelInfo },
      ...(client.chunkDelayMs > 0 ? { chunkDelayMs: client.chunkDelayMs } : {}),
    };
  },
  load(config) {
    return new ReplayChatCompletionClient(config.responses as Array<string | CreateResult>, {
      modelInfo: config.modelInfo,
      chunkDelayMs: config.chunkDelayMs,
    });
  },
});

export const chatCompletionCacheComponent = defineComponent({
  provider: "agentbook.ChatCompletionCache",
  componentType: "model",
  componentVersion: 1,
  label: "ChatCompletionCache",
  description: "Answers repeated requests from a store instead of calling the wrapped model.",
  classes: [ChatCompletionCache],
  configSchema: z.strictObject({ client: nestedComponentSchema, store: nestedComponentSchema.optional() }),
  dump(cache: ChatCompletionCache, context) {
    return { client: context.dump(cache.client, "client"), store: context.dump(cache.store, "store") };
  },
  load(config, context) {
    const client = context.load<ChatCompletionClient>(config.client, "client", "model");
    return new ChatCompletionCache(client, config.store ? context.load(config.store, "store", "cache_store") : undefined);
  },
});

export const inMemoryCacheStoreComponent = defineComponent({
  provider: "agentbook.InMemoryCacheStore",
  componentType: "cache_store",
  componentVersion: 1,
  label: "InMemoryCacheStore",
  description: "A cache store that lives as long as the process (its entries are not dumped).",
  classes: [InMemoryCacheStore],
  configSchema: z.strictObject({}),
  dump: () => ({}),
  load: () => new InMemoryCacheStore(),
});

export const fileCacheStoreComponent = defineComponent({
  provider: "agentbook.FileCacheStore",
  componentType: "cache_store",
  componentVersion: 1,
  label: "FileCacheStore",
  description: "A cache store on disk: one JSON file per key in a folder.",
  classes: [FileCacheStore],
  configSchema: z.strictObject({ dir: z.string().min(1) }),
  dump: (store: FileCacheStore) => ({ dir: store.dir }),
  load: (config) => new FileCacheStore(config.dir),
});

/** The model clients and cache stores agentbook can dump and load. */
export const modelClientComponents = [
  openAIChatCompletionClientComponent,
  azureOpenAIChatCompletionClientComponent,
  replayChatCompletionClientComponent,
  chatCompletionCacheComponent,
  inMemoryCacheStoreComponent,
  fileCacheStoreComponent,
];
