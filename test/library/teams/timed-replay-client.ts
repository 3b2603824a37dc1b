// A replay model that takes a while to answer and records when each call started and ended, so
// tests can tell whether agents worked at the same time.
import type { CreateOptions, CreateResult, LLMMessage } from "agentbook";
import { RecordingReplayClient } from "./recording-replay-client.ts";

export class TimedReplayClient extends RecordingReplayClient {
  readonly calls: Array<{ start: number; end: number }> = [];
  readonly #delayMs: number;

  constructor(responses: ReadonlyArray<string | CreateResult>, delayMs: number) {
    super(responses);
    this.#delayMs = delayMs;
  }

  override async create(messages: readonly LLMMessage[], options: CreateOptions = {}): Promise<CreateResult> {
    const start = performance.now();
    const wait = new Promise((resolve) => setTimeout(resolve, this.#delayMs));
    await (options.cancellationToken ? options.cancellationToken.race(wait) : wait);
    const result = await super.create(messages, options);
    this.calls.push({ start, end: performance.now() });
    return result;
  }
}

/** True when the two time spans overlap. */
export function overlap(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}
