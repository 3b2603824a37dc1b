import { UserError } from "../errors.ts";
import type { LLMMessage } from "../models/types.ts";

/** Saved messages of a model context: plain JSON, so it survives `JSON.stringify`. */
export interface ChatCompletionContextState {
  messages: LLMMessage[];
}

/**
 * What an agent keeps of its conversation and shows the model. Every context stores all
 * messages; implementations differ in the view `getMessages` returns (all, the last N, head and tail...).
 */
export interface ChatCompletionContext {
  /** Append a message. */
  addMessage(message: LLMMessage): Promise<void>;
  /** The messages to send to the model, after windowing. */
  getMessages(): Promise<LLMMessage[]>;
  /** Forget every message. */
  clear(): Promise<void>;
  /** All stored messages as plain JSON. */
  saveState(): Promise<ChatCompletionContextState>;
  /** Replace the stored messages with saved ones. */
  loadState(state: ChatCompletionContextState): Promise<void>;
}

/** Options every built-in context accepts. */
export interface ChatCompletionContextOptions {
  /** Messages the context starts with (for example a few-shot example). */
  initialMessages?: readonly LLMMessage[];
}

/** Stores messages in memory; subclasses choose the view. */
export abstract class BaseChatCompletionContext implements ChatCompletionContext {
  protected messages: LLMMessage[];
  readonly #initialMessages: readonly LLMMessage[];

  constructor(options: ChatCompletionContextOptions = {}) {
    this.#initialMessages = [...(options.initialMessages ?? [])];
    this.messages = [...this.#initialMessages];
  }

  /** The messages the context starts with (a copy). */
  get initialMessages(): LLMMessage[] {
    return structuredClone([...this.#initialMessages]);
  }

  async addMessage(message: LLMMessage): Promise<void> {
    this.messages.push(message);
  }

  abstract getMessages(): Promise<LLMMessage[]>;

  /** Forget every message, the initial ones included (as a fresh agent after `reset()` would). */
  async clear(): Promise<void> {
    this.messages = [];
  }

  async saveState(): Promise<ChatCompletionContextState> {
    return { messages: structuredClone(this.messages) };
  }

  async loadState(state: ChatCompletionContextState): Promise<void> {
    if (!state || !Array.isArray(state.messages))
      throw new UserError(
        `A model context state needs a "messages" array; got ${JSON.stringify(state)?.slice(0, 80)}. Pass what saveState() returned.`,
      );
    this.messages = structuredClone(state.messages);
  }
}
