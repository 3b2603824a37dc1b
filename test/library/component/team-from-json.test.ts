import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import {
  FunctionTool,
  OrTerminationCondition,
  RoundRobinGroupChat,
  ToolRegistry,
  dumpComponent,
  loadComponent,
  messageToText,
  type ComponentModel,
} from "agentbook";

/** A team as someone would write it by hand: no versions, no labels, a tool by name, a combined stop. */
const TEAM_JSON = String.raw`{
  "provider": "agentbook.RoundRobinGroupChat",
  "config": {
    "participants": [
      {
        "provider": "agentbook.AssistantAgent",
        "config": {
          "name": "forecaster",
          "systemMessage": "Answer weather questions with the get_weather tool.",
          "modelClient": {
            "provider": "agentbook.ReplayChatCompletionClient",
            "config": {
              "responses": [
                { "content": [{ "id": "call_1", "name": "get_weather", "arguments": "{\"city\": \"Paris\"}" }] }
              ]
            }
          },
          "tools": [{ "provider": "agentbook.ToolReference", "config": { "name": "get_weather" } }]
        }
      },
      {
        "provider": "agentbook.AssistantAgent",
        "config": {
          "name": "reviewer",
          "modelClient": {
            "provider": "agentbook.ReplayChatCompletionClient",
            "config": { "responses": ["The forecast looks right. TERMINATE"] }
          },
          "tools": ["get_weather"]
        }
      }
    ],
    "terminationCondition": {
      "provider": "agentbook.OrTerminationCondition",
      "config": {
        "conditions": [
          { "provider": "agentbook.TextMentionTermination", "config": { "text": "TERMINATE" } },
          { "provider": "agentbook.MaxMessageTermination", "config": { "maxMessages": 10 } }
        ]
      }
    }
  }
}`;

describe("a team declared in hand-written JSON", () => {
  it("loads with its tool from a registry and runs to the combined termination condition", async () => {
    const cities: string[] = [];
    const weather = new FunctionTool(
      async ({ city }: { city: string }) => {
        cities.push(city);
        return `Sunny and 22 degrees in ${city}.`;
      },
      { name: "get_weather", description: "Current weather in a city.", parameters: z.object({ city: z.string() }) },
    );

    const team = loadComponent<RoundRobinGroupChat>(TEAM_JSON, { tools: new ToolRegistry([weather]), componentType: "team" });
    assert.ok(team instanceof RoundRobinGroupChat);
    assert.deepEqual(team.participants.map((agent) => agent.name), ["forecaster", "reviewer"]);
    assert.ok(team.terminationCondition instanceof OrTerminationCondition);

    const seen: string[] = [];
    let stopReason: string | undefined;
    for await (const item of team.runStream({ task: "What is the weather in Paris?" })) {
      if (item.type === "TaskResult") stopReason = item.stopReason;
      else seen.push(`${item.source}:${item.type}`);
    }
    assert.deepEqual(cities, ["Paris"], "the registered tool ran with the model's arguments");
    assert.deepEqual(seen, [
      "user:TextMessage",
      "forecaster:ToolCallRequestEvent",
      "forecaster:ToolCallExecutionEvent",
      "forecaster:ToolCallSummaryMessage",
      "reviewer:TextMessage",
    ]);
    assert.equal(stopReason, "Text 'TERMINATE' mentioned");
  });

  it("dumps back to the full form, which loads to the same team", async () => {
    const weather = new FunctionTool(async ({ city }: { city: string }) => `Rain in ${city}.`, {
      name: "get_weather",
      description: "Current weather in a city.",
      parameters: z.object({ city: z.string() }),
    });
    const team = loadComponent<RoundRobinGroupChat>(TEAM_JSON, { tools: [weather] });
    const full = dumpComponent(team);
    const reviewer = (full.config.participants as ComponentModel[])[1]!;
    assert.equal(reviewer.component_type, "agent");
    assert.deepEqual(reviewer.config.tools, [
      {
        provider: "agentbook.ToolReference",
        component_type: "tool",
        version: 1,
        component_version: 1,
        description: "A tool, by name; loading takes it from the tools passed to loadComponent.",
        label: "ToolReference",
        config: { name: "get_weather" },
      },
    ]);
    const again = loadComponent<RoundRobinGroupChat>(JSON.stringify(full), { tools: [weather] });
    assert.deepEqual(dumpComponent(again), full);
    const result = await again.run({ task: "Weather in Oslo?" });
    const summary = result.messages.find((message) => message.type === "ToolCallSummaryMessage");
    assert.equal(summary && messageToText(summary), "Rain in Paris.");
  });
});
