/**
 * Framework overhead of agentbook against the raw openai SDK and @openai/agents, all three
 * talking to the same local OpenAI-compatible server with zero latency, in one run:
 *  1. one agent turn with one tool call (model asks for the tool, tool runs, model answers);
 *  2. a 3-agent round-robin of 30 messages.
 * The ratio column is p50 over the raw SDK's p50: what the framework costs on top of HTTP.
 */
import OpenAI from "openai";
import { z } from "zod";
import type { AgentInputItem } from "@openai/agents";
import { Agent as OAAgent, run as oaRun, setDefaultOpenAIClient, setOpenAIAPI, setTracingDisabled, tool as oaTool } from "@openai/agents";
import { AssistantAgent, MaxMessageTermination, OpenAIChatCompletionClient, RoundRobinGroupChat } from "agentbook";
import { startOpenAIServer } from "../test/fixtures/openai-server.ts";
import { add, addParameters, agentbookTurn as makeAgentbookTurn, MODEL, toolResponder } from "./agent-turn.ts";
import { compare, measureInterleaved, printTable } from "./stats.ts";

const iterations = Number(process.env.BENCH_ITERATIONS ?? 200);

const server = await startOpenAIServer({ responder: toolResponder });

/** A contender that fails loudly unless each run makes exactly `calls` model requests. */
function expectCalls(name: string, calls: number, run: () => Promise<void>) {
  return {
    name,
    run: async () => {
      const before = server.chatRequests.length;
      await run();
      const made = server.chatRequests.length - before;
      if (made !== calls) throw new Error(`${name} made ${made} model calls, expected ${calls}`);
    },
  };
}
const sdk = new OpenAI({ apiKey: "sk-bench", baseURL: server.url, maxRetries: 0 });
const jsonSchema = z.toJSONSchema(addParameters) as Record<string, unknown>;

// ---- 1. one turn with one tool call ----------------------------------------------------------

async function rawTurn(): Promise<void> {
  const messages: OpenAI.ChatCompletionMessageParam[] = [
    { role: "system", content: "You are a helpful assistant." },
    { role: "user", content: "What is 2 + 3?" },
  ];
  const tools: OpenAI.ChatCompletionTool[] = [
    { type: "function", function: { name: "add", description: "Add two numbers", parameters: jsonSchema } },
  ];
  const first = await sdk.chat.completions.create({ model: MODEL, messages, tools });
  const message = first.choices[0]!.message;
  messages.push(message);
  for (const call of message.tool_calls ?? []) {
    if (call.type !== "function") continue;
    const args = addParameters.parse(JSON.parse(call.function.arguments));
    messages.push({ role: "tool", tool_call_id: call.id, content: await add(args) });
  }
  const second = await sdk.chat.completions.create({ model: MODEL, messages, tools });
  if (!second.choices[0]!.message.content) throw new Error("raw: no answer");
}

const client = new OpenAIChatCompletionClient({ model: MODEL, apiKey: "sk-bench", baseURL: server.url, maxRetries: 0 });
const agentbookTurn = makeAgentbookTurn(client);

setDefaultOpenAIClient(sdk);
setOpenAIAPI("chat_completions");
setTracingDisabled(true);
const oaAdd = oaTool({ name: "add", description: "Add two numbers", parameters: addParameters, execute: add });

async function openaiAgentsTurn(): Promise<void> {
  const agent = new OAAgent({ name: "assistant", instructions: "You are a helpful assistant.", tools: [oaAdd], model: MODEL });
  const result = await oaRun(agent, "What is 2 + 3?");
  if (!result.finalOutput) throw new Error("@openai/agents: no answer");
}

server.setResponder(toolResponder);
const turnContenders = [
  expectCalls("raw openai SDK", 2, rawTurn),
  expectCalls("agentbook AssistantAgent", 2, agentbookTurn),
  expectCalls("@openai/agents", 2, openaiAgentsTurn),
];
const turnResults = await measureInterleaved(turnContenders, { warmup: 20, iterations });
printTable(`One agent turn with one tool call (2 model calls), ${iterations} runs`, compare(turnResults));

// ---- 2. three agents, round robin, 30 messages -----------------------------------------------

let reply = 0;
const textResponder = () => `Message ${++reply}: a short contribution to the discussion.`;
const speakers = ["planner", "writer", "critic"];
const rounds = 30;
const teamIterations = Math.max(5, Math.round(iterations / 10));

async function rawRoundRobin(): Promise<void> {
  const transcript: Array<{ name: string; content: string }> = [{ name: "user", content: "Plan a weekend in Lisbon." }];
  for (let turn = 0; turn < rounds; turn++) {
    const speaker = speakers[turn % speakers.length]!;
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: "system", content: `You are ${speaker}.` },
      ...transcript.map((m) =>
        m.name === speaker
          ? ({ role: "assistant", content: m.content } as const)
          : ({ role: "user", content: m.content, name: m.name } as const),
      ),
    ];
    const answer = await sdk.chat.completions.create({ model: MODEL, messages });
    transcript.push({ name: speaker, content: answer.choices[0]!.message.content ?? "" });
  }
}

async function agentbookRoundRobin(): Promise<void> {
  const team = new RoundRobinGroupChat({
    participants: speakers.map(
      (name) => new AssistantAgent({ name, modelClient: client, systemMessage: `You are ${name}.` }),
    ),
    terminationCondition: new MaxMessageTermination(rounds + 1),
  });
  const result = await team.run({ task: "Plan a weekend in Lisbon." });
  if (result.messages.length !== rounds + 1) throw new Error(`agentbook: ${result.messages.length} messages`);
}

async function openaiAgentsRoundRobin(): Promise<void> {
  // @openai/agents has no group chat; the closest is running each agent in turn on the shared history.
  const agents = speakers.map((name) => new OAAgent({ name, instructions: `You are ${name}.`, model: MODEL }));
  let history: string | AgentInputItem[] = "Plan a weekend in Lisbon.";
  for (let turn = 0; turn < rounds; turn++) {
    const result: { history: AgentInputItem[] } = await oaRun(agents[turn % agents.length]!, history);
    history = result.history;
  }
}

server.setResponder(textResponder);
const teamContenders = [
  expectCalls("raw openai SDK", rounds, rawRoundRobin),
  expectCalls("agentbook RoundRobinGroupChat", rounds, agentbookRoundRobin),
  expectCalls("@openai/agents", rounds, openaiAgentsRoundRobin),
];
const teamResults = await measureInterleaved(teamContenders, { warmup: 2, iterations: teamIterations });
printTable(`3-agent round robin, ${rounds} messages, ${teamIterations} runs`, compare(teamResults));

await server.close();
await client.close();
