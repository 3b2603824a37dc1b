import { randomUUID } from "node:crypto";
import { UserError } from "../errors.ts";
import type { Agent, AgentFactory, AgentStateRecord, AgentType } from "./agent.ts";
import { AgentId, validateAgentType } from "./agent-id.ts";
import { AgentInstantiationContext } from "./agent-instantiation-context.ts";
import type { AgentRuntime, PublishMessageOptions, RegisterOptions, SendMessageOptions } from "./agent-runtime.ts";
import { AsyncQueue } from "./async-queue.ts";
import { CancellationToken } from "./cancellation-token.ts";
import { runInHandlerContext } from "./handler-context.ts";
import { DropMessage, MessageDroppedError } from "./intervention-handler.ts";
import type { InterventionHandler } from "./intervention-handler.ts";
import type { MessageContext } from "./message-context.ts";
import { describeMessage } from "./routed-agent.ts";
import type { Subscription } from "./subscription.ts";
import { TopicId } from "./topic-id.ts";

/** Options of SingleThreadedAgentRuntime. */
export interface SingleThreadedAgentRuntimeOptions {
  /** Called in order for every message before it is delivered; each may change or drop it. */
  interventionHandlers?: InterventionHandler[];
  /**
   * true (default): an error thrown by a handler of a published message is reported to
   * `onUnhandledError` and processing goes on. false: `stop()` and `stopWhenIdle()` reject with it.
   */
  ignoreUnhandledExceptions?: boolean;
  /** Where errors of published-message handlers are reported (default: console.error). */
  onUnhandledError?: (error: unknown, context: { agentId: AgentId; message: unknown }) => void;
}

interface Settle {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface SendEnvelope extends Settle {
  kind: "send";
  message: unknown;
  sender?: AgentId;
  recipient: AgentId;
  cancellationToken: CancellationToken;
  messageId: string;
}

interface PublishEnvelope {
  kind: "publish";
  message: unknown;
  sender?: AgentId;
  topicId: TopicId;
  cancellationToken: CancellationToken;
  messageId: string;
}

interface ResponseEnvelope extends Settle {
  kind: "response";
  message: unknown;
  sender: AgentId;
  recipient?: AgentId;
  messageId: string;
}

type Envelope = SendEnvelope | PublishEnvelope | ResponseEnvelope;

function interventionResultError(handlerMethod: string): UserError {
  return new UserError(
    `An intervention handler's ${handlerMethod} returned undefined; return the message (changed or not) or DropMessage.`,
  );
}

/**
 * The in-process agent runtime. Messages go through one queue, in order: intervention handlers
 * see each message as it leaves the queue, then its handler starts without waiting for the
 * previous one, so different agents work concurrently while each RoutedAgent handles its own
 * messages one at a time in arrival order. Agents are created lazily, one per AgentId, by the
 * factory registered for their type.
 *
 * ```ts
 * const runtime = new SingleThreadedAgentRuntime();
 * await runtime.registerFactory("echo", () => new EchoAgent());
 * runtime.start();
 * const reply = await runtime.sendMessage({ type: "Ping" }, new AgentId("echo", "default"));
 * await runtime.stopWhenIdle();
 * ```
 */
export class SingleThreadedAgentRuntime implements AgentRuntime {
  readonly #interventionHandlers: InterventionHandler[];
  readonly #ignoreUnhandledExceptions: boolean;
  readonly #onUnhandledError?: SingleThreadedAgentRuntimeOptions["onUnhandledError"];
  #factories = new Map<string, AgentFactory>();
  #instances = new Map<string, Promise<Agent>>();
  #subscriptions = new Map<string, Subscription>();
  #queue = new AsyncQueue<Envelope>();
  #stopToken?: CancellationToken;
  #loop?: Promise<void>;
  /** Envelopes queued or being processed by the loop. */
  #pending = 0;
  /** Handlers started and not finished. */
  #inFlight = 0;
  #idleWaiters: Array<() => void> = [];
  #unhandledErrors: unknown[] = [];

  constructor(options: SingleThreadedAgentRuntimeOptions = {}) {
    this.#interventionHandlers = [...(options.interventionHandlers ?? [])];
    this.#ignoreUnhandledExceptions = options.ignoreUnhandledExceptions ?? true;
    this.#onUnhandledError = options.onUnhandledError;
  }

  /** True between `start()` and `stop()`. */
  get isRunning(): boolean {
    return this.#loop !== undefined;
  }

  /** Messages waiting in the queue or being processed (handlers excluded). */
  get unprocessedMessageCount(): number {
    return this.#pending;
  }

