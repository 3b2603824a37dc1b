import { randomUUID } from "node:crypto";
import type { CancellationToken } from "../core/cancellation-token.ts";
import { input } from "../display/input.ts";
import { AgentbookError, UserError } from "../errors.ts";
import { createMessage } from "../messages/create.ts";
import type { AgentMessage, ChatMessage, ChatMessageType, HandoffMessage, Response } from "../messages/types.ts";
import { BaseChatAgent } from "./base-chat-agent.ts";

/** Asks a human for a reply. `requestId` matches the UserInputRequestedEvent the agent yielded just before. */
export type InputFunc = (
  prompt: string,
  cancellationToken: CancellationToken,
  request: { requestId: string },
) => string | Promise<string>;

/** Options of UserProxyAgent. */
export interface UserProxyAgentOptions {
  /** Unique name; other agents see it as the message source. */
  name: string;
  /** What the agent does, for selectors (default "A human user"). */
  description?: string;
  /** Where the reply comes from (default: `input()`, which the notebook answers in its input box and a script on the terminal). */
  inputFunc?: InputFunc;
}

const defaultInputFunc: InputFunc = (prompt, cancellationToken) => input(prompt, { cancellationToken });

/**
 * An agent that stands for a human: on its turn it asks for input and says what the human typed.
 * When the conversation was handed off to it, it hands the answer back to the agent that asked.
 */
export class UserProxyAgent extends BaseChatAgent {
  readonly #inputFunc: InputFunc;
  readonly #options: Readonly<UserProxyAgentOptions>;

  constructor(options: UserProxyAgentOptions) {
    super(options?.name, options?.description ?? "A human user");
    if (options.inputFunc !== undefined && typeof options.inputFunc !== "function")
      throw new UserError(`UserProxyAgent "${this.name}": inputFunc must be a function (prompt, cancellationToken) => string.`);
    this.#inputFunc = options.inputFunc ?? defaultInputFunc;
    this.#options = Object.freeze({ ...options });
  }

  /** The options the agent was built with, as given (what `dumpComponent` records). */
  get options(): Readonly<UserProxyAgentOptions> {
    return this.#options;
  }

  get producedMessageTypes(): ChatMessageType[] {
    return ["TextMessage", "HandoffMessage"];
  }

  /** The handoff addressed to this agent, when the last message is one. */
  #latestHandoff(messages: ChatMessage[]): HandoffMessage | undefined {
    const last = messages.at(-1);
    if (last?.type !== "HandoffMessage") return undefined;
    if (last.target !== this.name)
      throw new UserError(
        `UserProxyAgent "${this.name}" received a handoff from "${last.source}" addressed to "${last.target}"; route it to that agent instead.`,
      );
    return last;
  }

  async onMessages(messages: ChatMessage[], cancellationToken: CancellationToken): Promise<Response> {
    for await (const item of this.onMessagesStream(messages, cancellationToken)) if ("chatMessage" in item) return item;
    throw new AgentbookError(`UserProxyAgent "${this.name}" ended its turn without a response.`);
  }

  async *onMessagesStream(
    messages: ChatMessage[],
    cancellationToken: CancellationToken,
  ): AsyncGenerator<AgentMessage | Response, void, undefined> {
    const handoff = this.#latestHandoff(messages);
    const prompt = handoff ? `Handoff received from ${handoff.source}. Enter your response: ` : "Enter your response: ";
    const requestId = randomUUID();
    const requested = createMessage("UserInputRequestedEvent", { source: this.name, requestId, content: prompt });
    yield requested;

    let reply: unknown;
    try {
      reply = await cancellationToken.race(Promise.resolve().then(() => this.#inputFunc(prompt, cancellationToken, { requestId })));
    } catch (error) {
      if (cancellationToken.isCancelled) throw error;
      throw new AgentbookError(
        `UserProxyAgent "${this.name}" could not get the user's input: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    if (typeof reply !== "string")
      throw new UserError(`UserProxyAgent "${this.name}": inputFunc must return a string (or a promise of one); got ${typeof reply}.`);

    const chatMessage: ChatMessage = handoff
      ? createMessage("HandoffMessage", { source: this.name, target: handoff.source, content: reply, context: [] })
      : createMessage("TextMessage", { source: this.name, content: reply });
    yield { chatMessage, innerMessages: [requested] };
  }

  async onReset(_cancellationToken: CancellationToken): Promise<void> {}
}
