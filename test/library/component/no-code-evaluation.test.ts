import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { GRAPH_COMPLETE_STOP_REASON, UserError, loadComponent, type GraphFlow } from "agentbook";

/** Code that would leave a mark if anything ran it. */
const BODY = "(thread) => { globalThis.__componentCodeRan = true; return 'writer'; }";
const ran = () => (globalThis as { __componentCodeRan?: boolean }).__componentCodeRan === true;

const replay = (...responses: string[]) => ({ provider: "agentbook.ReplayChatCompletionClient", config: { responses } });
const agent = (name: string, ...responses: string[]) => ({ provider: "agentbook.AssistantAgent", config: { name, modelClient: replay(...responses) } });

function refused(load: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(load, (error: Error) => {
    assert.ok(error instanceof UserError, `expected a UserError, got ${error?.message}`);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

describe("loading never evaluates code from the JSON", () => {
  afterEach(() => {
    assert.equal(ran(), false, "no code from the JSON ran");
  });

  it("a function body where a function name belongs is refused", () => {
    const team = {
      provider: "agentbook.SelectorGroupChat",
      config: { participants: [agent("writer"), agent("critic")], modelClient: replay("writer"), selectorFunc: BODY },
    };
    refused(() => loadComponent(team, { functions: {} }), /config\.selectorFunc: is not a name; agentbook never evaluates code from JSON/);
  });

  it("code as a tool name, a graph condition function or a key variable is refused", () => {
    refused(
      () => loadComponent({ provider: "agentbook.AssistantAgent", config: { name: "a", modelClient: replay(), tools: ["get_weather(); process.exit(1)"] } }),
      /config\.tools\[0\]/,
    );
    const graph = {
      provider: "agentbook.GraphFlow",
      config: {
        participants: [agent("writer"), agent("critic")],
        graph: { nodes: { writer: { edges: [{ target: "critic", conditionFunction: BODY }] }, critic: {} } },
      },
    };
    refused(() => loadComponent(graph), /conditionFunction: is not a name; agentbook never evaluates code/);
    refused(
      () => loadComponent({ provider: "agentbook.OpenAIChatCompletionClient", config: { model: "gpt-4o", apiKeyEnv: "process.env.SECRET" } }),
      /config\.apiKeyEnv: must be an environment variable name/,
    );
  });

  it("a name that happens to be a global function is only ever looked up among the registered functions", () => {
    refused(
      () => loadComponent({ provider: "agentbook.UserProxyAgent", config: { name: "human", inputFunc: "eval" } }, { functions: {} }),
      /no function named "eval" is registered \(registered: none\)/,
    );
  });

  it("a tool declared with its source code, as AutoGen writes FunctionTool, is refused with the by-name form", () => {
    const autogenTool = {
      provider: "autogen_core.tools.FunctionTool",
      component_type: "tool",
      config: { name: "get_weather", description: "weather", source_code: "def get_weather(city): import os; os.system('touch /tmp/x')", global_imports: [] },
    };
    refused(() => loadComponent(autogenTool), /unknown provider "autogen_core\.tools\.FunctionTool"/, /Tools are referenced by name, never loaded from code/, /agentbook\.ToolReference/);
    refused(
      () => loadComponent({ provider: "agentbook.ToolReference", config: { name: "get_weather", sourceCode: BODY } }),
      /config\.sourceCode: unknown field/,
    );
  });

  it("a text edge condition is data: the edge is followed only when a message contains that text", async () => {
    const graph = {
      provider: "agentbook.GraphFlow",
      config: {
        participants: [agent("writer", "a draft that says nothing special"), agent("critic", "should not speak")],
        graph: { nodes: { writer: { edges: [{ target: "critic", condition: BODY }] }, critic: {} } },
      },
    };
    const team = loadComponent<GraphFlow>(graph);
    const result = await team.run({ task: "Write." });
    assert.deepEqual(result.messages.map((message) => message.source), ["user", "writer"]);
    assert.equal(result.stopReason, GRAPH_COMPLETE_STOP_REASON);
  });
});
