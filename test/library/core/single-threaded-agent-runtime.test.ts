import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AgentId,
  CancellationToken,
  CancelledError,
  DefaultInterventionHandler,
  DefaultTopicId,
  DropMessage,
  MessageDroppedError,
  RoutedAgent,
  SingleThreadedAgentRuntime,
  TopicId,
  TypePrefixSubscription,
  TypeSubscription,
  UserError,
} from "agentbook";
import type { MessageContext, PublishInterventionContext, SendInterventionContext } from "agentbook";

class Greeting {
  constructor(readonly text: string) {}
}

interface Note {
  type: "Note";
  text: string;
}

/** Replies to Greeting objects and records Note tags it hears on topics. */
class Listener extends RoutedAgent {
  heard: string[] = [];
  contexts: MessageContext[] = [];
  constructor() {
    super("listens");
    this.handle(Greeting, (message) => `hello ${message.text} from ${this.id.toString()}`);
    this.handle<Note>("Note", (message, context) => {
      this.heard.push(message.text);
      this.contexts.push(context);
    });
    this.handle<{ type: "Fail" }>("Fail", () => {
      throw new RangeError("the handler broke on purpose");
    });
  }
  override async saveState() {
    return { heard: [...this.heard] };
  }
  override async loadState(state: Record<string, unknown>) {
    this.heard = [...(state.heard as string[])];
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runtimeWith(types: string[], options: ConstructorParameters<typeof SingleThreadedAgentRuntime>[0] = {}) {
  const runtime = new SingleThreadedAgentRuntime(options);
  const made: string[] = [];
  for (const type of types)
    await runtime.registerFactory(type, ({ id }) => {
      made.push(id.toString());
      return new Listener();
    });
  return { runtime, made };
}

describe("SingleThreadedAgentRuntime", () => {
  it("delivers a sent message to its agent and resolves with the reply", async () => {
    const { runtime } = await runtimeWith(["listener"]);
    runtime.start();
    const reply = await runtime.sendMessage(new Greeting("Ada"), new AgentId("listener", "k1"));
    assert.equal(reply, "hello Ada from listener/k1");
    await runtime.stopWhenIdle();
    assert.equal(runtime.isRunning, false);
  });

  it("rejects the sender's promise with the error the handler threw", async () => {
    const { runtime } = await runtimeWith(["listener"]);
    runtime.start();
    await assert.rejects(runtime.sendMessage({ type: "Fail" }, new AgentId("listener")), (error: Error) => {
      assert.ok(error instanceof RangeError);
      assert.equal(error.message, "the handler broke on purpose");
      return true;
    });
    await assert.rejects(runtime.sendMessage({ type: "Unknown" }, new AgentId("listener")), (error: Error) => {
      return error instanceof UserError && /no handler for a "Unknown" message/.test(error.message);
    });
    await assert.rejects(runtime.sendMessage(new Greeting("x"), new AgentId("nobody")), (error: Error) => {
      return error instanceof UserError && /No agent type "nobody" is registered/.test(error.message);
    });
    await runtime.stop();
  });

  it("creates agents lazily, once per key", async () => {
    const { runtime, made } = await runtimeWith(["listener"]);
    runtime.start();
    assert.deepEqual(made, []);
    await Promise.all([
      runtime.sendMessage(new Greeting("a"), new AgentId("listener", "one")),
      runtime.sendMessage(new Greeting("b"), new AgentId("listener", "one")),
      runtime.sendMessage(new Greeting("c"), new AgentId("listener", "two")),
    ]);
    await runtime.sendMessage(new Greeting("d"), new AgentId("listener", "one"));
    assert.deepEqual(made, ["listener/one", "listener/two"]);
    await runtime.stop();
  });

  it("publishes to every subscriber of the topic type and to no one else", async () => {
    const { runtime } = await runtimeWith(["a", "b", "c", "outsider"]);
    for (const agentType of ["a", "b", "c"]) await runtime.addSubscription(new TypeSubscription({ topicType: "news", agentType }));
    await runtime.addSubscription(new TypeSubscription({ topicType: "sports", agentType: "outsider" }));
    runtime.start();
    await runtime.publishMessage({ type: "Note", text: "rain" } satisfies Note, new TopicId("news", "room1"));
    await runtime.stopWhenIdle();
    for (const agentType of ["a", "b", "c"]) {
      const agent = await runtime.getUnderlyingAgentInstance<Listener>(new AgentId(agentType, "room1"));
      assert.deepEqual(agent.heard, ["rain"]);
      assert.equal(agent.contexts[0]!.isRpc, false);
      assert.equal(agent.contexts[0]!.topicId?.toString(), "news/room1");
    }
    const state = await runtime.saveState();
    assert.deepEqual(Object.keys(state).sort(), ["a/room1", "b/room1", "c/room1"], "the outsider was never created");
  });

  it("matches topic type prefixes and does not echo a publication to its sender", async () => {
    const runtime = new SingleThreadedAgentRuntime();
    class Relay extends RoutedAgent {
      heard: string[] = [];
      constructor() {
        super("relays");
        this.handle<Note>("Note", async (message, context) => {
          this.heard.push(`${context.topicId?.type}:${message.text}`);
          // Publishing from inside a handler: DefaultTopicId takes this agent's key as source.
          if (message.text === "first") await this.publishMessage({ type: "Note", text: "echo" }, new DefaultTopicId("jobs.echo"));
        });
      }
    }
    await runtime.register("relay", () => new Relay(), {
      subscriptions: [(agentType) => new TypePrefixSubscription({ topicTypePrefix: "jobs.", agentType })],
    });
    await runtime.register("other", () => new Relay(), {
      subscriptions: [new TypePrefixSubscription({ topicTypePrefix: "jobs.", agentType: "other" })],
    });
    runtime.start();
    await runtime.publishMessage({ type: "Note", text: "first" }, new TopicId("jobs.new", "k"));
    await runtime.publishMessage({ type: "Note", text: "ignored" }, new TopicId("tasks.new", "k"));
    await runtime.stopWhenIdle();
    const relay = await runtime.getUnderlyingAgentInstance<Relay>(new AgentId("relay", "k"));
    const other = await runtime.getUnderlyingAgentInstance<Relay>(new AgentId("other", "k"));
    assert.deepEqual(relay.heard, ["jobs.new:first", "jobs.echo:echo"], "relay hears the other's echo, not its own");
    assert.deepEqual(other.heard, ["jobs.new:first", "jobs.echo:echo"]);
  });

  it("lets an intervention handler see, change and drop messages", async () => {
    const seen: string[] = [];
    class Policy extends DefaultInterventionHandler {
      override onSend(message: unknown, context: SendInterventionContext) {
        seen.push(`send ${(message as Greeting).text} -> ${context.recipient.toString()}`);
        if ((message as Greeting).text === "forbidden") return DropMessage;
        if ((message as Greeting).text === "bob") return new Greeting("Robert");
        return message;
      }
      override onPublish(message: unknown, context: PublishInterventionContext) {
        seen.push(`publish ${(message as Note).text} on ${context.topicId.type}`);
        return (message as Note).text === "secret" ? DropMessage : message;
      }
      override onResponse(message: unknown) {
        seen.push(`response ${String(message)}`);
        return message;
      }
    }
    const { runtime } = await runtimeWith(["listener"], { interventionHandlers: [new Policy()] });
    await runtime.addSubscription(new TypeSubscription({ topicType: "t", agentType: "listener" }));
    runtime.start();
    assert.equal(await runtime.sendMessage(new Greeting("bob"), new AgentId("listener")), "hello Robert from listener/default");
    await assert.rejects(runtime.sendMessage(new Greeting("forbidden"), new AgentId("listener")), MessageDroppedError);
    await runtime.publishMessage({ type: "Note", text: "secret" }, new TopicId("t"));
    await runtime.publishMessage({ type: "Note", text: "public" }, new TopicId("t"));
    await runtime.stopWhenIdle();
    const listener = await runtime.getUnderlyingAgentInstance<Listener>(new AgentId("listener"));
    assert.deepEqual(listener.heard, ["public"]);
    assert.deepEqual(seen, [
      "send bob -> listener/default",
      "response hello Robert from listener/default",
      "send forbidden -> listener/default",
      "publish secret on t",
      "publish public on t",
    ]);
  });

  it("stopWhenIdle waits for chains of messages that agents send each other", async () => {
    const runtime = new SingleThreadedAgentRuntime();
    const log: number[] = [];
    class Counter extends RoutedAgent {
      constructor() {
        super("counts down");
        this.handle<{ type: "Count"; n: number }>("Count", async (message) => {
          await delay(5);
          log.push(message.n);
          if (message.n > 0) await this.publishMessage({ type: "Count", n: message.n - 1 }, new TopicId("count", `k${message.n - 1}`));
        });
      }
    }
    await runtime.registerFactory("counter", () => new Counter());
    await runtime.addSubscription(new TypeSubscription({ topicType: "count", agentType: "counter" }));
    runtime.start();
    await runtime.sendMessage({ type: "Count", n: 5 }, new AgentId("counter", "first"));
    await runtime.stopWhenIdle();
    assert.deepEqual(log, [5, 4, 3, 2, 1, 0]);
    assert.equal(runtime.unprocessedMessageCount, 0);
  });

  it("handles one agent's messages in order and different agents concurrently", async () => {
    const runtime = new SingleThreadedAgentRuntime();
    const events: string[] = [];
    class Slow extends RoutedAgent {
      constructor() {
        super("slow");
        this.handle<{ type: "Work"; label: string; ms: number }>("Work", async (message) => {
          events.push(`start ${this.id.key}:${message.label}`);
          await delay(message.ms);
          events.push(`end ${this.id.key}:${message.label}`);
        });
      }
    }
    await runtime.registerFactory("slow", () => new Slow());
    runtime.start();
    await Promise.all([
      runtime.sendMessage({ type: "Work", label: "1", ms: 40 }, new AgentId("slow", "a")),
      runtime.sendMessage({ type: "Work", label: "2", ms: 1 }, new AgentId("slow", "a")),
      runtime.sendMessage({ type: "Work", label: "1", ms: 1 }, new AgentId("slow", "b")),
    ]);
    await runtime.stop();
    // a:2 waits for a:1 although it is quicker; b:1 does not wait for a.
    assert.ok(events.indexOf("end a:1") < events.indexOf("start a:2"));
    assert.ok(events.indexOf("end b:1") < events.indexOf("end a:1"));
  });

  it("rejects a cancelled send promptly and hands the token to the handler", async () => {
    const runtime = new SingleThreadedAgentRuntime();
    let handlerSawCancel = false;
    class Waiter extends RoutedAgent {
      constructor() {
        super("waits");
        this.handle<{ type: "Wait" }>("Wait", async (_message, context) => {
          await new Promise<void>((resolve) => context.cancellationToken.addCallback(resolve));
          handlerSawCancel = context.cancellationToken.isCancelled;
        });
      }
    }
    await runtime.registerFactory("waiter", () => new Waiter());
    runtime.start();
    const token = new CancellationToken();
    const started = Date.now();
    setTimeout(() => token.cancel(), 20);
    await assert.rejects(runtime.sendMessage({ type: "Wait" }, new AgentId("waiter"), { cancellationToken: token }), CancelledError);
    assert.ok(Date.now() - started < 1000);
    await runtime.stopWhenIdle();
    assert.equal(handlerSawCancel, true);
  });

  it("saves every agent's state and loads it into a new runtime", async () => {
    const first = await runtimeWith(["listener"]);
    await first.runtime.addSubscription(new TypeSubscription({ topicType: "t", agentType: "listener" }));
    first.runtime.start();
    await first.runtime.publishMessage({ type: "Note", text: "one" }, new TopicId("t", "x"));
    await first.runtime.publishMessage({ type: "Note", text: "two" }, new TopicId("t", "y"));
    await first.runtime.stopWhenIdle();
    const saved = JSON.parse(JSON.stringify(await first.runtime.saveState()));
    assert.deepEqual(saved, { "listener/x": { heard: ["one"] }, "listener/y": { heard: ["two"] } });

    const second = await runtimeWith(["listener"]);
    await second.runtime.loadState(saved);
    const y = await second.runtime.getUnderlyingAgentInstance<Listener>(new AgentId("listener", "y"));
    assert.deepEqual(y.heard, ["two"]);
    assert.deepEqual(await second.runtime.agentSaveState(new AgentId("listener", "x")), { heard: ["one"] });
  });

  it("reports errors of published-message handlers, and rethrows them when asked to", async () => {
    const reported: string[] = [];
    const quiet = await runtimeWith(["listener"], { onUnhandledError: (error, { agentId }) => reported.push(`${agentId}: ${(error as Error).message}`) });
    await quiet.runtime.addSubscription(new TypeSubscription({ topicType: "t", agentType: "listener" }));
    quiet.runtime.start();
    await quiet.runtime.publishMessage({ type: "Fail" }, new TopicId("t"));
    await quiet.runtime.stopWhenIdle();
    assert.deepEqual(reported, ["listener/default: the handler broke on purpose"]);

    const strict = await runtimeWith(["listener"], { ignoreUnhandledExceptions: false });
    await strict.runtime.addSubscription(new TypeSubscription({ topicType: "t", agentType: "listener" }));
    strict.runtime.start();
    await strict.runtime.publishMessage({ type: "Fail" }, new TopicId("t"));
    await assert.rejects(strict.runtime.stopWhenIdle(), /the handler broke on purpose/);
  });

  it("explains misuse: unbound agents, duplicate types, bad ids", async () => {
    const runtime = new SingleThreadedAgentRuntime();
    assert.throws(() => new Listener().id, /not in a runtime yet/);
    await runtime.registerFactory("listener", () => new Listener());
    await assert.rejects(runtime.registerFactory("listener", () => new Listener()), /already registered/);
    assert.throws(() => new AgentId("has space"), UserError);
    assert.throws(() => new TopicId("a/b"), UserError);
    const agent = new Listener();
    await runtime.registerAgentInstance(agent, new AgentId("solo", "only"));
    assert.equal(agent.id.toString(), "solo/only");
    runtime.start();
    assert.equal(await runtime.sendMessage(new Greeting("x"), new AgentId("solo", "only")), "hello x from solo/only");
    await runtime.stop();
  });
  it("routes by match and kind, and stops delivering after removeSubscription", async () => {
    const runtime = new SingleThreadedAgentRuntime();
    class Sorter extends RoutedAgent {
      log: string[] = [];
      constructor() {
        super("sorts");
        this.handle<Note>("Note", (message) => this.log.push(`urgent ${message.text}`), { match: (message) => message.text.startsWith("!") });
        this.handle<Note>("Note", (message) => `asked ${message.text}`, { kind: "rpc" });
        this.handle<Note>("Note", (message) => this.log.push(`heard ${message.text}`), { kind: "event" });
      }
    }
    await runtime.registerFactory("sorter", () => new Sorter());
    const subscription = new TypeSubscription({ topicType: "notes", agentType: "sorter" });
    await runtime.addSubscription(subscription);
    runtime.start();
    assert.equal(await runtime.sendMessage({ type: "Note", text: "q" }, new AgentId("sorter")), "asked q");
    await runtime.publishMessage({ type: "Note", text: "!fire" }, new TopicId("notes"));
    await runtime.publishMessage({ type: "Note", text: "news" }, new TopicId("notes"));
    await runtime.stopWhenIdle();
    await runtime.removeSubscription(subscription.id);
    runtime.start();
    await runtime.publishMessage({ type: "Note", text: "unheard" }, new TopicId("notes"));
    await runtime.stopWhenIdle();
    const sorter = await runtime.getUnderlyingAgentInstance<Sorter>(new AgentId("sorter"));
    assert.deepEqual(sorter.log, ["urgent !fire", "heard news"]);
    await assert.rejects(runtime.removeSubscription(subscription.id), /No subscription/);
  });
});
