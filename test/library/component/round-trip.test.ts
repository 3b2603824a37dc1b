import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { z } from "zod";
import {
  AndTerminationCondition,
  AssistantAgent,
  AzureOpenAIChatCompletionClient,
  BufferedChatCompletionContext,
  ChatCompletionCache,
  CodeExecutorAgent,
  DiGraphBuilder,
  EmbeddedVectorMemory,
  ExternalTermination,
  FileCacheStore,
  FunctionCallTermination,
  FunctionTool,
  GraphFlow,
  HandoffTermination,
  HeadAndTailChatCompletionContext,
  InMemoryCacheStore,
  ListMemory,
  LocalCommandLineCodeExecutor,
  MaxMessageTermination,
  OpenAIChatCompletionClient,
  OrTerminationCondition,
  ReplayChatCompletionClient,
  RoundRobinGroupChat,
  SelectorGroupChat,
  SocietyOfMindAgent,
  SourceMatchTermination,
  StopMessageTermination,
  Swarm,
  TextMentionTermination,
  TimeoutTermination,
  TokenUsageTermination,
  UnboundedChatCompletionContext,
  UserProxyAgent,
  createMessage,
  dumpComponent,
  loadComponent,
  type ComponentModel,
  type ComponentReferences,
  type LLMMessage,
} from "agentbook";

const ENV = { OPENAI_API_KEY: "sk-env-key-for-tests", AZURE_OPENAI_API_KEY: "azure-env-key-for-tests", MY_KEY: "sk-my-key" };

/** dump -> JSON text -> parse -> load -> dump, asserting the two dumps are equal; returns the loaded object. */
function roundTrip<T>(value: unknown, references: ComponentReferences = {}): { dump: ComponentModel; loaded: T } {
  const dump = dumpComponent(value, references);
  const text = JSON.stringify(dump);
  const loaded = loadComponent<T>(JSON.parse(text), { env: ENV, ...references });
  assert.deepEqual(dumpComponent(loaded, references), JSON.parse(text));
  return { dump, loaded };
}

const weather = new FunctionTool(async ({ city }: { city: string }) => `Sunny in ${city}`, {
  name: "get_weather",
  description: "Current weather in a city.",
  parameters: z.object({ city: z.string() }),
});

