import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AssistantAgent,
  CodeExecutorAgent,
  DiGraphBuilder,
  GraphFlow,
  LocalCommandLineCodeExecutor,
  MaxMessageTermination,
  ReplayChatCompletionClient,
  SelectorGroupChat,
  TerminationCondition,
  UserError,
  UserProxyAgent,
  dumpComponent,
  loadComponent,
  registerComponent,
  type AgentMessage,
  type StopMessage,
} from "agentbook";
import { z } from "zod";

const replay = { provider: "agentbook.ReplayChatCompletionClient", config: { responses: ["ok"] } };
const agentJson = (config: Record<string, unknown>) => ({ provider: "agentbook.AssistantAgent", config: { name: "a", modelClient: replay, ...config } });

/** Asserts `load` throws a UserError whose message matches every pattern. */
function assertUserError(load: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(load, (error: Error) => {
    assert.ok(error instanceof UserError, `expected a UserError, got ${error?.constructor?.name}: ${error?.message}`);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

describe("loadComponent errors name the field and the fix", () => {
  it("unknown provider: lists the known ones and suggests the agentbook name of an AutoGen class", () => {
    assertUserError(
      () => loadComponent({ provider: "agentbook.AsistantAgent", config: {} }),
      /^provider: unknown provider "agentbook\.AsistantAgent"/,
      /Known providers: .*agentbook\.AssistantAgent/,
      /registerComponent/,
    );
    assertUserError(
      () => loadComponent({ provider: "autogen_agentchat.agents.AssistantAgent", component_type: "agent", config: {} }),
      /Did you mean "agentbook\.AssistantAgent"\?/,
    );
  });

  it("unknown provider inside a team names its path and the expected kind", () => {
    const team = { provider: "agentbook.RoundRobinGroupChat", config: { participants: [agentJson({}), { provider: "myapp.Critic", config: {} }] } };
    assertUserError(() => loadComponent(team), /^config\.participants\[1\]\.provider: unknown provider "myapp\.Critic"/, /Known agent providers: /);
  });

  it("wrong component_type", () => {
    assertUserError(
      () => loadComponent({ provider: "agentbook.MaxMessageTermination", component_type: "agent", config: { maxMessages: 3 } }),
      /^component_type: "agent" does not match agentbook\.MaxMessageTermination, which is a "termination"/,
      /write "component_type": "termination"/,
    );
  });

  it("a component of the wrong kind in a field", () => {
    assertUserError(
      () => loadComponent(agentJson({ modelClient: { provider: "agentbook.MaxMessageTermination", config: { maxMessages: 3 } } })),
      /^config\.modelClient: a "model" component is expected here, but agentbook\.MaxMessageTermination is a "termination"/,
      /agentbook\.ReplayChatCompletionClient/,
    );
    assertUserError(
      () => loadComponent({ provider: "agentbook.MaxMessageTermination", config: { maxMessages: 3 } }, { componentType: "team" }),
      /a "team" component is expected here/,
    );
  });

  it("a newer component_version or envelope version", () => {
    assertUserError(
      () => loadComponent({ provider: "agentbook.MaxMessageTermination", component_version: 2, config: { maxMessages: 3 } }),
      /^component_version: agentbook\.MaxMessageTermination config version 2 is newer than this agentbook reads \(1\); upgrade agentbook/,
    );
    assertUserError(
      () => loadComponent({ provider: "agentbook.MaxMessageTermination", version: 3, config: { maxMessages: 3 } }),
      /^version: the component envelope is version 3, newer than this agentbook reads \(1\)/,
    );
  });

  it("a config value of the wrong type", () => {
    assertUserError(
      () => loadComponent({ provider: "agentbook.MaxMessageTermination", config: { maxMessages: "ten" } }),
      /- config\.maxMessages: expected number, received string/,
      /Fix those fields in the JSON/,
    );
  });

  it("a misspelt field, with the known fields listed", () => {
    assertUserError(
      () => loadComponent(agentJson({ systemMesage: "hi" })),
      /- config\.systemMesage: unknown field; remove it or correct its spelling/,
      /Known fields: name, description, systemMessage,/,
    );
  });

  it("a missing field", () => {
    assertUserError(() => loadComponent({ provider: "agentbook.AssistantAgent", config: { name: "a" } }), /- config\.modelClient: is missing; add it/);
  });

  it("a bad nested value names the full path", () => {
    const team = {
      provider: "agentbook.RoundRobinGroupChat",
      config: { participants: [agentJson({})], terminationCondition: { provider: "agentbook.OrTerminationCondition", config: { conditions: [{ provider: "agentbook.TimeoutTermination", config: { timeoutSeconds: -1 } }] } } },
    };
    assertUserError(() => loadComponent(team), /- config\.terminationCondition\.config\.conditions\[0\]\.config\.timeoutSeconds: Too small/);
  });

  it("an envelope without config, or not an object, or text that is not JSON", () => {
    assertUserError(() => loadComponent({ provider: "agentbook.StopMessageTermination" }), /- config: is missing; add it/);
    assertUserError(() => loadComponent([1, 2]), /the component must be a component: an object \{ "provider"/);
    assertUserError(() => loadComponent("{ not json"), /loadComponent got text that is not JSON/);
  });

  it("an unknown tool lists the registered tools", () => {
    assertUserError(
      () => loadComponent(agentJson({ tools: ["get_weather", "search"] }), { tools: {} }),
      /^config\.tools\[0\]: No tool named "get_weather" is registered \(registered: none\)/,
    );
  });

  it("an unknown function lists the registered functions", () => {
    const json = { provider: "agentbook.UserProxyAgent", config: { name: "human", inputFunc: "askHuman" } };
    assertUserError(
      () => loadComponent(json, { functions: { askRobot: () => "beep" } }),
      /^config\.inputFunc: no function named "askHuman" is registered \(registered: askRobot\)/,
      /functions: \{ askHuman: yourFunction \}/,
    );
  });

  it("an unknown code executor or memory lists what is registered", () => {
    const runner = { provider: "agentbook.CodeExecutorAgent", config: { name: "runner", codeExecutor: "docker" } };
    assertUserError(() => loadComponent(runner), /^config\.codeExecutor: no code executor named "docker" is registered \(registered: none\)/);
    assertUserError(() => loadComponent(agentJson({ memory: ["facts"] })), /^config\.memory\[0\]: no memory named "facts" is registered/);
  });

  it("an option a constructor refuses is reported with the component's place", () => {
    const duplicate = { provider: "agentbook.RoundRobinGroupChat", config: { participants: [agentJson({}), agentJson({})] } };
    const society = { provider: "agentbook.SocietyOfMindAgent", config: { name: "society", modelClient: replay, team: duplicate } };
    assertUserError(() => loadComponent(society), /^config\.team \(agentbook\.RoundRobinGroupChat\): Participant names must be unique in a team; a appears more than once/);
    assertUserError(
      () => loadComponent({ provider: "agentbook.SelectorGroupChat", config: { participants: [agentJson({})], modelClient: replay } }),
      /^agentbook\.SelectorGroupChat: SelectorGroupChat needs at least two participants/,
    );
  });

  it("Azure without a way to authenticate", () => {
    assertUserError(
      () => loadComponent({ provider: "agentbook.AzureOpenAIChatCompletionClient", config: { azureEndpoint: "https://x.openai.azure.com", azureDeployment: "d" } }),
      /^config\.apiKeyEnv: is missing: give "apiKeyEnv"/,
    );
  });

  it("a graph that does not hold together names the graph field", () => {
    const team = {
      provider: "agentbook.GraphFlow",
      config: { participants: [agentJson({})], graph: { nodes: { a: { edges: [{ target: "b" }] } } } },
    };
    assertUserError(() => loadComponent(team), /^config\.graph: The edge a -> b leads to an unknown node "b"/);
  });
});

describe("dumpComponent errors", () => {
  it("a class it does not know, and how to teach it", () => {
    class QuestionTermination extends TerminationCondition {
      get terminated() {
        return false;
      }
      check(_messages: readonly AgentMessage[]): StopMessage | null {
        return null;
      }
      reset() {}
    }
    assertUserError(() => dumpComponent(new MaxMessageTermination(2).or(new QuestionTermination())), /a QuestionTermination \(at config\.conditions\[1\]\)/, /registerComponent\(\)/);

    registerComponent({
      provider: "test.QuestionTermination",
      componentType: "termination",
      componentVersion: 1,
      label: "QuestionTermination",
      description: "Never stops.",
      classes: [QuestionTermination],
      configSchema: z.strictObject({}),
      dump: () => ({}),
      load: () => new QuestionTermination(),
    });
    const dump = dumpComponent(new MaxMessageTermination(2).or(new QuestionTermination()));
    assert.ok(loadComponent<{ conditions: unknown[] }>(dump).conditions[1] instanceof QuestionTermination);
  });

  it("a code executor without a name", async () => {
    const executor = new LocalCommandLineCodeExecutor();
    try {
      assertUserError(
        () => dumpComponent(new CodeExecutorAgent({ name: "runner", codeExecutor: executor })),
        /^config\.codeExecutor: a code executor is recorded by name/,
        /codeExecutors: \{ local: executor \}/,
      );
    } finally {
      await executor.stop();
    }
  });

  it("an approval function without a name is an error, not silently dropped", async () => {
    const executor = new LocalCommandLineCodeExecutor();
    try {
      const agent = new CodeExecutorAgent({ name: "runner", codeExecutor: executor, approvalFunc: () => ({ approved: false, reason: "no" }) });
      assertUserError(() => dumpComponent(agent, { codeExecutors: { local: executor } }), /config\.approvalFunc: the agent asks an approval function/);
    } finally {
      await executor.stop();
    }
  });

  it("a graph edge whose function condition has no name", () => {
    const a = new AssistantAgent({ name: "a", modelClient: new ReplayChatCompletionClient([]) });
    const b = new AssistantAgent({ name: "b", modelClient: new ReplayChatCompletionClient([]) });
    const graph = new DiGraphBuilder().addNode(a).addNode(b).addEdge(a, b, { condition: () => true }).build();
    assertUserError(() => dumpComponent(new GraphFlow({ participants: [a, b], graph })), /config\.graph\.nodes\.a\.edges\[0\]: the edge a -> b has a function condition/);
  });

  it("other unnamed functions are left out with a note saying how to keep them", () => {
    const human = new UserProxyAgent({ name: "human", inputFunc: () => "hi" });
    const dump = dumpComponent(human);
    assert.equal(dump.config.inputFunc, undefined);
    assert.match(dump.notes![0]!, /^inputFunc left out: .*input\(\) instead.*functions: \{ myName: fn \}/);

    const team = new SelectorGroupChat({
      participants: [human, new AssistantAgent({ name: "a", modelClient: new ReplayChatCompletionClient([]) })],
      modelClient: new ReplayChatCompletionClient([]),
      candidateFunc: () => ["a"],
    });
    assert.match(dumpComponent(team).notes![0]!, /^candidateFunc left out/);
  });
});
