import { UserError } from "../errors.ts";
import type { Agent, AgentStateRecord } from "./agent.ts";
import type { AgentId } from "./agent-id.ts";
import { AgentInstantiationContext } from "./agent-instantiation-context.ts";
import type { AgentRuntime, PublishMessageOptions, SendMessageOptions } from "./agent-runtime.ts";
import type { MessageContext } from "./message-context.ts";
import type { TopicId } from "./topic-id.ts";

/**
 * The base of core agents. Made inside a runtime factory, it learns its id and runtime by
 * itself; its `sendMessage` and `publishMessage` name it as the sender.
 */
export abstract class BaseAgent implements Agent {
  /** What the agent does, for humans and routers. */
  readonly description: string;
  #id?: AgentId;
  #runtime?: AgentRuntime;

  constructor(description = "") {
    this.description = description;
    const instantiation = AgentInstantiationContext.current();
    if (instantiation) {
      this.#id = instantiation.id;
      this.#runtime = instantiation.runtime;
    }
  }

  /** Where the agent lives; known once a runtime created or registered it. */
  get id(): AgentId {
    if (!this.#id)
      throw new UserError(
        `${this.constructor.name} is not in a runtime yet: create it in a factory passed to runtime.registerFactory(type, factory), or call runtime.registerAgentInstance(agent, agentId).`,
      );
    return this.#id;
  }

  /** The runtime the agent lives in. */
  get runtime(): AgentRuntime {
    if (!this.#runtime) void this.id; // throws the explanatory error
    return this.#runtime!;
  }

  /** Called by the runtime when an instance is registered directly; an agent lives in one place only. */
  bindIdAndRuntime(id: AgentId, runtime: AgentRuntime): void {
    if (this.#id && (this.#id.type !== id.type || this.#id.key !== id.key || this.#runtime !== runtime))
      throw new UserError(`${this.constructor.name} already lives at ${this.#id.toString()}; it cannot also be registered as ${id.toString()}.`);
    this.#id = id;
    this.#runtime = runtime;
  }

  /** Handle one message; the return value is the reply when it was sent with `sendMessage`. */
  abstract onMessage(message: unknown, context: MessageContext): Promise<unknown>;

  /** Send `message` to one agent, with this agent as the sender, and wait for its reply. */
  sendMessage(message: unknown, recipient: AgentId, options: Omit<SendMessageOptions, "sender"> = {}): Promise<unknown> {
    return this.runtime.sendMessage(message, recipient, { ...options, sender: this.id });
  }

  /** Publish `message` to a topic, with this agent as the sender (it does not receive it itself). */
  publishMessage(message: unknown, topicId: TopicId, options: Omit<PublishMessageOptions, "sender"> = {}): Promise<void> {
    return this.runtime.publishMessage(message, topicId, { ...options, sender: this.id });
  }

  /** Plain-JSON state; none by default. */
  async saveState(): Promise<AgentStateRecord> {
    return {};
  }

  /** Restore what `saveState` returned. */
  async loadState(_state: AgentStateRecord): Promise<void> {}

  /** Release resources; nothing by default. */
  async close(): Promise<void> {}
}
