import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CancellationToken,
  CancelledError,
  createMessage,
  DefaultInterventionHandler,
  ExternalTermination,
  FunctionCallTermination,
  HandoffTermination,
  MaxMessageTermination,
  RoundRobinGroupChat,
  SingleThreadedAgentRuntime,
  SourceMatchTermination,
  StopMessageTermination,
  TeamRunError,
  TextMentionTermination,
  textMessage,
  TimeoutTermination,
  TokenUsageTermination,
  UserError,
} from "agentbook";
import type { AgentMessage, PublishInterventionContext, TaskResult } from "agentbook";
import { FailingAgent, respond, ScriptedAgent, StreamingAgent } from "./scripted-agents.ts";

const sources = (messages: readonly AgentMessage[]) => messages.map((message) => message.source);
const texts = (messages: readonly AgentMessage[]) => messages.map((message) => ("content" in message ? String(message.content) : ""));

function trio(options: { delayMs?: number } = {}) {
  return ["a", "b", "c"].map((name) => new ScriptedAgent(name, undefined, options));
}

describe("RoundRobinGroupChat", () => {
  it("lets the participants speak in order, each hearing what the others said since its last turn", async () => {
    const [a, b, c] = trio();
    const team = new RoundRobinGroupChat({ participants: [a!, b!, c!], terminationCondition: new MaxMessageTermination(7) });
    const result = await team.run({ task: "count" });
    assert.deepEqual(sources(result.messages), ["user", "a", "b", "c", "a", "b", "c"]);
    assert.deepEqual(texts(result.messages).slice(1, 3), ["a turn 1", "b turn 1"]);
    assert.equal(result.stopReason, "Maximum number of messages 7 reached, current message count: 7");
    assert.deepEqual(texts(a!.received[0]!), ["count"]);
    assert.deepEqual(texts(b!.received[0]!), ["count", "a turn 1"]);
    assert.deepEqual(texts(a!.received[1]!), ["b turn 1", "c turn 1"], "a gets only what it has not seen");
  });

  it("streams every message in order, chunks included, and leaves chunks out of the result", async () => {
    const writer = new StreamingAgent("writer", ["roses are red"]);
    const team = new RoundRobinGroupChat({ participants: [writer], maxTurns: 1 });
    const streamed: Array<AgentMessage | TaskResult> = [];
    for await (const item of team.runStream({ task: "a poem" })) streamed.push(item);
    assert.deepEqual(
      streamed.map((item) => item.type),
      ["TextMessage", "ModelClientStreamingChunkEvent", "ModelClientStreamingChunkEvent", "ModelClientStreamingChunkEvent", "TextMessage", "TaskResult"],
    );
    const result = streamed.at(-1) as TaskResult;
    assert.deepEqual(result.messages.map((message) => message.type), ["TextMessage", "TextMessage"]);
    assert.equal(result.stopReason, "Maximum number of turns 1 reached.");
  });

  describe("stops on each termination condition", () => {
    it("text mention", async () => {
      const team = new RoundRobinGroupChat({
        participants: [new ScriptedAgent("writer", ["draft", "final"]), new ScriptedAgent("critic", ["revise", "APPROVE"])],
        terminationCondition: new TextMentionTermination("APPROVE"),
      });
      const result = await team.run({ task: "write" });
      assert.deepEqual(texts(result.messages), ["write", "draft", "revise", "final", "APPROVE"]);
      assert.equal(result.stopReason, "Text 'APPROVE' mentioned");
    });

    it("timeout", async () => {
      const team = new RoundRobinGroupChat({ participants: trio({ delayMs: 25 }), terminationCondition: new TimeoutTermination(0.1) });
      const started = Date.now();
      const result = await team.run({ task: "go" });
      assert.equal(result.stopReason, "Timeout of 0.1 seconds reached");
      // Turns keep coming until the deadline; without the condition this team would never stop.
      assert.ok(result.messages.length >= 2, `ran ${result.messages.length - 1} turns`);
      assert.ok(Date.now() - started < 5000);
    });

    it("external, after the turn in progress", async () => {
      const external = new ExternalTermination();
      const pressesStop = new ScriptedAgent("b", () => {
        external.set(); // as a Stop button pressed while b is working
        return "b finishes its turn";
      });
      const team = new RoundRobinGroupChat({
        participants: [new ScriptedAgent("a"), pressesStop, new ScriptedAgent("c")],
        terminationCondition: external,
      });
      const result = await team.run({ task: "go" });
      assert.deepEqual(texts(result.messages), ["go", "a turn 1", "b finishes its turn"]);
      assert.equal(result.stopReason, "External termination requested");
    });

    it("token usage", async () => {
      const used = (name: string) => (turn: number) =>
        respond(createMessage("TextMessage", { source: name, content: `${turn}`, modelsUsage: { promptTokens: 30, completionTokens: 10 } }));
      const team = new RoundRobinGroupChat({
        participants: [new ScriptedAgent("a", used("a")), new ScriptedAgent("b", used("b"))],
        terminationCondition: new TokenUsageTermination({ maxTotalToken: 100 }),
      });
      const result = await team.run({ task: "go" });
      assert.deepEqual(sources(result.messages), ["user", "a", "b", "a"]);
      assert.equal(result.stopReason, "Token usage limit reached, total token count: 120, prompt token count: 90, completion token count: 30.");
    });

    it("source match", async () => {
      const team = new RoundRobinGroupChat({ participants: trio(), terminationCondition: new SourceMatchTermination(["c"]) });
      const result = await team.run({ task: "go" });
      assert.deepEqual(sources(result.messages), ["user", "a", "b", "c"]);
      assert.equal(result.stopReason, "'c' answered");
    });

    it("function call, seen in a participant's inner events", async () => {
      const caller = new ScriptedAgent("caller", (turn) => {
        const name = turn === 0 ? "lookup" : "submit";
        const call = createMessage("ToolCallRequestEvent", { source: "caller", content: [{ id: `c${turn}`, name, arguments: "{}" }] });
        const done = createMessage("ToolCallExecutionEvent", { source: "caller", content: [{ callId: `c${turn}`, name, content: "ok", isError: false }] });
        return respond(textMessage("caller", `${name} done`), [call, done]);
      });
      const team = new RoundRobinGroupChat({ participants: [caller], terminationCondition: new FunctionCallTermination("submit") });
      const result = await team.run({ task: "go" });
      assert.deepEqual(
        result.messages.map((message) => message.type),
        ["TextMessage", "ToolCallRequestEvent", "ToolCallExecutionEvent", "TextMessage", "ToolCallRequestEvent", "ToolCallExecutionEvent", "TextMessage"],
      );
      assert.equal(result.stopReason, "Function 'submit' was executed.");
    });

    it("handoff, and a stop message", async () => {
      const handing = new ScriptedAgent("agent", () =>
        respond(createMessage("HandoffMessage", { source: "agent", content: "Need your approval", target: "user", context: [] })),
      );
      const team = new RoundRobinGroupChat({ participants: [handing], terminationCondition: new HandoffTermination("user") });
      const result = await team.run({ task: "book a flight" });
      assert.equal(result.stopReason, "Handoff to user from agent detected.");
      assert.equal(result.messages.at(-1)?.type, "HandoffMessage");

      const quitting = new ScriptedAgent("quitter", () => respond(createMessage("StopMessage", { source: "quitter", content: "bye" })));
      const stopped = await new RoundRobinGroupChat({ participants: [quitting], terminationCondition: new StopMessageTermination() }).run({ task: "x" });
      assert.equal(stopped.stopReason, "Stop message received");
    });

    it("a combination, naming the condition that fired", async () => {
      const team = new RoundRobinGroupChat({
        participants: trio(),
        terminationCondition: new TextMentionTermination("NEVER").or(new MaxMessageTermination(3)),
      });
      assert.equal((await team.run({ task: "go" })).stopReason, "Maximum number of messages 3 reached, current message count: 3");
    });
  });

  it("stops at maxTurns, and running again without a task continues the conversation", async () => {
    const [a, b, c] = trio();
    const team = new RoundRobinGroupChat({ participants: [a!, b!, c!], maxTurns: 2 });
    const first = await team.run({ task: "go" });
    assert.deepEqual(sources(first.messages), ["user", "a", "b"]);
    assert.equal(first.stopReason, "Maximum number of turns 2 reached.");
    const second = await team.run();
    assert.deepEqual(sources(second.messages), ["c", "a"], "the turn count restarted and the order went on");
    assert.deepEqual(texts(c!.received[0]!), ["go", "a turn 1", "b turn 1"]);
  });

  it("resets its termination condition after each stop, as a new run needs", async () => {
    const condition = new MaxMessageTermination(2);
    const team = new RoundRobinGroupChat({ participants: trio(), terminationCondition: condition });
    assert.deepEqual(sources((await team.run({ task: "go" })).messages), ["user", "a"]);
    assert.equal(condition.terminated, false);
    assert.deepEqual(sources((await team.run()).messages), ["b", "c"]);
    assert.deepEqual(sources((await team.run({ task: "more" })).messages), ["user", "a"]);
  });

  it("stops promptly when cancelled, and a later run takes the interrupted turn again", async () => {
    const [a, b, c] = trio({ delayMs: 40 });
    const team = new RoundRobinGroupChat({ participants: [a!, b!, c!], terminationCondition: new MaxMessageTermination(4) });
    const token = new CancellationToken();
    const seen: string[] = [];
    let cancelledAt = 0;
    await assert.rejects(async () => {
      for await (const item of team.runStream({ task: "go", cancellationToken: token })) {
        if (item.type !== "TaskResult") seen.push(item.source);
        if (item.type !== "TaskResult" && item.source === "a") {
          token.cancel();
          cancelledAt = Date.now();
        }
      }
    }, CancelledError);
    assert.ok(Date.now() - cancelledAt < 30, "the stream ended without waiting for b's turn");
    assert.deepEqual(seen, ["user", "a"]);
    assert.equal(team.isRunning, false);

    const resumed = await team.run();
    assert.deepEqual(sources(resumed.messages), ["b", "c"], "b's interrupted turn is taken again, then c's");
    assert.equal(resumed.stopReason, "Maximum number of messages 4 reached, current message count: 4");
    assert.equal(b!.turns, 1, "the cancelled attempt did not count as a turn");
  });

  it("pauses after the turn in progress and goes on after resume", async () => {
    let team!: RoundRobinGroupChat;
    let paused: Promise<void> | undefined;
    const a = new ScriptedAgent("a", () => {
      paused = team.pause(); // pressed while a is working
      return "a turn 1";
    });
    const b = new ScriptedAgent("b");
    team = new RoundRobinGroupChat({ participants: [a, b, new ScriptedAgent("c")], terminationCondition: new MaxMessageTermination(4) });
    const arrivals: Array<[string, number]> = [];
    let resumedAt = 0;
    for await (const item of team.runStream({ task: "go" })) {
      if (item.type === "TaskResult") break;
      arrivals.push([item.source, Date.now()]);
      if (item.source === "a") {
        await paused;
        setTimeout(() => {
          resumedAt = Date.now();
          void team.resume();
        }, 150);
      }
    }
    assert.deepEqual(arrivals.map(([source]) => source), ["user", "a", "b", "c"]);
    assert.ok(resumedAt > 0 && arrivals[2]![1] >= resumedAt, "b spoke only after resume");
    assert.deepEqual(b.lifecycle, ["pause", "resume"], "participants were told");
    await assert.rejects(team.pause(), /not running/);
  });

  it("ends the run with an error that names the failing participant, and yields nothing after it", async () => {
    const team = new RoundRobinGroupChat({
      participants: [new ScriptedAgent("planner"), new FailingAgent("fetcher"), new ScriptedAgent("writer")],
      terminationCondition: new MaxMessageTermination(10),
    });
    const seen: string[] = [];
    await assert.rejects(
      async () => {
        for await (const item of team.runStream({ task: "go" })) if (item.type !== "TaskResult") seen.push(item.source);
      },
      (error: Error) => {
        assert.ok(error instanceof TeamRunError);
        assert.equal(error.agentName, "fetcher");
        assert.match(error.message, /Participant "fetcher" failed: the tool server is down/);
        assert.ok(error.cause instanceof RangeError);
        return true;
      },
    );
    assert.deepEqual(seen, ["user", "planner"]);
    assert.equal(team.isRunning, false);
  });

  it("refuses to run twice at once, and checks its options", async () => {
    const team = new RoundRobinGroupChat({ participants: trio({ delayMs: 20 }), maxTurns: 1 });
    const first = team.run({ task: "go" });
    await assert.rejects(team.run({ task: "again" }), /already running/);
    await first;
    assert.throws(() => new RoundRobinGroupChat({ participants: [new ScriptedAgent("x"), new ScriptedAgent("x")] }), /unique/);
    assert.throws(() => new RoundRobinGroupChat({ participants: [] }), UserError);
    assert.throws(() => new RoundRobinGroupChat({ participants: trio(), maxTurns: 0 }), /maxTurns/);
  });

  it("emits SelectSpeakerEvents when asked to", async () => {
    const team = new RoundRobinGroupChat({ participants: trio(), maxTurns: 2, emitTeamEvents: true });
    const result = await team.run({ task: "go" });
    assert.deepEqual(
      result.messages.map((message) => (message.type === "SelectSpeakerEvent" ? `select ${message.content.join()}` : message.source)),
      ["user", "select a", "a", "select b", "b"],
    );
  });

  it("runs on a caller's runtime, where an intervention handler sees every message the agents exchange", async () => {
    const responses: string[] = [];
    const requests: string[] = [];
    class Watcher extends DefaultInterventionHandler {
      override onPublish(message: unknown, context: PublishInterventionContext) {
        const tagged = message as { type: string; name?: string; response?: { chatMessage: { content: string } } };
        if (tagged.type === "GroupChatAgentResponse") responses.push(`${tagged.name}: ${tagged.response!.chatMessage.content}`);
        if (tagged.type === "GroupChatRequestPublish") requests.push(context.topicId.type.split("_")[0]!);
        return message;
      }
    }
    const runtime = new SingleThreadedAgentRuntime({ interventionHandlers: [new Watcher()] });
    const team = new RoundRobinGroupChat({ participants: trio(), maxTurns: 3, runtime });
    await assert.rejects(team.run({ task: "go" }), /not running; call runtime.start\(\)/);
    runtime.start();
    const result = await team.run({ task: "go" });
    await runtime.stopWhenIdle();
    assert.equal(result.messages.length, 4);
    assert.deepEqual(requests, ["a", "b", "c"]);
    assert.deepEqual(responses, ["a: a turn 1", "b: b turn 1", "c: c turn 1"]);
  });

  it("reset() forgets the conversation and resets every participant", async () => {
    const participants = trio();
    const team = new RoundRobinGroupChat({ participants, maxTurns: 2 });
    await team.run({ task: "go" });
    await team.reset();
    assert.deepEqual(participants.map((agent) => agent.lifecycle), [["reset"], ["reset"], ["reset"]]);
    const result = await team.run({ task: "fresh" });
    assert.deepEqual(sources(result.messages), ["user", "a", "b"], "the order starts over");
    assert.deepEqual(texts(participants[0]!.received[0]!), ["fresh"], "nothing of the old conversation is handed on");
  });

  it("saves its state as plain JSON and a newly built team continues from it", async () => {
    const first = trio();
    const team = new RoundRobinGroupChat({ participants: first, maxTurns: 2 });
    await team.run({ task: "plan a trip" });
    const saved = JSON.parse(JSON.stringify(await team.saveState()));
    assert.equal(saved.type, "TeamState");
    assert.equal(saved.manager.nextSpeakerIndex, 2);
    assert.deepEqual(texts(saved.manager.messageThread), ["plan a trip", "a turn 1", "b turn 1"]);
    assert.deepEqual(saved.agents.a.agentState, { type: "ScriptedAgentState", version: "1.0.0", turns: 1 });
    assert.deepEqual(texts(saved.agents.c.messageBuffer), ["plan a trip", "a turn 1", "b turn 1"]);

    const second = trio();
    const restored = new RoundRobinGroupChat({ participants: second, maxTurns: 2 });
    await restored.loadState(saved);
    const result = await restored.run();
    assert.deepEqual(texts(result.messages), ["c turn 1", "a turn 2"], "c speaks next; a remembers it spoke once");
    assert.deepEqual(texts(second[2]!.received[0]!), ["plan a trip", "a turn 1", "b turn 1"]);

    const stranger = new RoundRobinGroupChat({ participants: [new ScriptedAgent("z")] });
    await assert.rejects(stranger.loadState(saved), /participants this team lacks: a, b, c/);
  });
});
