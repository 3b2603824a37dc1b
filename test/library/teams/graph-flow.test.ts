import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AssistantAgent,
  CancellationToken,
  CancelledError,
  DiGraphBuilder,
  GRAPH_COMPLETE_STOP_REASON,
  GraphFlow,
  MaxMessageTermination,
  messageToText,
  UserError,
} from "agentbook";
import type { AgentMessage, NodeActivation } from "agentbook";
import { continueInFreshProcess } from "./fresh-process.ts";
import { RecordingReplayClient, rows } from "./recording-replay-client.ts";
import { ScriptedAgent } from "./scripted-agents.ts";
import { buildTeam } from "./team-builders.ts";
import { overlap, TimedReplayClient } from "./timed-replay-client.ts";

const sources = (messages: readonly AgentMessage[]) => messages.filter((message) => message.type !== "SelectSpeakerEvent").map((message) => message.source);
/** The speakers of each step, as the SelectSpeakerEvents tell (sorted within a step). */
const steps = (messages: readonly AgentMessage[]) =>
  messages.flatMap((message) => (message.type === "SelectSpeakerEvent" ? [[...message.content].sort().join("+")] : []));

function assistant(name: string, answers: string[], delayMs = 0) {
  const modelClient = delayMs > 0 ? new TimedReplayClient(answers, delayMs) : new RecordingReplayClient(answers);
  return { agent: new AssistantAgent({ name, modelClient }), model: modelClient };
}

