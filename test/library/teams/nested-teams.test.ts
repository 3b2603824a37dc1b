// Teams inside teams: a team takes part in another team through a SocietyOfMindAgent.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AssistantAgent,
  DiGraphBuilder,
  GraphFlow,
  HandoffTermination,
  RoundRobinGroupChat,
  SelectorGroupChat,
  SocietyOfMindAgent,
  Swarm,
  TextMentionTermination,
} from "agentbook";
import type { AgentMessage, SocietyOfMindAgentState } from "agentbook";
import { continueInFreshProcess } from "./fresh-process.ts";
import { RecordingReplayClient, rows } from "./recording-replay-client.ts";
import { ScriptedAgent } from "./scripted-agents.ts";
import { buildTeam, callTool } from "./team-builders.ts";

const chatSources = (messages: readonly AgentMessage[]) =>
  messages.filter((message) => message.type === "TextMessage" || message.type === "HandoffMessage").map((message) => message.source);

describe("nested teams", () => {
  it("a Swarm, wrapped in a SocietyOfMindAgent, is one node of a GraphFlow", async () => {
    const alice = new AssistantAgent({ name: "alice", modelClient: new RecordingReplayClient([callTool("transfer_to_bob")]), handoffs: ["bob"] });
    const bob = new AssistantAgent({ name: "bob", modelClient: new RecordingReplayClient(["Tides follow the moon. DONE"]) });
    const research = new SocietyOfMindAgent({
      name: "research",
      team: new Swarm({ participants: [alice, bob], terminationCondition: new TextMentionTermination("DONE") }),
      modelClient: new RecordingReplayClient(["Tides follow the moon."]),
    });
    const writerModel = new RecordingReplayClient(["The moon pulls; the sea follows."]);
    const writer = new AssistantAgent({ name: "writer", modelClient: writerModel });
    const builder = new DiGraphBuilder().addNode(research).addNode(writer).addEdge(research, writer);
    const flow = new GraphFlow({ participants: builder.getParticipants(), graph: builder.build() });
    const result = await flow.run({ task: "Explain tides in one line." });
    assert.deepEqual(chatSources(result.messages), ["user", "alice", "bob", "research", "writer"], "the inner swarm's messages stream out");
    assert.deepEqual(rows(writerModel.contexts[0]!), [
      ["UserMessage", "user", "Explain tides in one line."],
      ["UserMessage", "research", "Tides follow the moon."],
    ]);
  });

  it("a round robin, wrapped, competes with agents in a SelectorGroupChat under its own description", async () => {
    const inner = new RoundRobinGroupChat({ participants: [new ScriptedAgent("drafter"), new ScriptedAgent("checker")], maxTurns: 2 });
    const writers = new SocietyOfMindAgent({
      name: "writers",
      team: inner,
      modelClient: new RecordingReplayClient(["A checked draft."]),
      description: "A team that drafts and checks text.",
    });
    const selector = new RecordingReplayClient(["writers"]);
    const team = new SelectorGroupChat({ participants: [new ScriptedAgent("planner"), writers], modelClient: selector, maxTurns: 1 });
    const result = await team.run({ task: "Write a slogan." });
    assert.deepEqual(chatSources(result.messages), ["user", "drafter", "checker", "writers"]);
    assert.match(selector.contexts[0]![0]!.content as string, /writers: A team that drafts and checks text\./);
  });

  it("pausing the outer team pauses the inner team's run", async () => {
    let outer!: RoundRobinGroupChat;
    let paused: Promise<void> | undefined;
    const first = new ScriptedAgent("first", () => {
      paused = outer.pause();
      return "first turn";
    });
    const second = new ScriptedAgent("second");
    const society = new SocietyOfMindAgent({
      name: "society",
      team: new RoundRobinGroupChat({ participants: [first, second], maxTurns: 2 }),
      modelClient: new RecordingReplayClient(["summary"]),
    });
    outer = new RoundRobinGroupChat({ participants: [society], maxTurns: 1 });
    const arrivals: Array<[string, number]> = [];
    let resumedAt = 0;
    for await (const item of outer.runStream({ task: "go" })) {
      if (item.type === "TaskResult") break;
      arrivals.push([item.source, Date.now()]);
      if (item.source === "first") {
        await paused;
        setTimeout(() => {
          resumedAt = Date.now();
          void outer.resume();
        }, 100);
      }
    }
    assert.deepEqual(arrivals.map(([source]) => source), ["user", "first", "second", "society"]);
    assert.ok(resumedAt > 0 && arrivals[2]![1] >= resumedAt, "the inner team's second speaker waited for resume");
    assert.deepEqual(second.lifecycle.filter((event) => event !== "reset"), ["pause", "resume"]);
  });

  it("an outer team with a SocietyOfMindAgent continues in a fresh process, the inner conversation included", async () => {
    const { team } = buildTeam("society", "first");
    const first = await team.run({ task: "Tell a story." });
    assert.deepEqual(chatSources(first.messages), ["user", "writer", "editor", "society"]);
    const saved = await team.saveState();
    const societyState = saved.agents.society!.agentState as unknown as SocietyOfMindAgentState;
    assert.equal(societyState.innerTeamState.type, "TeamState");
    const outcome = await continueInFreshProcess("society", saved);
    assert.deepEqual(outcome.messages, [
      ["translator", "Érase una vez."],
      ["writer", "Twice upon a time."],
      ["editor", "Better."],
      ["society", "A second story."],
    ]);
    assert.deepEqual(rows(outcome.contexts.writer![0]!), [
      ["UserMessage", "user", "Tell a story."],
      ["UserMessage", "society", "A story: once upon a time."],
      ["UserMessage", "translator", "Érase una vez."],
    ]);
  });

  it("refuses a team given directly as a participant, and says to wrap it", () => {
    const inner = new RoundRobinGroupChat({ participants: [new ScriptedAgent("a")] });
    assert.throws(
      () => new RoundRobinGroupChat({ participants: [new ScriptedAgent("b"), inner as never] }),
      /Participant 1 is a team; a team takes part in another team as an agent: wrap it in new SocietyOfMindAgent/,
    );
    assert.throws(() => new Swarm({ participants: [{ name: "x" } as never] }), /Participant 0 is not a chat agent/);
  });

  it("a HandoffTermination inside stops only the inner team", async () => {
    const asker = new AssistantAgent({ name: "asker", modelClient: new RecordingReplayClient([callTool("transfer_to_user")]), handoffs: ["user"] });
    const inner = new Swarm({ participants: [asker], terminationCondition: new HandoffTermination("user") });
    const society = new SocietyOfMindAgent({ name: "society", team: inner, modelClient: new RecordingReplayClient(["I need your budget first."]) });
    const outer = new RoundRobinGroupChat({ participants: [society], maxTurns: 1 });
    const result = await outer.run({ task: "Plan my trip." });
    assert.equal(result.stopReason, "Maximum number of turns 1 reached.");
    assert.equal(result.messages.at(-1)?.source, "society");
  });
});
