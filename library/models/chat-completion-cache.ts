import { createHash } from "node:crypto";
import { UserError } from "../errors.ts";
import { InMemoryCacheStore, type CacheStore } from "./cache-store.ts";
import { jsonSchemaOf } from "./structured-output.ts";
import type { ChatCompletionClient, CreateOptions, CreateResult, LLMMessage, ModelInfo, RequestUsage, ToolLike, ToolSchema } from "./types.ts";
import { addUsage, emptyUsage, toolSchemaOf } from "./types.ts";

/** JSON with object keys sorted, so equal values always give equal text. */
function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner && typeof inner === "object" && !Array.isArray(inner)) {
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
      return sorted;
    }
    return inner;
  });
}

/**
 * Wraps any ChatCompletionClient and answers repeated requests from a store, without calling
 * the model: for tests, demos and notebooks re-run while you edit. A hit comes back with
 * `cached: true`; `actualUsage()` counts only calls that reached the model, `totalUsage()` all.
 *
 * ```ts
 * const client = new ChatCompletionCache(new OpenAIChatCompletionClient({ model: "gpt-4o-mini" }), new FileCacheStore(".cache"));
 * ```
 */
export class ChatCompletionCache implements ChatCompletionClient {
  /** The wrapped client. */
  readonly client: ChatCompletionClient;
  /** Where results are kept. */
  readonly store: CacheStore;
  #actual: RequestUsage = emptyUsage();
  #total: RequestUsage = emptyUsage();

  constructor(client: ChatCompletionClient, store: CacheStore = new InMemoryCacheStore()) {
    if (!client || typeof client.create !== "function")
      throw new UserError("ChatCompletionCache needs a ChatCompletionClient to wrap, for example new ChatCompletionCache(modelClient).");
    this.client = client;
    this.store = store;
  }

  get modelInfo(): ModelInfo {
    return this.client.modelInfo;
  }

  /** The key of a request, or undefined when it cannot be keyed (a jsonOutput schema that cannot describe itself). */
  cacheKey(messages: readonly LLMMessage[], options: CreateOptions = {}): string | undefined {
    let jsonOutput: unknown = options.jsonOutput ?? false;
    if (typeof jsonOutput === "object" && jsonOutput !== null) {
      jsonOutput = jsonSchemaOf(options.jsonOutput as Exclude<CreateOptions["jsonOutput"], boolean | undefined>);
      if (jsonOutput === undefined) return undefined;
    }
    const model = (this.client as { model?: unknown }).model;
    const identity = {
      model: typeof model === "string" ? model : this.client.modelInfo.family,
      messages,
      tools: (options.tools ?? []).map(toolSchemaOf),
      toolChoice: options.toolChoice ?? null,
      jsonOutput,
      extraCreateArgs: options.extraCreateArgs ?? {},
    };
    return createHash("sha256").update(stableStringify(identity)).digest("hex");
  }

  async #lookup(key: string | undefined, options: CreateOptions): Promise<CreateResult | undefined> {
    options.cancellationToken?.throwIfCancelled();
    if (key === undefined) return undefined;
    const hit = await this.store.get(key);
    if (!hit) return undefined;
    this.#total = addUsage(this.#total, hit.usage);
    return { ...hit, cached: true };
  }

  async #remember(key: string | undefined, result: CreateResult): Promise<void> {
    this.#actual = addUsage(this.#actual, result.usage);
    this.#total = addUsage(this.#total, result.usage);
    if (key !== undefined) await this.store.set(key, { ...result, cached: false });
  }

  async create(messages: readonly LLMMessage[], options: CreateOptions = {}): Promise<CreateResult> {
    const key = this.cacheKey(messages, options);
    const hit = await this.#lookup(key, options);
    if (hit) return hit;
    const result = await this.client.create(messages, options);
    await this.#remember(key, result);
    return result;
  }

  async *createStream(messages: readonly LLMMessage[], options: CreateOptions = {}): AsyncGenerator<string | CreateResult> {
    const key = this.cacheKey(messages, options);
    const hit = await this.#lookup(key, options);
    if (hit) {
      if (typeof hit.content === "string" && hit.content !== "") yield hit.content;
      yield hit;
      return;
    }
    for await (const item of this.client.createStream(messages, options)) {
      if (typeof item !== "string") await this.#remember(key, item);
      yield item;
    }
  }

  actualUsage(): RequestUsage {
    return { ...this.#actual };
  }

  totalUsage(): RequestUsage {
    return { ...this.#total };
  }

  countTokens(messages: readonly LLMMessage[], options?: { tools?: ReadonlyArray<ToolLike | ToolSchema> }): number {
    return this.client.countTokens(messages, options);
  }

  /** Closes the wrapped client. */
  async close(): Promise<void> {
    await this.client.close();
  }
}
