import OpenAI from "openai";
import { UserError } from "../errors.ts";
import { BaseOpenAIChatCompletionClient, type OpenAIClientCommonOptions } from "./base-openai-chat-completion-client.ts";
import { resolveModelInfo } from "./known-models.ts";
import { displayURL } from "./openai-errors.ts";

const OPENAI_BASE_URL = "https://api.openai.com/v1";

/** Options of `OpenAIChatCompletionClient`. */
export interface OpenAIChatCompletionClientOptions extends OpenAIClientCommonOptions {
  /** API key; defaults to `OPENAI_API_KEY`. Not needed for most local servers. */
  apiKey?: string;
  /** Server URL ending in `/v1`; defaults to `OPENAI_BASE_URL`, then api.openai.com. Point it at Ollama, vLLM or LM Studio to use them. */
  baseURL?: string;
  /** OpenAI organization id. */
  organization?: string;
  /** OpenAI project id. */
  project?: string;
}

/**
 * A model served by OpenAI, or by any server that speaks OpenAI's chat-completions API
 * (Ollama, vLLM, LM Studio: set `baseURL` and `modelInfo`).
 *
 * ```ts
 * const client = new OpenAIChatCompletionClient({ model: "gpt-4o-mini" }); // key from OPENAI_API_KEY
 * const result = await client.create([{ type: "UserMessage", content: "Hi", source: "user" }]);
 * ```
 */
export class OpenAIChatCompletionClient extends BaseOpenAIChatCompletionClient {
  /** The options the client was built with, `baseURL` resolved and the API key left out (what `dumpComponent` records). */
  readonly options: Readonly<Omit<OpenAIChatCompletionClientOptions, "apiKey">>;
  /** Whether requests carry an API key (false for a local server used without one). */
  readonly sendsApiKey: boolean;

  constructor(options: OpenAIChatCompletionClientOptions) {
    if (!options || typeof options !== "object")
      throw new UserError('OpenAIChatCompletionClient needs options, for example { model: "gpt-4o-mini" }.');
    const modelInfo = resolveModelInfo(options.model, options.modelInfo, "OpenAIChatCompletionClient");
    const baseURL = options.baseURL ?? process.env.OPENAI_BASE_URL ?? OPENAI_BASE_URL;
    let parsed: URL;
    try {
      parsed = new URL(baseURL);
    } catch {
      throw new UserError(`baseURL ${JSON.stringify(displayURL(baseURL))} is not a URL; use one like http://127.0.0.1:11434/v1.`);
    }
    if (parsed.username || parsed.password)
      throw new UserError(
        `baseURL ${displayURL(baseURL)} carries a user name or password, which requests cannot send; remove them and pass credentials with apiKey or defaultHeaders.`,
      );
    const official = parsed.hostname === "api.openai.com";
    let apiKey = options.apiKey ?? process.env.OPENAI_API_KEY;
    const sendsApiKey = Boolean(apiKey) && apiKey !== "no-key";
    if (!apiKey) {
      if (official)
        throw new UserError(
          "OPENAI_API_KEY is not set; set it (or pass apiKey), or set OPENAI_BASE_URL for a local server, or run offline with ReplayChatCompletionClient.",
        );
      // Local servers usually ignore the key, but the SDK insists on one.
      apiKey = "no-key";
    }
    const sdk = new OpenAI({
      apiKey,
      baseURL,
      organization: options.organization ?? null,
      project: options.project ?? null,
      timeout: options.timeout,
      maxRetries: 0,
      defaultHeaders: options.defaultHeaders,
    });
    super(sdk, { ...options, modelInfo }, {
      provider: official ? "OpenAI" : "OpenAI-compatible server",
      baseURL: displayURL(baseURL),
      keyHint: official ? "OPENAI_API_KEY (or the apiKey option)" : "the apiKey option (or OPENAI_API_KEY) for this server",
      model: options.model,
      secrets: [apiKey],
    });
    const { apiKey: _secret, ...rest } = options;
    this.options = Object.freeze({ ...rest, baseURL });
    this.sendsApiKey = sendsApiKey;
  }
}
