import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CancellationToken, FunctionTool, ToolRegistry, UserError, loadComponent, type Tool } from "agentbook";

const tool = (name: string, answer = name) => new FunctionTool(() => answer, { name, description: `The ${name} tool.` });

describe("ToolRegistry", () => {
  it("finds tools by name and lists them", async () => {
    const search = tool("search", "found it");
    const registry = new ToolRegistry([search, tool("calculator")]);
    assert.equal(registry.get("search"), search);
    assert.deepEqual(registry.names, ["calculator", "search"]);
    const loaded = loadComponent<Tool>({ provider: "agentbook.ToolReference", config: { name: "search" } }, { tools: registry });
    assert.equal(await loaded.runJson({}, { cancellationToken: new CancellationToken() }), "found it");
  });

  it("says which tools exist when a name is unknown", () => {
    const registry = new ToolRegistry({ search: tool("search") });
    assert.throws(() => registry.get("weather"), (error: Error) => error instanceof UserError && /No tool named "weather" is registered \(registered: search\)/.test(error.message));
  });

  it("refuses a record key that is not the tool's own name, and two tools with one name", () => {
    assert.throws(() => new ToolRegistry({ lookup: tool("search") }), /registered as "lookup" is named "search"; .* register it as "search"/);
    assert.throws(() => new ToolRegistry([tool("search"), tool("search")]), /Two different tools are named "search"/);
    const same = tool("search");
    assert.deepEqual(new ToolRegistry([same, same]).names, ["search"]);
  });
});
