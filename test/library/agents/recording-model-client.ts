import { ReplayChatCompletionClient } from "agentbook";
import type {
  ChatCompletionClient,
  CreateOptions,
  CreateResult,
  FunctionCall,
  LLMMessage,
  ModelInfo,
  RequestUsage,
  ReplayChatCompletionClientOptions,
} from "agentbook";

/** What the model was asked on one call. */
export interface RecordedCall {
  messages: LLMMessage[];
  options: CreateOptions;
}

/**
 * The replay model, plus a record of every request it received, so tests can assert what the
 * model saw (its context, the tools offered, the output schema).
 */
export class RecordingModelClient implements ChatCompletionClient {
  readonly calls: RecordedCall[] = [];
  readonly replay: ReplayChatCompletionClient;

  constructor(responses: Array<string | CreateResult>, options: ReplayChatCompletionClientOptions = {}) {
    this.replay = new ReplayChatCompletionClient(responses, options);
  }

  get modelInfo(): ModelInfo {
    return this.replay.modelInfo;
  }

  #record(messages: readonly LLMMessage[], options: CreateOptions): void {
    this.calls.push({ messages: structuredClone([...messages]), options });
  }

  create(messages: readonly LLMMessage[], options: CreateOptions = {}): Promise<CreateResult> {
    this.#record(messages, options);
    return this.replay.create(messages, options);
  }

  createStream(messages: readonly LLMMessage[], options: CreateOptions = {}): AsyncIterable<string | CreateResult> {
    this.#record(messages, options);
    return this.replay.createStream(messages, options);
  }

  actualUsage(): RequestUsage {
    return this.replay.actualUsage();
  }

  totalUsage(): RequestUsage {
    return this.replay.totalUsage();
  }

  countTokens(messages: readonly LLMMessage[]): number {
    return this.replay.countTokens(messages);
  }

  async close(): Promise<void> {}
}

/** A scripted model answer that calls tools. */
export function toolCalls(...calls: Array<[name: string, args: string | Record<string, unknown>]>): CreateResult {
  const content: FunctionCall[] = calls.map(([name, args], index) => ({
    id: `call_${name}_${index}_${Math.random().toString(36).slice(2, 8)}`,
    name,
    arguments: typeof args === "string" ? args : JSON.stringify(args),
  }));
  return { finishReason: "function_calls", content, usage: { promptTokens: 20, completionTokens: 8 }, cached: false };
}

/** A scripted text answer with reasoning. */
export function withThought(content: string, thought: string): CreateResult {
  return { finishReason: "stop", content, thought, usage: { promptTokens: 20, completionTokens: 8 }, cached: false };
}
