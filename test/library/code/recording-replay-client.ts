import { type CreateOptions, type LLMMessage, ReplayChatCompletionClient } from "agentbook";

/** The replay model, keeping what each call was sent so tests can check the prompts. */
export class RecordingReplayClient extends ReplayChatCompletionClient {
  readonly calls: Array<{ messages: LLMMessage[]; options: CreateOptions }> = [];
  override async create(messages: readonly LLMMessage[], options: CreateOptions = {}) {
    this.calls.push({ messages: [...messages], options });
    return super.create(messages, options);
  }
}
