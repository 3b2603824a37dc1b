import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { knownModelInfo, resolveModelInfo, UserError } from "agentbook";

describe("known models", () => {
  it("knows OpenAI models and their dated snapshots", () => {
    assert.equal(knownModelInfo("gpt-4o")?.family, "gpt-4o");
    assert.equal(knownModelInfo("gpt-4o-2024-08-06")?.structuredOutput, true);
    assert.equal(knownModelInfo("gpt-4o-mini-2024-07-18")?.family, "gpt-4o");
    assert.equal(knownModelInfo("gpt-4.1-nano")?.vision, true);
    assert.equal(knownModelInfo("gpt-5-mini-2025-08-07")?.family, "gpt-5");
    assert.equal(knownModelInfo("o3-mini")?.vision, false, "the longer name wins over o3");
    assert.equal(knownModelInfo("o4-mini")?.vision, true);
    assert.equal(knownModelInfo("o1-mini")?.functionCalling, false);
    assert.equal(knownModelInfo("gpt-3.5-turbo-0125")?.structuredOutput, false);
  });

  it("does not guess at other models", () => {
    assert.equal(knownModelInfo("llama3.2"), undefined);
    assert.equal(knownModelInfo("gpt-4o2"), undefined);
    assert.equal(knownModelInfo("o3x"), undefined);
  });

  it("prefers modelInfo passed by the caller, and asks for it when the model is unknown", () => {
    const custom = { vision: false, functionCalling: false, jsonOutput: false, structuredOutput: false, family: "mine" };
    assert.deepEqual(resolveModelInfo("gpt-4o", custom, "X"), custom);
    assert.throws(() => resolveModelInfo("mistral", undefined, "X"), (error: Error) => error instanceof UserError && /Pass modelInfo/.test(error.message));
    assert.throws(() => resolveModelInfo("", undefined, "X"), /needs a model name/);
  });
});