describe("GraphFlow", () => {
  it("runs a sequence A -> B -> C, each seeing what came before, and stops when no node is ready", async () => {
    const a = assistant("A", ["Once there was a cat.", "A dog barked."]);
    const b = assistant("B", ["Translated: chat.", "Translated: chien."]);
    const c = assistant("C", ["Back: cat.", "Back: dog."]);
    const builder = new DiGraphBuilder().addNode(a.agent).addNode(b.agent).addNode(c.agent).addEdge(a.agent, b.agent).addEdge("B", "C");
    const team = new GraphFlow({ participants: builder.getParticipants(), graph: builder.build() });
    const result = await team.run({ task: "Write a story." });
    assert.deepEqual(sources(result.messages), ["user", "A", "B", "C"]);
    assert.equal(result.stopReason, GRAPH_COMPLETE_STOP_REASON);
    assert.match(result.stopReason!, /no node is ready/);
    assert.deepEqual(rows(c.model.contexts[0]!), [
      ["UserMessage", "user", "Write a story."],
      ["UserMessage", "A", "Once there was a cat."],
      ["UserMessage", "B", "Translated: chat."],
    ]);
    assert.deepEqual(sources((await team.run({ task: "Another one." })).messages), ["user", "A", "B", "C"], "a new run starts at the entry point");
  });

  it("fans out to agents that speak at the same time, and fans in to one that waits for all of them", async () => {
    const a = assistant("A", ["Topic: tides."]);
    const b = assistant("B", ["Facts about tides."], 150);
    const c = assistant("C", ["A poem about tides."], 150);
    const d = assistant("D", ["Facts and a poem, combined."]);
    const builder = new DiGraphBuilder()
      .addNode(a.agent).addNode(b.agent).addNode(c.agent).addNode(d.agent, { activation: "all" })
      .addEdge(a.agent, b.agent).addEdge(a.agent, c.agent).addEdge(b.agent, d.agent).addEdge(c.agent, d.agent);
    const team = new GraphFlow({ participants: builder.getParticipants(), graph: builder.build(), emitTeamEvents: true });
    const result = await team.run({ task: "Tides, please." });
    assert.deepEqual(steps(result.messages), ["A", "B+C", "D"], "B and C were asked in one step, D once");
    const [bCall] = (b.model as TimedReplayClient).calls;
    const [cCall] = (c.model as TimedReplayClient).calls;
    assert.ok(overlap(bCall!, cCall!), `B (${bCall!.start}-${bCall!.end}) and C (${cCall!.start}-${cCall!.end}) worked at the same time`);
    assert.deepEqual(
      rows(d.model.contexts[0]!).map(([, source]) => source).sort(),
      ["A", "B", "C", "user"],
      "D was asked only after both B and C had answered",
    );
    assert.equal(result.stopReason, GRAPH_COMPLETE_STOP_REASON);
  });

  it("activates a node with several parents after all of them, or after the first with activation any", async () => {
    // A -> B -> D, A -> C -> E -> D: D's parents are B (early) and E (late).
    const stepsFor = async (activation: NodeActivation) => {
      const agents = ["A", "B", "C", "D", "E"].map((name) => new ScriptedAgent(name));
      const [A, B, C, D, E] = agents as [ScriptedAgent, ScriptedAgent, ScriptedAgent, ScriptedAgent, ScriptedAgent];
      const builder = new DiGraphBuilder().addNode(A).addNode(B).addNode(C).addNode(D, { activation }).addNode(E);
      builder.addEdge(A, B).addEdge(A, C).addEdge(B, D).addEdge(C, E).addEdge(E, D);
      const result = await new GraphFlow({ participants: agents, graph: builder.build(), emitTeamEvents: true }).run({ task: "go" });
      return { steps: steps(result.messages), dTurns: D.turns };
    };
    assert.deepEqual(await stepsFor("all"), { steps: ["A", "B+C", "E", "D"], dTurns: 1 });
    assert.deepEqual(await stepsFor("any"), { steps: ["A", "B+C", "D+E", "D"], dTurns: 2 }, "D speaks after B, and again after E");
  });

  it("branches on conditions: a text the message must contain, or a test of the message", async () => {
    const run = async (answer: string) => {
      const detector = new ScriptedAgent("detector", [answer]);
      const english = new ScriptedAgent("to_english");
      const chinese = new ScriptedAgent("to_chinese");
      const builder = new DiGraphBuilder().addNode(detector).addNode(english).addNode(chinese);
      builder.addEdge(detector, english, { condition: "yes" });
      builder.addEdge(detector, chinese, { condition: (message) => !messageToText(message).includes("yes") });
      const result = await new GraphFlow({ participants: builder.getParticipants(), graph: builder.build() }).run({ task: "你好" });
      return sources(result.messages);
    };
    assert.deepEqual(await run("yes"), ["user", "detector", "to_english"]);
    assert.deepEqual(await run("no"), ["user", "detector", "to_chinese"]);
  });

  it("loops until the exit condition holds", async () => {
    const writer = assistant("writer", ["Roses are red.", "Roses are red, violets are blue."]);
    const critic = assistant("critic", ["Too short.", "APPROVE"]);
    const editor = assistant("editor", ["Published."]);
    const builder = new DiGraphBuilder()
      .addNode(writer.agent).addNode(critic.agent).addNode(editor.agent)
      .addEdge(writer.agent, critic.agent)
      .addEdge(critic.agent, writer.agent, { condition: (message) => !messageToText(message).includes("APPROVE") })
      .addEdge(critic.agent, editor.agent, { condition: "APPROVE" })
      .setEntryPoint(writer.agent);
    const graph = builder.build();
    assert.equal(graph.hasCycles, true);
    const result = await new GraphFlow({ participants: builder.getParticipants(), graph }).run({ task: "A poem." });
    assert.deepEqual(sources(result.messages), ["user", "writer", "critic", "writer", "critic", "editor"]);
    assert.equal(result.stopReason, GRAPH_COMPLETE_STOP_REASON);
    assert.deepEqual(rows(writer.model.contexts[1]!).at(-1), ["UserMessage", "critic", "Too short."]);
  });

  it("checks the graph when it is built: unknown nodes, no entry point, a cycle without exit", () => {
    const [a, b] = [new ScriptedAgent("a"), new ScriptedAgent("b")];
    assert.throws(() => new DiGraphBuilder().addNode(a).addEdge(a, "ghost").build(), /The edge a -> ghost leads to an unknown node "ghost"/);
    assert.throws(() => new DiGraphBuilder().addNode(a).addEdge("ghost", a).build(), /starts at an unknown node "ghost"/);
    assert.throws(() => new DiGraphBuilder().build(), /no nodes/);
    const loop = () => new DiGraphBuilder().addNode(a).addNode(b).addEdge(a, b).addEdge(b, a, { condition: "again" });
    assert.throws(() => loop().build(), (error: Error) => error instanceof UserError && /no entry point[^]*setEntryPoint/.test(error.message));
    assert.doesNotThrow(() => loop().setEntryPoint(a).build());
    assert.throws(() => loop().setEntryPoint("ghost").build(), /entry point "ghost" is not a node/);
    assert.throws(
      () => new DiGraphBuilder().addNode(a).addNode(b).addEdge(a, b).addEdge(b, a).setEntryPoint(a).build(),
      /The cycle a -> b -> a has no exit condition/,
    );
    assert.throws(() => new DiGraphBuilder().addNode(a).addNode(new ScriptedAgent("a")), /Two different agents are named "a"/);

    const graph = new DiGraphBuilder().addNode(a).addNode(b).addEdge(a, b).build();
    assert.equal(graph.hasCycles, false);
    assert.throws(() => new GraphFlow({ participants: [a], graph }), /graph has nodes that are not participants: b/);
    assert.throws(() => new GraphFlow({ participants: [a, b, new ScriptedAgent("c")], graph }), /Participants c are not nodes of the graph/);
    assert.throws(() => new GraphFlow({ participants: [a, b], graph: undefined as never }), /needs a graph/);
  });

  it("stops on its termination condition, and the next run starts again at the entry point", async () => {
    const agents = ["A", "B", "C"].map((name) => new ScriptedAgent(name));
    const builder = new DiGraphBuilder().addNode(agents[0]!).addNode(agents[1]!).addNode(agents[2]!).addEdge("A", "B").addEdge("B", "C");
    const team = new GraphFlow({ participants: agents, graph: builder.build(), terminationCondition: new MaxMessageTermination(2) });
    const first = await team.run({ task: "go" });
    assert.deepEqual(sources(first.messages), ["user", "A"]);
    assert.equal(first.stopReason, "Maximum number of messages 2 reached, current message count: 2");
    assert.deepEqual(sources((await team.run()).messages), ["A", "B"]);
  });

  it("pauses after the step in progress; the state saved meanwhile continues in a new team", async () => {
    let team!: GraphFlow;
    let paused: Promise<void> | undefined;
    const make = (onA?: () => void) => {
      const A = new ScriptedAgent("A", (turn) => (onA?.(), `A turn ${turn + 1}`));
      const agents = [A, new ScriptedAgent("B"), new ScriptedAgent("C")];
      const graph = new DiGraphBuilder().addNode(agents[0]!).addNode(agents[1]!).addNode(agents[2]!).addEdge("A", "B").addEdge("B", "C").build();
      return new GraphFlow({ participants: agents, graph });
    };
    team = make(() => (paused = team.pause()));
    let saved: Awaited<ReturnType<GraphFlow["saveState"]>> | undefined;
    const seen: string[] = [];
    for await (const item of team.runStream({ task: "go" })) {
      if (item.type === "TaskResult") break;
      seen.push(item.source);
      if (item.source === "A") {
        await paused;
        saved = JSON.parse(JSON.stringify(await team.saveState()));
        void team.resume();
      }
    }
    assert.deepEqual(seen, ["user", "A", "B", "C"]);
    assert.equal(saved!.manager.type, "GraphFlowManagerState");
    assert.deepEqual(saved!.manager.ready, ["B"]);

    const restored = make();
    await restored.loadState(saved!);
    const result = await restored.run();
    assert.deepEqual(sources(result.messages), ["B", "C"]);
    assert.equal(result.stopReason, GRAPH_COMPLETE_STOP_REASON);
  });

  it("is cancelled in the middle of a node's turn and continues from there in a fresh process", async () => {
    const { team } = buildTeam("graph", "first");
    const token = new CancellationToken();
    await assert.rejects(async () => {
      for await (const item of team.runStream({ task: "Write about cats.", cancellationToken: token }))
        if (item.type === "ModelClientStreamingChunkEvent") token.cancel();
    }, CancelledError);
    const saved = await team.saveState();
    assert.deepEqual(saved.manager.activeSpeakers, ["critic"], "the critic's turn was interrupted");
    const outcome = await continueInFreshProcess("graph", saved);
    assert.deepEqual(outcome.messages, [
      ["critic", "Good. APPROVE"],
      ["editor", "Final: cats nap all day."],
    ]);
    assert.equal(outcome.stopReason, GRAPH_COMPLETE_STOP_REASON);
    assert.deepEqual(rows(outcome.contexts.critic![0]!), [
      ["UserMessage", "user", "Write about cats."],
      ["UserMessage", "writer", "Draft: cats nap all day."],
    ]);
  });
});
