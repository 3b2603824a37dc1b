// `agentbook demo`: a two-agent chat in the terminal on the offline model (or a live one, when
// the environment names one), to see agentbook work without opening the notebook UI.
import {
  AssistantAgent,
  Console,
  MaxMessageTermination,
  RoundRobinGroupChat,
  TextMentionTermination,
  modelClientFromEnv,
} from "../../library/index.ts";

const OFFLINE_SCRIPT = [
  "Here is a first draft: 'Autumn leaves drift down / the river carries their gold / far past the old mill.'",
  "Good imagery. Tighten the last line so it lands on a sound: try 'past the silent mill'.",
  "Revised: 'Autumn leaves drift down / the river carries their gold / past the silent mill.'",
  "That works: clear seasonal image, 5-7-5, and a quiet ending. APPROVE",
];

export async function runDemo(): Promise<void> {
  const modelClient = modelClientFromEnv({ offline: OFFLINE_SCRIPT, offlineOptions: { chunkDelayMs: 40 } });
  const writer = new AssistantAgent({
    name: "writer",
    modelClient,
    systemMessage: "You are a poet. Write and revise short haiku.",
    modelClientStream: true,
  });
  const critic = new AssistantAgent({
    name: "critic",
    modelClient,
    systemMessage: "You review haiku. Give one concrete suggestion, or reply APPROVE when it is good.",
    modelClientStream: true,
  });
  const team = new RoundRobinGroupChat({
    participants: [writer, critic],
    terminationCondition: new TextMentionTermination("APPROVE").or(new MaxMessageTermination(8)),
  });
  await Console(team.runStream({ task: "Write a haiku about autumn by a river." }), { outputStats: true });
  await modelClient.close();
}
