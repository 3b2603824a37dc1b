// One small team of AssistantAgents on the replay model per kind of team, built the same way in
// this process and in a child process, so a test can save a team's state here and continue it
// in a fresh process. "first" and "resumed" differ only in what the models are scripted to say.
import {
  AssistantAgent,
  createMessage,
  DiGraphBuilder,
  GraphFlow,
  HandoffTermination,
  RoundRobinGroupChat,
  SelectorGroupChat,
  SocietyOfMindAgent,
  Swarm,
  TextMentionTermination,
} from "agentbook";
import type { ChatMessage, CreateResult, Team } from "agentbook";
import { RecordingReplayClient } from "./recording-replay-client.ts";

export type TeamKind = "selector" | "swarm" | "graph" | "society";

/** A scripted model answer that calls one tool (a hand-off tool, for example). */
export function callTool(name: string, args: Record<string, unknown> = {}, id = `call_${name}`): CreateResult {
  return { content: [{ id, name, arguments: JSON.stringify(args) }] } as CreateResult;
}

export function buildTeam(kind: TeamKind, phase: "first" | "resumed"): { team: Team; models: Record<string, RecordingReplayClient> } {
  const first = phase === "first";
  const models: Record<string, RecordingReplayClient> = {};
  const model = (name: string, firstAnswers: Array<string | CreateResult>, resumedAnswers: Array<string | CreateResult>, options = {}) =>
    (models[name] = new RecordingReplayClient(first ? firstAnswers : resumedAnswers, options));
  const agent = (name: string, answers: [Array<string | CreateResult>, Array<string | CreateResult>], extra: Record<string, unknown> = {}) =>
    new AssistantAgent({ name, modelClient: model(name, ...answers), ...extra });

  switch (kind) {
    case "selector": {
      const planner = agent("planner", [[], []], { description: "Breaks a task into steps." });
      const coder = agent("coder", [["def add(a, b): return a + b"], []], { description: "Writes Python code." });
      const reviewer = agent("reviewer", [[], ["Looks right. TERMINATE"]], { description: "Reviews code." });
      const team = new SelectorGroupChat({ participants: [planner, coder, reviewer], modelClient: model("selector", ["coder"], ["reviewer"]), maxTurns: 1 });
      return { team, models };
    }
    case "swarm": {
      const alice = agent("alice", [[callTool("transfer_to_bob")], []], { handoffs: ["bob"] });
      const bob = agent("bob", [[callTool("transfer_to_user")], ["Your birthday is on 1 January. TERMINATE"]], { handoffs: ["alice", "user"] });
      const team = new Swarm({ participants: [alice, bob], terminationCondition: new HandoffTermination("user").or(new TextMentionTermination("TERMINATE")) });
      return { team, models };
    }
    case "graph": {
      const writer = agent("writer", [["Draft: cats nap all day."], []]);
      const longCritique = Array.from({ length: 40 }, (_, index) => `point${index}`).join(" ");
      const critic = new AssistantAgent({
        name: "critic",
        modelClient: model("critic", [longCritique], ["Good. APPROVE"], { chunkDelayMs: 25 }),
        modelClientStream: true,
      });
      const editor = agent("editor", [[], ["Final: cats nap all day."]]);
      const builder = new DiGraphBuilder().addNode(writer).addNode(critic).addNode(editor).addEdge(writer, critic).addEdge(critic, editor);
      return { team: new GraphFlow({ participants: builder.getParticipants(), graph: builder.build() }), models };
    }
    case "society": {
      const writer = agent("writer", [["Once upon a time."], ["Twice upon a time."]]);
      const editor = agent("editor", [["Fine."], ["Better."]]);
      const inner = new RoundRobinGroupChat({ participants: [writer, editor], maxTurns: 2 });
      const society = new SocietyOfMindAgent({ name: "society", team: inner, modelClient: model("summary", ["A story: once upon a time."], ["A second story."]) });
      const translator = agent("translator", [[], ["Érase una vez."]]);
      return { team: new RoundRobinGroupChat({ participants: [society, translator], maxTurns: first ? 1 : 2 }), models };
    }
  }
}

/** The task the resumed run gets: a swarm is answered by a hand-off back from the user; the others continue. */
export function resumeTask(kind: TeamKind): ChatMessage | undefined {
  if (kind === "swarm") return createMessage("HandoffMessage", { source: "user", target: "bob", content: "It is my birthday I asked about.", context: [] });
  return undefined;
}
