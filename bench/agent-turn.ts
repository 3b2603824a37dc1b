/**
 * The agent-turn workload the benchmarks share: one AssistantAgent turn with one tool call
 * (the model asks for `add`, the tool runs, the model answers) against the local
 * OpenAI-compatible server.
 */
import { z } from "zod";
import { AssistantAgent, FunctionTool } from "agentbook";
import type { ChatCompletionClient } from "agentbook";
import type { RecordedRequest } from "../test/fixtures/openai-server.ts";

/** The model every contender asks for. */
export const MODEL = "gpt-4o";

/** The tool's function and parameters, shared by every framework's version of the tool. */
export const add = async ({ a, b }: { a: number; b: number }) => String(a + b);
export const addParameters = z.object({ a: z.number(), b: z.number() });

/** Server responder: ask for `add` until a tool result is in the context, then answer. */
export function toolResponder(request: RecordedRequest) {
  const messages = (request.body as { messages: Array<{ role: string }> }).messages;
  if (messages.at(-1)?.role === "tool") return "The sum is 5.";
  return { toolCalls: [{ name: "add", arguments: { a: 2, b: 3 } }] };
}

/** One agentbook turn on `client`: a fresh AssistantAgent with the tool, reflecting on its result. */
export function agentbookTurn(client: ChatCompletionClient): () => Promise<void> {
  const addTool = new FunctionTool(add, { name: "add", description: "Add two numbers", parameters: addParameters });
  return async () => {
    const agent = new AssistantAgent({
      name: "assistant",
      modelClient: client,
      tools: [addTool],
      reflectOnToolUse: true,
      systemMessage: "You are a helpful assistant.",
    });
    const result = await agent.run({ task: "What is 2 + 3?" });
    if (result.messages.at(-1)?.type !== "TextMessage") throw new Error("agentbook: no answer");
  };
}
