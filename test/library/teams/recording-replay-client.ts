// A replay model that also records the context of every call, so tests can assert on what the
// model was shown.
import { ReplayChatCompletionClient } from "agentbook";
import type { CreateOptions, CreateResult, LLMMessage } from "agentbook";

export class RecordingReplayClient extends ReplayChatCompletionClient {
  readonly contexts: LLMMessage[][] = [];

  override create(messages: readonly LLMMessage[], options?: CreateOptions): Promise<CreateResult> {
    this.contexts.push(structuredClone([...messages]));
    return super.create(messages, options);
  }

  override createStream(messages: readonly LLMMessage[], options?: CreateOptions): AsyncGenerator<string | CreateResult> {
    this.contexts.push(structuredClone([...messages]));
    return super.createStream(messages, options);
  }
}

/** A context as [type, source, text] rows, system messages left out. */
export function rows(context: readonly LLMMessage[]): Array<[string, string, string]> {
  return context
    .filter((message) => message.type !== "SystemMessage")
    .map((message) => [
      message.type,
      "source" in message ? message.source : "",
      typeof message.content === "string" ? message.content : JSON.stringify(message.content),
    ]);
}
