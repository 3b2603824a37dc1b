import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AssistantAgent,
  createMessage,
  FunctionTool,
  MaxMessageTermination,
  Swarm,
  TextMentionTermination,
  UserError,
} from "agentbook";
import type { AgentMessage, ChatMessageType } from "agentbook";
import { continueInFreshProcess } from "./fresh-process.ts";
import { RecordingReplayClient, rows } from "./recording-replay-client.ts";
import { respond, ScriptedAgent } from "./scripted-agents.ts";
import type { Script } from "./scripted-agents.ts";
import { buildTeam, callTool, resumeTask } from "./team-builders.ts";

const sources = (messages: readonly AgentMessage[]) => messages.filter((message) => message.type !== "ToolCallRequestEvent" && message.type !== "ToolCallExecutionEvent").map((message) => message.source);

/** A scripted agent that may also hand off. */
class HandingAgent extends ScriptedAgent {
  override get producedMessageTypes(): ChatMessageType[] {
    return ["TextMessage", "HandoffMessage"];
  }
}

const handoff = (source: string, target: string) => respond(createMessage("HandoffMessage", { source, target, content: `over to ${target}`, context: [] }));

describe("Swarm", () => {
  it("starts with the first participant and gives the turn to whoever a hand-off names, who keeps it until handing off", async () => {
    const aliceModel = new RecordingReplayClient([callTool("transfer_to_bob")]);
    const bobModel = new RecordingReplayClient(["Bob here: my birthday is 1 January.", "Anything else?"]);
    const alice = new AssistantAgent({ name: "alice", modelClient: aliceModel, handoffs: ["bob"] });
    const bob = new AssistantAgent({ name: "bob", modelClient: bobModel, handoffs: ["alice"] });
    const team = new Swarm({ participants: [alice, bob], maxTurns: 3 });
    const result = await team.run({ task: "What is Bob's birthday?" });
    assert.deepEqual(
      result.messages.map((message) => `${message.type}:${message.source}`),
      [
        "TextMessage:user",
        "ToolCallRequestEvent:alice",
        "ToolCallExecutionEvent:alice",
        "HandoffMessage:alice",
        "TextMessage:bob",
        "TextMessage:bob",
      ],
    );
    assert.deepEqual(rows(bobModel.contexts[0]!), [
      ["UserMessage", "user", "What is Bob's birthday?"],
      ["UserMessage", "alice", "Transferred to bob, adopting the role of bob immediately."],
    ]);
  });

  it("passes the tool calls made with a hand-off on to the agent that takes over", async () => {
    const lookup = { content: [{ id: "c1", name: "lookup", arguments: '{"who":"bob"}' }, { id: "c2", name: "transfer_to_bob", arguments: "{}" }] };
    const tool = new FunctionTool(async () => "bob: 1 January", { name: "lookup", description: "Look someone up." });
    const alice = new AssistantAgent({ name: "alice", modelClient: new RecordingReplayClient([lookup as never]), tools: [tool], handoffs: ["bob"] });
    const bobModel = new RecordingReplayClient(["It is 1 January."]);
    const bob = new AssistantAgent({ name: "bob", modelClient: bobModel });
    await new Swarm({ participants: [alice, bob], maxTurns: 2 }).run({ task: "When is Bob's birthday?" });
    assert.deepEqual(
      bobModel.contexts[0]!.filter((message) => message.type !== "SystemMessage").map((message) => message.type),
      ["UserMessage", "AssistantMessage", "FunctionExecutionResultMessage", "UserMessage"],
      "bob sees alice's lookup and its result before the hand-off",
    );
  });

  it("fails clearly when a participant hands off to someone outside the team", async () => {
    const alice = new AssistantAgent({ name: "alice", modelClient: new RecordingReplayClient([callTool("transfer_to_carol")]), handoffs: ["carol"] });
    const team = new Swarm({ participants: [alice, new ScriptedAgent("bob")], maxTurns: 5 });
    await assert.rejects(team.run({ task: "hi" }), (error: Error) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /"alice" handed off to "carol", who is not in this Swarm \(alice, bob\)/);
      assert.match(error.message, /new HandoffTermination\("carol"\)/);
      return true;
    });
  });

  it("hands control to a human with HandoffTermination and resumes when the human hands it back, across saved state", async () => {
    const first = buildTeam("swarm", "first");
    const stopped = await first.team.run({ task: "When is my birthday?" });
    assert.equal(stopped.stopReason, "Handoff to user from bob detected.");
    assert.equal(stopped.messages.at(-1)?.type, "HandoffMessage");
    const saved = JSON.parse(JSON.stringify(await first.team.saveState()));
    assert.equal(saved.manager.type, "SwarmManagerState");
    assert.equal(saved.manager.currentSpeaker, "bob");

    await assert.rejects(first.team.run({ task: "a plain answer" }), (error: Error) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /handed off to "user", who is not in this Swarm/);
      assert.match(error.message, /run the team with a HandoffMessage from "user" to a participant as the task/);
      return true;
    });

    const second = buildTeam("swarm", "resumed");
    await second.team.loadState(saved);
    const resumed = await second.team.run({ task: resumeTask("swarm")! });
    assert.deepEqual(resumed.messages.map((message) => message.source), ["user", "bob"]);
    assert.equal(resumed.stopReason, "Text 'TERMINATE' mentioned");
    assert.deepEqual(
      rows(second.models.bob!.contexts[0]!).map(([type, source]) => `${type}:${source}`),
      ["UserMessage:user", "UserMessage:alice", "AssistantMessage:bob", "FunctionExecutionResultMessage:", "UserMessage:user"],
      "bob remembers the conversation and its own hand-off, then reads the human's answer",
    );
  });

  it("resumes from a human's hand-off in a fresh process", async () => {
    const first = buildTeam("swarm", "first");
    await first.team.run({ task: "When is my birthday?" });
    const outcome = await continueInFreshProcess("swarm", await first.team.saveState());
    assert.deepEqual(outcome.messages, [
      ["user", "It is my birthday I asked about."],
      ["bob", "Your birthday is on 1 January. TERMINATE"],
    ]);
    const context = rows(outcome.contexts.bob![0]!);
    assert.deepEqual(
      context.map(([type, source]) => `${type}:${source}`),
      ["UserMessage:user", "UserMessage:alice", "AssistantMessage:bob", "FunctionExecutionResultMessage:", "UserMessage:user"],
    );
    assert.deepEqual(context[0]![2], "When is my birthday?");
    assert.match(context[2]![2], /transfer_to_user/);
    assert.deepEqual(context[4]![2], "It is my birthday I asked about.");
  });

  it("refuses a task that hands off outside the team, and a first participant that cannot hand off", async () => {
    const team = new Swarm({ participants: [new HandingAgent("a"), new HandingAgent("b")], maxTurns: 1 });
    await assert.rejects(
      team.run({ task: createMessage("HandoffMessage", { source: "user", target: "zed", content: "go", context: [] }) }),
      /The task hands off to "zed", who is not in this Swarm \(a, b\)/,
    );
    assert.throws(() => new Swarm({ participants: [new ScriptedAgent("plain"), new HandingAgent("b")] }), /must be able to hand off/);
  });

  it("starts with the speaker a task's hand-off names, and reset() goes back to the first participant", async () => {
    const script: Script = (turn) => `turn ${turn + 1}`;
    const a = new HandingAgent("a", script);
    const b = new HandingAgent("b", (turn, messages) => (turn === 0 ? handoff("b", "a") : `b ${messages.length}`));
    const team = new Swarm({ participants: [a, b], terminationCondition: new MaxMessageTermination(3) });
    const result = await team.run({ task: createMessage("HandoffMessage", { source: "user", target: "b", content: "b first", context: [] }) });
    assert.deepEqual(sources(result.messages), ["user", "b", "a"]);
    assert.deepEqual(sources((await team.run()).messages), ["a", "a", "a"], "a keeps the turn without a hand-off");
    await team.reset();
    assert.deepEqual(sources((await team.run({ task: "again" })).messages), ["user", "a", "a"]);
  });

  it("pauses after the turn in progress and goes on after resume", async () => {
    let team!: Swarm;
    let paused: Promise<void> | undefined;
    const a = new HandingAgent("a", () => {
      paused = team.pause();
      return handoff("a", "b");
    });
    const b = new HandingAgent("b");
    team = new Swarm({ participants: [a, b], terminationCondition: new TextMentionTermination("b turn 1") });
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
        }, 100);
      }
    }
    assert.deepEqual(arrivals.map(([source]) => source), ["user", "a", "b"]);
    assert.ok(resumedAt > 0 && arrivals[2]![1] >= resumedAt, "b spoke only after resume");
  });
});
