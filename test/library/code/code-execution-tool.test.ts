import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AssistantAgent,
  CancellationToken,
  CodeExecutionTool,
  type CreateResult,
  LocalCommandLineCodeExecutor,
  ToolArgumentsError,
} from "agentbook";
import { TINY_PNG_BASE64 } from "./executor-contract.ts";
import { RecordingReplayClient } from "./recording-replay-client.ts";

function callCodeExecution(args: Record<string, unknown>, id = "call_1"): CreateResult {
  return {
    finishReason: "function_calls",
    content: [{ id, name: "code_execution", arguments: JSON.stringify(args) }],
    usage: { promptTokens: 10, completionTokens: 10 },
    cached: false,
  };
}

describe("CodeExecutionTool", () => {
  let workDir: string;
  let executor: LocalCommandLineCodeExecutor;
  let tool: CodeExecutionTool;
  const context = () => ({ cancellationToken: new CancellationToken() });

  before(() => {
    workDir = mkdtempSync(join(tmpdir(), "agentbook-tool-"));
    executor = new LocalCommandLineCodeExecutor({ workDir, timeout: 2 });
    tool = new CodeExecutionTool(executor);
  });
  after(async () => {
    await executor.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  test("describes itself to the model as code_execution with { code, language? }", () => {
    assert.equal(tool.name, "code_execution");
    assert.equal(tool.schema.name, "code_execution");
    const parameters = tool.schema.parameters as { properties: Record<string, { type: string }>; required: string[] };
    assert.deepEqual(Object.keys(parameters.properties), ["code", "language"]);
    assert.equal(parameters.properties.code!.type, "string");
    assert.deepEqual(parameters.required, ["code"]);
    assert.match(tool.description, /exit code/);
    assert.match(tool.description, /python/);
  });

  test("runs python by default and its result text has the exit code and the output", async () => {
    const result = await tool.runJson({ code: "print('hello tool')" }, context());
    assert.equal(tool.returnValueAsString(result), "Exit code: 0\nOutput:\nhello tool");
    const failed = await tool.runJson(JSON.stringify({ code: "echo oops >&2; exit 7", language: "bash" }), context());
    assert.equal(tool.returnValueAsString(failed), "Exit code: 7\nOutput:\noops");
    const silent = await tool.runJson({ code: "x = 1" }, context());
    assert.equal(tool.returnValueAsString(silent), "Exit code: 0\nOutput:\n(no output)");
  });

  test("a timeout and the images the code wrote show in the result text", async () => {
    const slow = await tool.runJson({ code: "while True: pass" }, context());
    assert.equal(tool.returnValueAsString(slow), "Exit code: 124\nOutput:\nTimeout: the code ran longer than 2 s, so it and every process it started were killed.");
    const drawn = await tool.runJson(
      { code: `import base64\nopen('plot.png', 'wb').write(base64.b64decode('${TINY_PNG_BASE64}'))\nprint('plotted')` },
      context(),
    );
    assert.equal(tool.returnValueAsString(drawn), "Exit code: 0\nOutput:\nplotted\nImages written: plot.png");
  });

  test("arguments without code are a ToolArgumentsError naming the field", async () => {
    await assert.rejects(tool.runJson({ language: "python" }, context()), (error: unknown) => {
      assert.ok(error instanceof ToolArgumentsError);
      assert.match(error.message, /code/);
      return true;
    });
  });

  test("an AssistantAgent on the replay model runs code through it and reflects on the output", async () => {
    const model = new RecordingReplayClient([callCodeExecution({ code: "print(6 * 7)", language: "python" }), "6 times 7 is 42."]);
    const agent = new AssistantAgent({ name: "analyst", modelClient: model, tools: [tool], reflectOnToolUse: true });
    const result = await agent.run({ task: "What is 6 times 7? Use code." });
    assert.deepEqual(
      result.messages.map((message) => message.type),
      ["TextMessage", "ToolCallRequestEvent", "ToolCallExecutionEvent", "TextMessage"],
    );
    const execution = result.messages[2]!;
    assert.ok(execution.type === "ToolCallExecutionEvent");
    assert.deepEqual(execution.content, [{ callId: "call_1", name: "code_execution", content: "Exit code: 0\nOutput:\n42", isError: false }]);
    assert.equal(result.messages[3]!.type === "TextMessage" && result.messages[3]!.content, "6 times 7 is 42.");
    // The model was offered the tool, and read the code's output before answering.
    assert.deepEqual(model.calls[0]!.options.tools?.map((offered) => ("schema" in offered ? offered.schema.name : offered.name)), ["code_execution"]);
    const toolResults = model.calls[1]!.messages.find((message) => message.type === "FunctionExecutionResultMessage");
    assert.equal(toolResults?.type === "FunctionExecutionResultMessage" && toolResults.content[0]!.content, "Exit code: 0\nOutput:\n42");
  });

  test("without reflection the agent answers with the code's result text", async () => {
    const model = new RecordingReplayClient([callCodeExecution({ code: "console.log([1, 2, 3].map((n) => n * n).join(','))", language: "javascript" })]);
    const agent = new AssistantAgent({ name: "analyst", modelClient: model, tools: [tool] });
    const result = await agent.run({ task: "Square 1, 2, 3." });
    const answer = result.messages.at(-1)!;
    assert.equal(answer.type, "ToolCallSummaryMessage");
    assert.equal(answer.type === "ToolCallSummaryMessage" && answer.content, "Exit code: 0\nOutput:\n1,4,9");
  });
});
