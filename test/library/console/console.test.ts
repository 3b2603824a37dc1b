import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import {
  AssistantAgent,
  Console,
  createMessage,
  FunctionTool,
  MaxMessageTermination,
  ReplayChatCompletionClient,
  RoundRobinGroupChat,
  textMessage,
} from "agentbook";
import type { AgentMessage, CreateResult, TaskResult } from "agentbook";

function capture() {
  const chunks: string[] = [];
  return { write: (text: string) => void chunks.push(text), text: () => chunks.join(""), writes: chunks };
}

const rule = (title: string) => `---------- ${title} ----------`;

describe("Console", () => {
  it("prints a team run with a tool call and a streamed answer, once, with token usage", async () => {
    const weather = new FunctionTool(async ({ city }: { city: string }) => `Sunny, 24 C in ${city}`, {
      name: "get_weather",
      description: "Current weather in a city.",
      parameters: z.object({ city: z.string() }),
    });
    const modelClient = new ReplayChatCompletionClient([
      { content: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }] } as CreateResult,
      "It is sunny in Paris today.",
    ]);
    const assistant = new AssistantAgent({ name: "assistant", modelClient, tools: [weather], reflectOnToolUse: true, modelClientStream: true });
    const team = new RoundRobinGroupChat({ participants: [assistant], maxTurns: 1 });
    const out = capture();

    const result = await Console(team.runStream({ task: "What is the weather in Paris?" }), { outputStats: true, write: out.write });
    const text = out.text();

    assert.equal(result.type, "TaskResult");
    assert.equal(result.stopReason, "Maximum number of turns 1 reached.");
    const headers = text.split("\n").filter((line) => line.startsWith("----------"));
    assert.deepEqual(headers, [
      rule("TextMessage (user)"),
      rule("ToolCallRequestEvent (assistant)"),
      rule("ToolCallExecutionEvent (assistant)"),
      rule("ModelClientStreamingChunkEvent (assistant)"),
      rule("Summary"),
    ]);
    assert.ok(text.includes(`${rule("ToolCallRequestEvent (assistant)")}\nget_weather({"city":"Paris"})\n[Prompt tokens: `));
    assert.ok(text.includes(`${rule("ToolCallExecutionEvent (assistant)")}\nget_weather -> Sunny, 24 C in Paris\n`));
    assert.equal(text.split("It is sunny in Paris today.").length, 2, "the streamed answer is printed once");
    assert.ok(out.writes.filter((write) => write.trim() === "sunny").length === 1, "chunks are written as they arrive");

    const usage = result.messages.flatMap((message) => (message.modelsUsage ? [message.modelsUsage] : []));
    assert.equal(usage.length, 2, "the tool-call request and the answer each used the model");
    const prompt = usage.reduce((sum, item) => sum + item.promptTokens, 0);
    const completion = usage.reduce((sum, item) => sum + item.completionTokens, 0);
    assert.ok(text.includes(`Number of messages: ${result.messages.length}\nFinish reason: Maximum number of turns 1 reached.\n`));
    assert.ok(text.includes(`Total prompt tokens: ${prompt}\nTotal completion tokens: ${completion}\n`));
    assert.match(text, /Duration: \d+\.\d\d seconds\n$/);
  });

  it("prints handoffs and stays quiet about stats unless asked", async () => {
    async function* stream(): AsyncGenerator<AgentMessage | TaskResult> {
      const task = textMessage("user", "book it");
      const handoff = createMessage("HandoffMessage", {
        source: "agent",
        content: "Transferred to user.",
        target: "user",
        context: [],
        modelsUsage: { promptTokens: 7, completionTokens: 3 },
      });
      yield task;
      yield handoff;
      yield { type: "TaskResult", messages: [task, handoff], stopReason: "Handoff to user from agent detected." };
    }
    const out = capture();
    const result = await Console(stream(), { write: out.write });
    assert.equal(result.stopReason, "Handoff to user from agent detected.");
    assert.equal(
      out.text(),
      `${rule("TextMessage (user)")}\nbook it\n${rule("HandoffMessage (agent)")}\nTransferred to user.\n[handoff to user]\n`,
    );
  });

  it("prints a streamed message without a message id once, and a different message after it in full", async () => {
    async function* stream(): AsyncGenerator<AgentMessage | TaskResult> {
      for (const chunk of ["Hel", "lo"]) yield createMessage("ModelClientStreamingChunkEvent", { source: "bot", content: chunk });
      yield textMessage("bot", "Hello");
      yield createMessage("ModelClientStreamingChunkEvent", { source: "bot", content: "thinking" });
      yield textMessage("bot", "Something else");
      yield { type: "TaskResult", messages: [] };
    }
    const out = capture();
    await Console(stream(), { write: out.write });
    assert.equal(
      out.text(),
      `${rule("ModelClientStreamingChunkEvent (bot)")}\nHello\n` +
        `${rule("ModelClientStreamingChunkEvent (bot)")}\nthinking\n${rule("TextMessage (bot)")}\nSomething else\n`,
    );
  });

  it("renders a single agent's run and rejects a stream without a result", async () => {
    const agent = new AssistantAgent({ name: "helper", modelClient: new ReplayChatCompletionClient(["Glad to help."]) });
    const out = capture();
    const result = await Console(agent.runStream({ task: "help" }), { write: out.write });
    assert.equal(result.messages.at(-1)?.source, "helper");
    assert.ok(out.text().includes(`${rule("TextMessage (helper)")}\nGlad to help.\n`));
    async function* empty(): AsyncGenerator<AgentMessage | TaskResult> {}
    await assert.rejects(Console(empty(), { write: () => {} }), /ended without a TaskResult/);
  });

  it("works as the terminal view of a team of assistants", async () => {
    const poet = new AssistantAgent({ name: "poet", modelClient: new ReplayChatCompletionClient(["Waves fold into foam."]) });
    const critic = new AssistantAgent({ name: "critic", modelClient: new ReplayChatCompletionClient(["APPROVE"]) });
    const team = new RoundRobinGroupChat({ participants: [poet, critic], terminationCondition: new MaxMessageTermination(3) });
    const out = capture();
    const result = await Console(team.runStream({ task: "A line about the sea." }), { write: out.write });
    assert.deepEqual(result.messages.map((message) => message.source), ["user", "poet", "critic"]);
    assert.ok(out.text().includes(`${rule("TextMessage (critic)")}\nAPPROVE\n`));
  });
});