  // ---- registration ---------------------------------------------------------------------------

  async registerFactory(type: string, factory: AgentFactory): Promise<AgentType> {
    validateAgentType(type);
    if (typeof factory !== "function")
      throw new UserError(`registerFactory("${type}", factory) needs a function that returns the agent.`);
    if (this.#factories.has(type))
      throw new UserError(`Agent type "${type}" is already registered in this runtime; pick another type name.`);
    this.#factories.set(type, factory);
    return { type };
  }

  async register(type: string, factory: AgentFactory, options: RegisterOptions = {}): Promise<AgentType> {
    const registered = await this.registerFactory(type, factory);
    for (const subscription of options.subscriptions ?? [])
      await this.addSubscription(typeof subscription === "function" ? subscription(type) : subscription);
    return registered;
  }

  async registerAgentInstance(agent: Agent, agentId: AgentId): Promise<AgentId> {
    const id = AgentId.from(agentId);
    if (this.#factories.has(id.type))
      throw new UserError(`Agent type "${id.type}" is registered with a factory; register the instance under another type.`);
    const bindable = agent as Agent & { bindIdAndRuntime?: (id: AgentId, runtime: AgentRuntime) => void };
    if (typeof bindable.bindIdAndRuntime === "function") bindable.bindIdAndRuntime(id, this);
    else if (!id.equals(agent.id))
      throw new UserError(`The agent's id ${String(agent.id)} differs from ${id.toString()}; register it under its own id.`);
    if (this.#instances.has(id.toString()))
      throw new UserError(`An agent already lives at ${id.toString()}; use another key.`);
    this.#factories.set(id.type, () => {
      throw new UserError(`Agent type "${id.type}" holds one registered instance (key "${id.key}"); there is no factory for other keys.`);
    });
    this.#instances.set(id.toString(), Promise.resolve(agent));
    return id;
  }

  async addSubscription(subscription: Subscription): Promise<void> {
    if (this.#subscriptions.has(subscription.id))
      throw new UserError(`A subscription with id "${subscription.id}" already exists; give the new one another id.`);
    this.#subscriptions.set(subscription.id, subscription);
  }

  async removeSubscription(id: string): Promise<void> {
    if (!this.#subscriptions.delete(id)) throw new UserError(`No subscription with id "${id}" exists in this runtime.`);
  }

  /** The AgentId for `type` and `key`, creating the agent now unless `lazy` (default true). */
  async get(type: string, key = "default", options: { lazy?: boolean } = {}): Promise<AgentId> {
    const id = new AgentId(type, key);
    if (options.lazy === false) await this.#getAgent(id);
    else if (!this.#factories.has(type)) throw this.#unknownType(type);
    return id;
  }

  async getUnderlyingAgentInstance<A extends Agent = Agent>(agentId: AgentId): Promise<A> {
    return (await this.#getAgent(AgentId.from(agentId))) as A;
  }

  #unknownType(type: string): UserError {
    const known = [...this.#factories.keys()];
    return new UserError(
      `No agent type "${type}" is registered in this runtime; register it with runtime.registerFactory("${type}", factory) first` +
        (known.length ? ` (registered: ${known.join(", ")}).` : "."),
    );
  }

  #getAgent(id: AgentId): Promise<Agent> {
    const key = id.toString();
    let agent = this.#instances.get(key);
    if (!agent) {
      const factory = this.#factories.get(id.type);
      if (!factory) return Promise.reject(this.#unknownType(id.type));
      agent = (async () => {
        const instantiation = { id, runtime: this };
        const made = await AgentInstantiationContext.run(instantiation, () => factory(instantiation));
        if (!made || typeof made.onMessage !== "function")
          throw new UserError(`The factory of agent type "${id.type}" returned ${String(made)}; it must return an agent (a RoutedAgent, for example).`);
        if (!id.equals(made.id))
          throw new UserError(
            `The factory of agent type "${id.type}" returned an agent whose id is ${String(made.id)}, not ${key}; construct the agent inside the factory.`,
          );
        return made;
      })();
      this.#instances.set(key, agent);
      // A factory that failed may succeed next time (a missing file was created, ...).
      agent.catch(() => this.#instances.delete(key));
    }
    return agent;
  }

  // ---- messaging ------------------------------------------------------------------------------

  sendMessage(message: unknown, recipient: AgentId, options: SendMessageOptions = {}): Promise<unknown> {
    const cancellationToken = options.cancellationToken ?? new CancellationToken();
    let id: AgentId;
    try {
      id = AgentId.from(recipient);
    } catch (error) {
      return Promise.reject(error);
    }
    const reply = new Promise<unknown>((resolve, reject) => {
      this.#enqueue({
        kind: "send",
        message,
        sender: options.sender,
        recipient: id,
        cancellationToken,
        messageId: options.messageId ?? randomUUID(),
        resolve,
        reject,
      });
    });
    return cancellationToken.race(reply);
  }

  async publishMessage(message: unknown, topicId: TopicId, options: PublishMessageOptions = {}): Promise<void> {
    const topic = topicId instanceof TopicId ? topicId : new TopicId((topicId as TopicId).type, (topicId as TopicId).source);
    this.#enqueue({
      kind: "publish",
      message,
      sender: options.sender,
      topicId: topic,
      cancellationToken: options.cancellationToken ?? new CancellationToken(),
      messageId: options.messageId ?? randomUUID(),
    });
  }

  #enqueue(envelope: Envelope): void {
    this.#pending++;
    this.#queue.put(envelope);
  }

  // ---- processing -----------------------------------------------------------------------------

  /** Start processing queued and future messages. */
  start(): void {
    if (this.isRunning) throw new UserError("The runtime is already started; call stop() before starting it again.");
    const stopToken = new CancellationToken();
    this.#stopToken = stopToken;
    this.#loop = this.#runLoop(stopToken);
  }

  /** Stop taking messages from the queue at once; messages left in it wait for the next `start()`. */
  async stop(): Promise<void> {
    if (!this.#loop) return;
    const loop = this.#loop;
    this.#stopToken!.cancel("runtime stopped");
    await loop;
    this.#loop = undefined;
    this.#stopToken = undefined;
    this.#throwUnhandled();
  }

  /** Wait until the queue is empty and no handler is running, then stop. */
  async stopWhenIdle(): Promise<void> {
    if (!this.isRunning) throw new UserError("The runtime is not running; call start() first.");
    if (!this.#isIdle()) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    await this.stop();
  }

  /** Stop, then close every agent created so far. */
  async close(): Promise<void> {
    await this.stop();
    for (const agent of this.#instances.values()) {
      try {
        await (await agent).close();
      } catch {
        // An agent that cannot be made or closed must not keep the others open.
      }
    }
  }

  #isIdle(): boolean {
    return this.#pending === 0 && this.#inFlight === 0;
  }

  #checkIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #throwUnhandled(): void {
    if (this.#ignoreUnhandledExceptions || this.#unhandledErrors.length === 0) return;
    const [first] = this.#unhandledErrors;
    this.#unhandledErrors = [];
    throw first;
  }

  async #runLoop(stopToken: CancellationToken): Promise<void> {
    while (!stopToken.isCancelled) {
      let envelope: Envelope;
      try {
        envelope = await this.#queue.get(stopToken);
      } catch {
        break;
      }
      try {
        await this.#process(envelope);
      } catch (error) {
        this.#reportUnhandled(error, undefined, envelope.message);
      } finally {
        this.#pending--;
        this.#checkIdle();
      }
      if (!this.#ignoreUnhandledExceptions && this.#unhandledErrors.length > 0) break;
    }
    if (!this.#ignoreUnhandledExceptions && this.#unhandledErrors.length > 0) this.#checkIdleAfterFailure();
  }

  /** A failing runtime stops; whoever waits for idleness must not wait forever. */
  #checkIdleAfterFailure(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #track(work: Promise<void>): void {
    this.#inFlight++;
    void work.finally(() => {
      this.#inFlight--;
      this.#checkIdle();
    });
  }

  async #process(envelope: Envelope): Promise<void> {
    switch (envelope.kind) {
      case "send": {
        if (envelope.cancellationToken.isCancelled) {
          envelope.reject(envelope.cancellationToken.signal.reason);
          return;
        }
        let message = envelope.message;
        for (const handler of this.#interventionHandlers) {
          if (!handler.onSend) continue;
          try {
            message = await handler.onSend(message, {
              sender: envelope.sender,
              recipient: envelope.recipient,
              messageId: envelope.messageId,
              cancellationToken: envelope.cancellationToken,
            });
          } catch (error) {
            envelope.reject(error);
            return;
          }
          if (message === undefined) return envelope.reject(interventionResultError("onSend"));
          if (message === DropMessage)
            return envelope.reject(
              new MessageDroppedError(`An intervention handler dropped ${describeMessage(envelope.message)} sent to ${envelope.recipient.toString()}.`),
            );
        }
        envelope.message = message;
        this.#track(this.#deliverSend(envelope));
        return;
      }
      case "publish": {
        let message = envelope.message;
        for (const handler of this.#interventionHandlers) {
          if (!handler.onPublish) continue;
          message = await handler.onPublish(message, {
            sender: envelope.sender,
            topicId: envelope.topicId,
            messageId: envelope.messageId,
            cancellationToken: envelope.cancellationToken,
          });
          if (message === undefined) throw interventionResultError("onPublish");
          if (message === DropMessage) return;
        }
        envelope.message = message;
        this.#deliverPublish(envelope);
        return;
      }
      case "response": {
        let message = envelope.message;
        for (const handler of this.#interventionHandlers) {
          if (!handler.onResponse) continue;
          try {
            message = await handler.onResponse(message, {
              sender: envelope.sender,
              recipient: envelope.recipient,
              messageId: envelope.messageId,
            });
          } catch (error) {
            envelope.reject(error);
            return;
          }
          if (message === DropMessage)
            return envelope.reject(
              new MessageDroppedError(`An intervention handler dropped the reply of ${envelope.sender.toString()}.`),
            );
        }
        envelope.resolve(message);
        return;
      }
    }
  }

  async #deliverSend(envelope: SendEnvelope): Promise<void> {
    try {
      const agent = await this.#getAgent(envelope.recipient);
      const context: MessageContext = {
        sender: envelope.sender,
        isRpc: true,
        cancellationToken: envelope.cancellationToken,
        messageId: envelope.messageId,
      };
      const reply = await runInHandlerContext(agent.id, () => agent.onMessage(envelope.message, context));
      this.#enqueue({
        kind: "response",
        message: reply,
        sender: envelope.recipient,
        recipient: envelope.sender,
        messageId: envelope.messageId,
        resolve: envelope.resolve,
        reject: envelope.reject,
      });
    } catch (error) {
      envelope.reject(error);
    }
  }

  #deliverPublish(envelope: PublishEnvelope): void {
    const recipients = new Map<string, AgentId>();
    for (const subscription of this.#subscriptions.values()) {
      if (!subscription.isMatch(envelope.topicId)) continue;
      const id = subscription.mapToAgent(envelope.topicId);
      recipients.set(id.toString(), id);
    }
    for (const id of recipients.values()) {
      // An agent does not hear its own publication.
      if (envelope.sender && id.equals(envelope.sender)) continue;
      this.#track(this.#deliverPublished(envelope, id));
    }
  }

  async #deliverPublished(envelope: PublishEnvelope, id: AgentId): Promise<void> {
    try {
      const agent = await this.#getAgent(id);
      const context: MessageContext = {
        sender: envelope.sender,
        topicId: envelope.topicId,
        isRpc: false,
        cancellationToken: envelope.cancellationToken,
        messageId: envelope.messageId,
      };
      await runInHandlerContext(agent.id, () => agent.onMessage(envelope.message, context));
    } catch (error) {
      this.#reportUnhandled(error, id, envelope.message);
    }
  }

  #reportUnhandled(error: unknown, agentId: AgentId | undefined, message: unknown): void {
    if (!this.#ignoreUnhandledExceptions) {
      this.#unhandledErrors.push(error);
      this.#stopToken?.cancel("a handler failed");
      return;
    }
    if (this.#onUnhandledError && agentId) this.#onUnhandledError(error, { agentId, message });
    else console.error(`agentbook runtime: handling ${describeMessage(message)}${agentId ? ` in ${agentId.toString()}` : ""} failed:`, error);
  }

  // ---- state ----------------------------------------------------------------------------------

  async agentSaveState(agentId: AgentId): Promise<AgentStateRecord> {
    return (await this.#getAgent(AgentId.from(agentId))).saveState();
  }

  async agentLoadState(agentId: AgentId, state: AgentStateRecord): Promise<void> {
    await (await this.#getAgent(AgentId.from(agentId))).loadState(state);
  }

  async saveState(): Promise<Record<string, AgentStateRecord>> {
    const state: Record<string, AgentStateRecord> = {};
    for (const [key, agent] of this.#instances) state[key] = await (await agent).saveState();
    return state;
  }

  async loadState(state: Record<string, AgentStateRecord>): Promise<void> {
    if (!state || typeof state !== "object")
      throw new UserError("runtime.loadState needs the object runtime.saveState() returned ({ \"type/key\": state }).");
    for (const [key, agentState] of Object.entries(state)) await this.agentLoadState(AgentId.from(key), agentState);
  }
}
