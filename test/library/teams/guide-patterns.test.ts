// The conversation patterns of the AutoGen guide agentbook follows, one test each, written with
// agentbook's teams: a manager-led group chat, an allowed speaker order, sequential, star and
// network routing, and the planner-executor hand-off.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AssistantAgent,
  createMessage,
  DiGraphBuilder,
  GRAPH_COMPLETE_STOP_REASON,
  GraphFlow,
  isChatMessage,
  messageToText,
  RoundRobinGroupChat,
  SelectorGroupChat,
  TextMentionTermination,
  UserProxyAgent,
} from "agentbook";
import type { AgentMessage } from "agentbook";
import { RecordingReplayClient, rows } from "./recording-replay-client.ts";

const speakers = (messages: readonly AgentMessage[]) => messages.filter(isChatMessage).map((message) => message.source);

function assistant(name: string, answers: string[], description?: string) {
  const modelClient = new RecordingReplayClient(answers);
  return { agent: new AssistantAgent({ name, modelClient, ...(description ? { description } : {}) }), model: modelClient };
}

describe("the guide's conversation patterns", () => {
  it("group chat led by a manager that picks the next speaker (GroupChat + GroupChatManager)", async () => {
    const researcher = assistant("researcher", ["Daily case counts are on the public dashboard."], "You are a researcher specialized in finding information.");
    const coder = assistant("coder", ["plot.py: reads the CSV and draws a line chart."], "You are a programmer who implements solutions based on research.");
    const reviewer = assistant("reviewer", ["The script handles missing days. Approved."], "You are a code reviewer who checks code for bugs.");
    const prompts: string[] = [];
    const userProxy = new UserProxyAgent({ name: "user_proxy", inputFunc: (prompt) => (prompts.push(prompt), "Ship it. TERMINATE") });
    const manager = new RecordingReplayClient(["researcher", "coder", "reviewer", "user_proxy"]);
    const groupChat = new SelectorGroupChat({
      participants: [userProxy, researcher.agent, coder.agent, reviewer.agent],
      modelClient: manager,
      maxTurns: 20, // max_round=20
      terminationCondition: new TextMentionTermination("TERMINATE"),
    });
    // user_proxy.initiate_chat(manager, message=...)
    const task = createMessage("TextMessage", { source: "user_proxy", content: "Create a Python script that visualizes COVID-19 data from the past year." });
    const result = await groupChat.run({ task });
    assert.deepEqual(speakers(result.messages), ["user_proxy", "researcher", "coder", "reviewer", "user_proxy"]);
    assert.equal(result.stopReason, "Text 'TERMINATE' mentioned");
    assert.deepEqual(prompts, ["Enter your response: "]);
    const firstPrompt = manager.contexts[0]![0]!.content as string;
    assert.match(firstPrompt, /user_proxy: A human user\nresearcher: You are a researcher specialized in finding information\.\ncoder: /);
    assert.match(firstPrompt, /user_proxy: Create a Python script/);
    assert.deepEqual(rows(coder.model.contexts[0]!).map(([, source]) => source), ["user_proxy", "researcher"]);
  });

  it("a group chat with an allowed speaker order (allowed_speaker_order=[user_proxy, coordinator, analyst])", async () => {
    const order = ["user_proxy", "coordinator", "analyst"];
    const analyst = assistant("analyst", ["Revenue grew 12%.", "Margins are stable."], "You are a senior financial analyst.");
    const coordinator = assistant("coordinator", ["Analyst: revenue, please.", "Analyst: margins next."], "Coordinate analysis tasks between teams.");
    const answers = ["Analyse ACME.", "And margins?"];
    const userProxy = new UserProxyAgent({ name: "user_proxy", inputFunc: () => answers.shift()! });
    const selector = new RecordingReplayClient([]);
    const teamChat = new SelectorGroupChat({
      participants: [userProxy, analyst.agent, coordinator.agent],
      modelClient: selector,
      maxTurns: 6,
      candidateFunc: (thread) => {
        const last = thread.findLast((message) => order.includes(message.source))?.source;
        return [order[last === undefined ? 0 : (order.indexOf(last) + 1) % order.length]!];
      },
    });
    const result = await teamChat.run({ task: "Quarterly review." });
    assert.deepEqual(speakers(result.messages), ["user", "user_proxy", "coordinator", "analyst", "user_proxy", "coordinator", "analyst"]);
    assert.equal(selector.contexts.length, 0, "with one allowed speaker the model is never asked");
  });

  it("sequential: agent1 starts agent2, agent2 passes to agent3, agent3 returns to agent1", async () => {
    const agent1 = assistant("agent1", ["Thanks, all done."]);
    const agent2 = assistant("agent2", ["Step 2 done."]);
    const agent3 = assistant("agent3", ["Step 3 done."]);
    const team = new RoundRobinGroupChat({ participants: [agent2.agent, agent3.agent, agent1.agent], maxTurns: 3 });
    const result = await team.run({ task: createMessage("TextMessage", { source: "agent1", content: "Start task" }) });
    assert.deepEqual(speakers(result.messages), ["agent1", "agent2", "agent3", "agent1"]);
    assert.deepEqual(rows(agent1.model.contexts[0]!).map(([type, source]) => `${type}:${source}`), ["UserMessage:agent1", "UserMessage:agent2", "UserMessage:agent3"]);
    assert.deepEqual(rows(agent3.model.contexts[0]!).map(([, , text]) => text), ["Start task", "Step 2 done."]);
  });

  it("star: a coordinator gives each specialist a subtask in turn, or all at once with a graph", async () => {
    const names = ["specialist_0", "specialist_1", "specialist_2"];
    const specialists = names.map((name) => assistant(name, [`${name} result.`]));
    const coordinator = assistant("coordinator", [...names.map((name) => `Perform subtask ${name}.`), "All subtasks done. TERMINATE"]);
    const inTurn = new SelectorGroupChat({
      participants: [coordinator.agent, ...specialists.map((s) => s.agent)],
      modelClient: new RecordingReplayClient([]),
      terminationCondition: new TextMentionTermination("TERMINATE"),
      selectorFunc: (thread) => {
        const last = thread.findLast(isChatMessage)!;
        return last.source === "coordinator" ? (names.find((name) => messageToText(last).includes(name)) ?? null) : "coordinator";
      },
    });
    const result = await inTurn.run({ task: "Analyse the market." });
    assert.deepEqual(speakers(result.messages), ["user", "coordinator", "specialist_0", "coordinator", "specialist_1", "coordinator", "specialist_2", "coordinator"]);

    // The same star run in parallel: the coordinator fans out, and waits for every specialist.
    const hub = assistant("coordinator", ["Perform your subtasks.", "Summary of three results."]);
    const spokes = names.map((name) => assistant(name, [`${name} result.`]));
    const builder = new DiGraphBuilder().addNode(hub.agent, { activation: "all" }).setEntryPoint(hub.agent);
    for (const spoke of spokes) builder.addNode(spoke.agent).addEdge(hub.agent, spoke.agent, { condition: "Perform" }).addEdge(spoke.agent, hub.agent);
    const star = new GraphFlow({ participants: builder.getParticipants(), graph: builder.build(), emitTeamEvents: true });
    const parallel = await star.run({ task: "Analyse the market." });
    assert.deepEqual(
      parallel.messages.filter((message) => message.type === "SelectSpeakerEvent").map((message) => (message.content as string[]).length),
      [1, 3, 1],
    );
    assert.equal(parallel.stopReason, GRAPH_COMPLETE_STOP_REASON);
    assert.deepEqual(rows(hub.model.contexts[1]!).slice(-3).map(([, source]) => source).sort(), names);
  });

  it("network: any agent may speak after any other, routed by what the last message is about", async () => {
    const agents = [
      assistant("agent_0", ["We need the sales data first.", "Thanks, that answers it. TERMINATE"]),
      assistant("agent_1", ["Here are the numbers; someone should write code to chart them."]),
      assistant("agent_2", ["Chart drawn."]),
      assistant("agent_3", []),
      assistant("agent_4", []),
    ];
    // def route_message(sender, message): "data" -> agents[1], "code" -> agents[2], else agents[0]
    const route = (thread: readonly AgentMessage[]) => {
      const text = messageToText(thread.findLast(isChatMessage)!).toLowerCase();
      if (text.includes("data")) return "agent_1";
      if (text.includes("code")) return "agent_2";
      return "agent_0";
    };
    const team = new SelectorGroupChat({
      participants: agents.map((a) => a.agent),
      modelClient: new RecordingReplayClient([]),
      selectorFunc: route,
      allowRepeatedSpeaker: true,
      terminationCondition: new TextMentionTermination("TERMINATE"),
    });
    const result = await team.run({ task: "How did sales go?" });
    assert.deepEqual(speakers(result.messages), ["user", "agent_0", "agent_1", "agent_2", "agent_0"]);
  });

  it("planner-executor hand-off: the executor works from the planner's plan", async () => {
    const planner = assistant("planner", ["1. Collect tweets. 2. Score sentiment. 3. Chart it."]);
    const executor = assistant("executor", ["Executed all three steps."]);
    const builder = new DiGraphBuilder().addNode(planner.agent).addNode(executor.agent).addEdge(planner.agent, executor.agent);
    const flow = new GraphFlow({ participants: builder.getParticipants(), graph: builder.build() });
    const result = await flow.run({ task: createMessage("TextMessage", { source: "user_proxy", content: "I need to analyze sentiment in tweets about climate change." }) });
    assert.deepEqual(speakers(result.messages), ["user_proxy", "planner", "executor"]);
    assert.deepEqual(rows(executor.model.contexts[0]!).at(-1), ["UserMessage", "planner", "1. Collect tweets. 2. Score sentiment. 3. Chart it."]);
    assert.equal(result.stopReason, GRAPH_COMPLETE_STOP_REASON);
  });
});