describe("model clients round trip", () => {
  it("ReplayChatCompletionClient keeps its script, capabilities and chunk delay, and answers the same", async () => {
    const client = new ReplayChatCompletionClient(
      [
        "first",
        {
          finishReason: "function_calls",
          content: [{ id: "c1", name: "get_weather", arguments: '{"city":"Paris"}' }],
          usage: { promptTokens: 10, completionTokens: 5 },
          cached: false,
          thought: "need weather",
        },
      ],
      { modelInfo: { vision: false, family: "scripted" }, chunkDelayMs: 5 },
    );
    const { dump, loaded } = roundTrip<ReplayChatCompletionClient>(client);
    assert.equal(dump.provider, "agentbook.ReplayChatCompletionClient");
    assert.equal(dump.component_type, "model");
    assert.ok(loaded instanceof ReplayChatCompletionClient);
    assert.equal(loaded.modelInfo.vision, false);
    assert.equal(loaded.modelInfo.family, "scripted");
    assert.equal(loaded.chunkDelayMs, 5);
    const first = await loaded.create([{ type: "UserMessage", content: "hi", source: "user" }]);
    assert.equal(first.content, "first");
    const second = await loaded.create([{ type: "UserMessage", content: "hi", source: "user" }]);
    assert.deepEqual(second.content, [{ id: "c1", name: "get_weather", arguments: '{"city":"Paris"}' }]);
    assert.equal(second.thought, "need weather");
  });

  it("OpenAIChatCompletionClient keeps model, server, sampling options and harmless headers", () => {
    const client = new OpenAIChatCompletionClient({
      model: "llama3.2",
      baseURL: "http://127.0.0.1:11434/v1",
      apiKey: "sk-literal",
      modelInfo: { vision: false, functionCalling: true, jsonOutput: true, structuredOutput: false, family: "llama" },
      temperature: 0.2,
      maxTokens: 256,
      seed: 7,
      stop: ["END"],
      parallelToolCalls: false,
      timeout: 30_000,
      maxRetries: 1,
      organization: "org-1",
      defaultHeaders: { "X-Team": "docs" },
      includeNameInMessage: false,
    });
    const { dump, loaded } = roundTrip<OpenAIChatCompletionClient>(client);
    assert.deepEqual(dump.config, {
      model: "llama3.2",
      modelInfo: { vision: false, functionCalling: true, jsonOutput: true, structuredOutput: false, family: "llama" },
      timeout: 30_000,
      maxRetries: 1,
      temperature: 0.2,
      maxTokens: 256,
      seed: 7,
      stop: ["END"],
      parallelToolCalls: false,
      includeNameInMessage: false,
      defaultHeaders: { "X-Team": "docs" },
      apiKeyEnv: "OPENAI_API_KEY",
      baseURL: "http://127.0.0.1:11434/v1",
      organization: "org-1",
    });
    assert.equal(loaded.model, "llama3.2");
    assert.equal(loaded.options.baseURL, "http://127.0.0.1:11434/v1");
  });

  it("OpenAIChatCompletionClient for api.openai.com leaves the default server out", () => {
    const { dump } = roundTrip(new OpenAIChatCompletionClient({ model: "gpt-4o-mini", apiKey: "sk-literal", baseURL: "https://api.openai.com/v1" }));
    assert.deepEqual(dump.config, { model: "gpt-4o-mini", apiKeyEnv: "OPENAI_API_KEY" });
  });

  it("a local server used without a key stays without one", () => {
    const loaded = loadComponent<OpenAIChatCompletionClient>(
      { provider: "agentbook.OpenAIChatCompletionClient", config: { model: "gpt-4o", baseURL: "http://127.0.0.1:9/v1" } },
      { env: ENV },
    );
    assert.equal(loaded.sendsApiKey, false);
    assert.equal(dumpComponent(loaded).config.apiKeyEnv, undefined);
  });

  it("AzureOpenAIChatCompletionClient with a key, and with a named token provider", () => {
    const withKey = new AzureOpenAIChatCompletionClient({
      azureEndpoint: "https://example.openai.azure.com",
      azureDeployment: "gpt-4o",
      apiVersion: "2024-10-21",
      apiKey: "azure-literal",
    });
    const { dump } = roundTrip(withKey);
    assert.deepEqual(dump.config, {
      azureEndpoint: "https://example.openai.azure.com",
      azureDeployment: "gpt-4o",
      apiVersion: "2024-10-21",
      apiKeyEnv: "AZURE_OPENAI_API_KEY",
    });

    const entraToken = async () => "token";
    const withToken = new AzureOpenAIChatCompletionClient({
      azureEndpoint: "https://example.openai.azure.com",
      azureDeployment: "mini",
      model: "gpt-4o-mini",
      azureAdTokenProvider: entraToken,
    });
    const { dump: tokenDump, loaded } = roundTrip<AzureOpenAIChatCompletionClient>(withToken, { functions: { entraToken } });
    assert.equal(tokenDump.config.azureAdTokenProvider, "entraToken");
    assert.equal(tokenDump.config.apiKeyEnv, undefined);
    assert.equal(loaded.options.azureAdTokenProvider, entraToken);
  });

  it("ChatCompletionCache with the in-memory store and with a file store", async () => {
    const memory = roundTrip<ChatCompletionCache>(new ChatCompletionCache(new ReplayChatCompletionClient(["cached answer"])));
    assert.ok(memory.loaded.store instanceof InMemoryCacheStore);
    assert.equal(memory.dump.config.store && (memory.dump.config.store as ComponentModel).provider, "agentbook.InMemoryCacheStore");
    const ask: LLMMessage[] = [{ type: "UserMessage", content: "q", source: "user" }];
    assert.equal((await memory.loaded.create(ask)).content, "cached answer");
    assert.equal((await memory.loaded.create(ask)).cached, true);

    const dir = await mkdtemp(join(tmpdir(), "agentbook-cache-"));
    try {
      const file = roundTrip<ChatCompletionCache>(new ChatCompletionCache(new ReplayChatCompletionClient(["x"]), new FileCacheStore(dir)));
      assert.ok(file.loaded.store instanceof FileCacheStore);
      assert.equal((file.loaded.store as FileCacheStore).dir, dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("model contexts round trip", () => {
  const fewShot: LLMMessage[] = [
    { type: "UserMessage", content: "2+2?", source: "user" },
    { type: "AssistantMessage", content: "4", source: "assistant" },
  ];

  it("UnboundedChatCompletionContext keeps its initial messages, not the conversation", async () => {
    const context = new UnboundedChatCompletionContext({ initialMessages: fewShot });
    await context.addMessage({ type: "UserMessage", content: "later", source: "user" });
    const { dump, loaded } = roundTrip<UnboundedChatCompletionContext>(context);
    assert.deepEqual(dump.config, { initialMessages: fewShot });
    assert.deepEqual(await loaded.getMessages(), fewShot);
  });

  it("BufferedChatCompletionContext keeps its window", async () => {
    const { dump, loaded } = roundTrip<BufferedChatCompletionContext>(new BufferedChatCompletionContext({ bufferSize: 1, initialMessages: fewShot }));
    assert.deepEqual(dump.config, { bufferSize: 1, initialMessages: fewShot });
    assert.deepEqual(await loaded.getMessages(), [fewShot[1]]);
  });

  it("HeadAndTailChatCompletionContext keeps head and tail sizes", () => {
    const { dump } = roundTrip(new HeadAndTailChatCompletionContext({ headSize: 1, tailSize: 3 }));
    assert.deepEqual(dump.config, { headSize: 1, tailSize: 3 });
  });
});

describe("termination conditions round trip", () => {
  const text = (source: string, content: string) => createMessage("TextMessage", { source, content });

  const cases: Array<[string, () => unknown, Record<string, unknown>]> = [
    ["MaxMessageTermination", () => new MaxMessageTermination(5, { includeAgentEvent: true }), { maxMessages: 5, includeAgentEvent: true }],
    ["TextMentionTermination", () => new TextMentionTermination("DONE", { sources: ["critic"] }), { text: "DONE", sources: ["critic"] }],
    ["StopMessageTermination", () => new StopMessageTermination(), {}],
    ["TokenUsageTermination", () => new TokenUsageTermination({ maxTotalToken: 100, maxCompletionToken: 40 }), { maxTotalToken: 100, maxCompletionToken: 40 }],
    ["HandoffTermination", () => new HandoffTermination("user"), { target: "user" }],
    ["TimeoutTermination", () => new TimeoutTermination(2.5), { timeoutSeconds: 2.5 }],
    ["ExternalTermination", () => new ExternalTermination(), {}],
    ["SourceMatchTermination", () => new SourceMatchTermination(["a", "b"]), { sources: ["a", "b"] }],
    ["FunctionCallTermination", () => new FunctionCallTermination("approve"), { functionName: "approve" }],
  ];
  for (const [name, make, config] of cases)
    it(name, () => {
      const original = make();
      const { dump, loaded } = roundTrip(original);
      assert.equal(dump.provider, `agentbook.${name}`);
      assert.equal(dump.component_type, "termination");
      assert.deepEqual(dump.config, config);
      assert.equal((loaded as object).constructor, (original as object).constructor);
    });

  it("or/and combinations, nested, keep their structure and behaviour", async () => {
    const combined = new MaxMessageTermination(3).or(new TextMentionTermination("STOP").and(new SourceMatchTermination(["critic"])));
    const { dump, loaded } = roundTrip<OrTerminationCondition>(combined);
    assert.equal(dump.provider, "agentbook.OrTerminationCondition");
    const inner = (dump.config.conditions as ComponentModel[])[1]!;
    assert.equal(inner.provider, "agentbook.AndTerminationCondition");
    assert.ok(loaded instanceof OrTerminationCondition);
    assert.ok(loaded.conditions[1] instanceof AndTerminationCondition);
    // STOP said by the writer is not enough; the critic then speaking is (and: both fired).
    assert.equal(await loaded.check([text("writer", "STOP")]), null);
    const stop = await loaded.check([text("critic", "fine")]);
    assert.match(stop!.content, /Text 'STOP' mentioned, 'critic' answered/);
  });
});

describe("tools and memories round trip", () => {
  it("a tool is recorded by name and loaded from the registry", () => {
    const { dump, loaded } = roundTrip(weather, { tools: [weather] });
    assert.deepEqual(dump.config, { name: "get_weather" });
    assert.equal(dump.provider, "agentbook.ToolReference");
    assert.equal(loaded, weather);
  });

  it("ListMemory is recorded with its items", async () => {
    const memory = new ListMemory({ name: "prefs", memoryContents: [{ content: "Use metric units.", mimeType: "text/plain", metadata: { topic: "units" } }] });
    const { dump, loaded } = roundTrip<ListMemory>(memory);
    assert.equal(dump.config.name, "prefs");
    assert.deepEqual(loaded.contents, memory.contents);
  });

  it("other memories are recorded by name and loaded from the references", () => {
    const store = new EmbeddedVectorMemory({ name: "facts" });
    const { dump, loaded } = roundTrip(store, { memories: [store] });
    assert.equal(dump.provider, "agentbook.MemoryReference");
    assert.deepEqual(dump.config, { name: "facts" });
    assert.equal(loaded, store);
  });
});

describe("agents round trip", () => {
  it("AssistantAgent with tools, handoffs, context, memory, options and structured output", async () => {
    const formatLine = (call: { name: string }) => `called ${call.name}`;
    const agent = new AssistantAgent({
      name: "planner",
      description: "Plans trips.",
      systemMessage: "You plan trips.",
      modelClient: new ReplayChatCompletionClient(['{"city":"Paris","days":3}']),
      tools: [weather],
      handoffs: ["booker", { target: "user", description: "Ask the user.", message: "Over to you." }],
      modelContext: new BufferedChatCompletionContext({ bufferSize: 6 }),
      memory: new ListMemory({ name: "prefs", memoryContents: [{ content: "Likes museums.", mimeType: "text/plain" }] }),
      modelClientStream: true,
      maxToolIterations: 2,
      toolCallSummaryFormat: "{tool_name}: {result}",
      toolCallSummaryFormatter: formatLine,
      outputContentType: z.object({ city: z.string(), days: z.number().int() }),
      outputContentTypeFormat: "{city} for {days} days",
      metadata: { team: "travel" },
    });
    const { dump, loaded } = roundTrip<AssistantAgent>(agent, { tools: [weather], functions: { formatLine } });
    assert.equal(dump.provider, "agentbook.AssistantAgent");
    const config = dump.config;
    assert.equal(config.name, "planner");
    assert.equal(config.systemMessage, "You plan trips.");
    assert.deepEqual(config.handoffs, [
      { target: "booker", description: "Handoff to booker.", name: "transfer_to_booker", message: "Transferred to booker, adopting the role of booker immediately." },
      { target: "user", description: "Ask the user.", name: "transfer_to_user", message: "Over to you." },
    ]);
    assert.equal(config.toolCallSummaryFormatter, "formatLine");
    assert.equal(config.reflectOnToolUse, true);
    assert.equal((config.outputContentType as { type: string }).type, "object");
    assert.ok(loaded.modelContext instanceof BufferedChatCompletionContext);
    assert.deepEqual(loaded.tools, [weather]);
    assert.deepEqual(loaded.metadata, { team: "travel" });
    // The loaded agent really uses its structured output type.
    const result = await loaded.run({ task: "Plan a trip." });
    const answer = result.messages.at(-1)!;
    assert.equal(answer.type, "StructuredMessage");
    assert.deepEqual(answer.type === "StructuredMessage" ? answer.content : undefined, { city: "Paris", days: 3 });
  });

  it("AssistantAgent with defaults writes the defaults out", () => {
    const { dump } = roundTrip(new AssistantAgent({ name: "plain", modelClient: new ReplayChatCompletionClient(["ok"]), systemMessage: null }));
    assert.equal(dump.config.systemMessage, null);
    assert.equal(dump.config.maxToolIterations, 1);
    assert.equal(dump.config.tools, undefined);
  });

  it("UserProxyAgent with a named input function", async () => {
    const askHuman = () => "typed by the human";
    const { dump, loaded } = roundTrip<UserProxyAgent>(new UserProxyAgent({ name: "human", inputFunc: askHuman }), { functions: { askHuman } });
    assert.deepEqual(dump.config, { name: "human", description: "A human user", inputFunc: "askHuman" });
    const result = await loaded.run({ task: "Your turn." });
    assert.equal(result.messages.at(-1)!.type === "TextMessage" && result.messages.at(-1)!.content, "typed by the human");
  });

  it("CodeExecutorAgent with a named executor and approval function", async () => {
    const executor = new LocalCommandLineCodeExecutor({ timeout: 10 });
    const approve = () => ({ approved: true, reason: "fine" });
    try {
      const agent = new CodeExecutorAgent({ name: "runner", codeExecutor: executor, approvalFunc: approve, sources: ["coder"] });
      const references = { codeExecutors: { local: executor }, functions: { approve } };
      const { dump, loaded } = roundTrip<CodeExecutorAgent>(agent, references);
      assert.equal((dump.config.codeExecutor as ComponentModel).provider, "agentbook.CodeExecutorReference");
      assert.deepEqual((dump.config.codeExecutor as ComponentModel).config, { name: "local" });
      assert.equal(dump.config.approvalFunc, "approve");
      assert.equal(loaded.codeExecutor, executor);
      assert.deepEqual(loaded.options.sources, ["coder"]);
    } finally {
      await executor.stop();
    }
  });

  it("SocietyOfMindAgent with its inner team", () => {
    const writer = new AssistantAgent({ name: "writer", modelClient: new ReplayChatCompletionClient(["draft"]) });
    const inner = new RoundRobinGroupChat({ participants: [writer], maxTurns: 1 });
    const society = new SocietyOfMindAgent({ name: "society", team: inner, modelClient: new ReplayChatCompletionClient(["final"]), instruction: "Summarise." });
    const { dump, loaded } = roundTrip<SocietyOfMindAgent>(society);
    assert.equal((dump.config.team as ComponentModel).provider, "agentbook.RoundRobinGroupChat");
    assert.equal(loaded.instruction, "Summarise.");
    assert.ok(loaded.team instanceof RoundRobinGroupChat);
  });
});

describe("teams round trip", () => {
  const agent = (name: string, ...responses: string[]) => new AssistantAgent({ name, modelClient: new ReplayChatCompletionClient(responses) });

  it("RoundRobinGroupChat with a combined condition, turn limit and team events", async () => {
    const team = new RoundRobinGroupChat({
      participants: [agent("writer", "a poem"), agent("critic", "APPROVE")],
      terminationCondition: new TextMentionTermination("APPROVE").or(new MaxMessageTermination(10)),
      maxTurns: 4,
      emitTeamEvents: true,
    });
    const { dump, loaded } = roundTrip<RoundRobinGroupChat>(team);
    assert.equal(dump.config.maxTurns, 4);
    assert.equal(dump.config.emitTeamEvents, true);
    const result = await loaded.run({ task: "Write a poem." });
    assert.deepEqual(result.messages.filter((m) => m.type === "TextMessage").map((m) => m.source), ["user", "writer", "critic"]);
    assert.equal(result.stopReason, "Text 'APPROVE' mentioned");
  });

  it("SelectorGroupChat with its prompt, options and a named selector function", () => {
    const pickNext = () => "critic";
    const team = new SelectorGroupChat({
      participants: [agent("writer"), agent("critic")],
      modelClient: new ReplayChatCompletionClient(["writer"]),
      selectorPrompt: "Pick from {participants}.",
      allowRepeatedSpeaker: true,
      maxSelectorAttempts: 2,
      selectorFunc: pickNext,
      maxTurns: 3,
    });
    const { dump, loaded } = roundTrip<SelectorGroupChat>(team, { functions: { pickNext } });
    assert.equal(dump.config.selectorFunc, "pickNext");
    assert.equal(loaded.selectorFunc, pickNext);
    assert.equal(loaded.selectorPrompt, "Pick from {participants}.");
  });

  it("Swarm", () => {
    const team = new Swarm({
      participants: [
        new AssistantAgent({ name: "alice", modelClient: new ReplayChatCompletionClient(["hi"]), handoffs: ["bob"] }),
        new AssistantAgent({ name: "bob", modelClient: new ReplayChatCompletionClient(["hi"]), handoffs: ["alice"] }),
      ],
      terminationCondition: new HandoffTermination("user"),
    });
    const { loaded } = roundTrip<Swarm>(team);
    assert.ok(loaded instanceof Swarm);
  });

  it("GraphFlow with text and named function conditions, activation and entry point", () => {
    const writer = agent("writer");
    const critic = agent("critic");
    const editor = agent("editor");
    const needsWork = (message: { source: string }) => message.source === "critic";
    const graph = new DiGraphBuilder()
      .addNode(writer, { activation: "any" })
      .addNode(critic)
      .addNode(editor)
      .addEdge(writer, critic)
      .addEdge(critic, writer, { condition: needsWork })
      .addEdge(critic, editor, { condition: "APPROVE" })
      .setEntryPoint(writer)
      .build();
    const team = new GraphFlow({ participants: [writer, critic, editor], graph });
    const { dump, loaded } = roundTrip<GraphFlow>(team, { functions: { needsWork } });
    const nodes = (dump.config.graph as { nodes: Record<string, { edges: unknown[]; activation: string }> }).nodes;
    assert.deepEqual(nodes.critic!.edges, [
      { target: "writer", conditionFunction: "needsWork" },
      { target: "editor", condition: "APPROVE" },
    ]);
    assert.equal(nodes.writer!.activation, "any");
    assert.equal(loaded.graph.entryPoint, "writer");
    assert.equal(loaded.graph.nodes.critic!.edges[0]!.condition, needsWork);
  });
});

describe("a dump is plain JSON", () => {
  it("survives JSON.stringify unchanged and carries the ComponentModel envelope", () => {
    const dump = dumpComponent(new MaxMessageTermination(2));
    assert.deepEqual(JSON.parse(JSON.stringify(dump)), dump);
    assert.deepEqual(Object.keys(dump), ["provider", "component_type", "version", "component_version", "description", "label", "config"]);
  });
});
