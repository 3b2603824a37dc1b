// Custom chat agents for team tests: they answer by script, record what they were given, and
// honour cancellation the way a real agent must.
import { BaseChatAgent, CancellationToken, createMessage, textMessage } from "agentbook";
import type { AgentMessage, AgentState, ChatMessage, ChatMessageType, Response } from "agentbook";

/** What a scripted agent says in its n-th turn (0-based), given the messages it was handed. */
export type Script = (turn: number, messages: ChatMessage[]) => Response | string;

export interface ScriptedAgentOptions {
  /** Milliseconds each turn takes (honouring cancellation). */
  delayMs?: number;
}

function sleep(ms: number, token: CancellationToken): Promise<void> {
  return token.race(new Promise((resolve) => setTimeout(resolve, ms)));
}

/** Answers by script; remembers every batch of messages it was handed and its turn count. */
export class ScriptedAgent extends BaseChatAgent {
  readonly received: ChatMessage[][] = [];
  readonly lifecycle: string[] = [];
  turns = 0;
  readonly #script: Script;
  readonly #delayMs: number;

  constructor(name: string, script: Script | string[] = (turn) => `${name} turn ${turn + 1}`, options: ScriptedAgentOptions = {}) {
    super(name, `Scripted agent ${name}`);
    this.#script = Array.isArray(script) ? (turn) => script[turn] ?? `${name} has nothing more to say` : script;
    this.#delayMs = options.delayMs ?? 0;
  }

  get producedMessageTypes(): ChatMessageType[] {
    return ["TextMessage"];
  }

  async onMessages(messages: ChatMessage[], cancellationToken: CancellationToken): Promise<Response> {
    this.received.push([...messages]);
    if (this.#delayMs > 0) await sleep(this.#delayMs, cancellationToken);
    cancellationToken.throwIfCancelled();
    const answer = this.#script(this.turns, messages);
    this.turns++;
    return typeof answer === "string" ? { chatMessage: textMessage(this.name, answer) } : answer;
  }

  async onReset(): Promise<void> {
    this.turns = 0;
    this.received.length = 0;
    this.lifecycle.push("reset");
  }

  override async onPause(): Promise<void> {
    this.lifecycle.push("pause");
  }

  override async onResume(): Promise<void> {
    this.lifecycle.push("resume");
  }

  override async saveState(): Promise<AgentState> {
    return { type: "ScriptedAgentState", version: "1.0.0", turns: this.turns };
  }

  override async loadState(state: AgentState): Promise<void> {
    this.turns = state.turns as number;
  }
}

/** Streams its answer word by word as ModelClientStreamingChunkEvents, then answers with the full text. */
export class StreamingAgent extends ScriptedAgent {
  override async *onMessagesStream(messages: ChatMessage[], cancellationToken: CancellationToken) {
    const response = await this.onMessages(messages, cancellationToken);
    const text = (response.chatMessage as { content: string }).content;
    for (const word of text.match(/\S+\s*/g) ?? [])
      yield createMessage("ModelClientStreamingChunkEvent", { source: this.name, content: word, fullMessageId: response.chatMessage.id });
    yield response;
  }
}

/** Throws in its turn. */
export class FailingAgent extends ScriptedAgent {
  constructor(name: string) {
    super(name, () => {
      throw new RangeError("the tool server is down");
    });
  }
}

/** A response whose inner events are given too. */
export function respond(chatMessage: ChatMessage, innerMessages: AgentMessage[] = []): Response {
  return { chatMessage, innerMessages };
}
