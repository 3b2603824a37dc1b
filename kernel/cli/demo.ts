// Placeholder until the team and Console land: a scripted exchange on the replay model.
import { ReplayChatCompletionClient } from "../../library/index.ts";

export async function runDemo(): Promise<void> {
  const client = new ReplayChatCompletionClient(["Hello from agentbook's offline model."]);
  const result = await client.create([{ type: "UserMessage", content: "Say hello.", source: "user" }]);
  console.log(result.content);
}
