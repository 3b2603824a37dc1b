import { AzureOpenAI } from "openai";
import { UserError } from "../errors.ts";
import { BaseOpenAIChatCompletionClient, type OpenAIClientCommonOptions } from "./base-openai-chat-completion-client.ts";
import { resolveModelInfo } from "./known-models.ts";
import { displayURL } from "./openai-errors.ts";

/** The Azure OpenAI API version used when none is given (a GA version with structured outputs). */
export const DEFAULT_AZURE_API_VERSION = "2024-10-21";

/** Options of `AzureOpenAIChatCompletionClient`. */
export interface AzureOpenAIChatCompletionClientOptions extends Omit<OpenAIClientCommonOptions, "model"> {
  /** The resource endpoint, for example `https://my-resource.openai.azure.com`. */
  azureEndpoint: string;
  /** The deployment that serves the model. */
  azureDeployment: string;
  /** API version (default `DEFAULT_AZURE_API_VERSION`). */
  apiVersion?: string;
  /** The resource key; defaults to `AZURE_OPENAI_API_KEY`. Give this or `azureAdTokenProvider`. */
  apiKey?: string;
  /** Returns a Microsoft Entra ID token, for keyless authentication. */
  azureAdTokenProvider?: () => Promise<string>;
  /** The model behind the deployment, to look up its capabilities (default: the deployment name). */
  model?: string;
}

/**
 * A model deployed on Azure OpenAI. Same behaviour as `OpenAIChatCompletionClient`
 * (one implementation); only the URL shape and the authentication differ.
 */
export class AzureOpenAIChatCompletionClient extends BaseOpenAIChatCompletionClient {
  /** The options the client was built with, the API key left out (what `dumpComponent` records). */
  readonly options: Readonly<Omit<AzureOpenAIChatCompletionClientOptions, "apiKey">>;
  /** Whether requests carry an API key (false with `azureAdTokenProvider`). */
  readonly sendsApiKey: boolean;

  constructor(options: AzureOpenAIChatCompletionClientOptions) {
    if (!options || typeof options !== "object" || !options.azureEndpoint || !options.azureDeployment)
      throw new UserError(
        'AzureOpenAIChatCompletionClient needs azureEndpoint and azureDeployment, for example { azureEndpoint: "https://my-resource.openai.azure.com", azureDeployment: "gpt-4o" }.',
      );
    const model = options.model ?? options.azureDeployment;
    const modelInfo = resolveModelInfo(model, options.modelInfo, "AzureOpenAIChatCompletionClient");
    const apiKey = options.azureAdTokenProvider ? undefined : (options.apiKey ?? process.env.AZURE_OPENAI_API_KEY);
    if (!apiKey && !options.azureAdTokenProvider)
      throw new UserError(
        "AzureOpenAIChatCompletionClient needs a key: set AZURE_OPENAI_API_KEY, pass apiKey, or pass azureAdTokenProvider for Entra ID.",
      );
    if (options.apiKey && options.azureAdTokenProvider)
      throw new UserError("Pass either apiKey or azureAdTokenProvider to AzureOpenAIChatCompletionClient, not both.");
    const apiVersion = options.apiVersion ?? DEFAULT_AZURE_API_VERSION;
    let endpoint: URL;
    try {
      endpoint = new URL(options.azureEndpoint);
    } catch {
      throw new UserError(`azureEndpoint ${JSON.stringify(options.azureEndpoint)} is not a URL; use https://<resource>.openai.azure.com.`);
    }
    const sdk = new AzureOpenAI({
      endpoint: endpoint.toString(),
      deployment: options.azureDeployment,
      apiVersion,
      ...(apiKey ? { apiKey } : { azureADTokenProvider: options.azureAdTokenProvider }),
      timeout: options.timeout,
      maxRetries: 0,
      defaultHeaders: options.defaultHeaders,
    });
    super(sdk, { ...options, model, modelInfo }, {
      provider: "Azure OpenAI",
      baseURL: `${displayURL(endpoint.toString())}/openai/deployments/${options.azureDeployment}`,
      keyHint: "AZURE_OPENAI_API_KEY (or the apiKey option)",
      model,
      secrets: apiKey ? [apiKey] : [],
    });
    const { apiKey: _secret, ...rest } = options;
    this.options = Object.freeze({ ...rest });
    this.sendsApiKey = Boolean(apiKey);
  }
}
