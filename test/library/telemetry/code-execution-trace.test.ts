import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  AssistantAgent,
  CodeExecutionTool,
  CodeExecutorAgent,
  LocalCommandLineCodeExecutor,
  ReplayChatCompletionClient,
  setTelemetryOptions,
  startSession,
} from "agentbook";
import { only, outline } from "./span-tree.ts";

// Code runs (a real child process) as execute_code spans, under the tool call or the agent turn.

describe("code execution spans", () => {
  let workDir: string;
  let executor: LocalCommandLineCodeExecutor;

  before(() => {
    workDir = mkdtempSync(join(tmpdir(), "agentbook-code-trace-"));
    executor = new LocalCommandLineCodeExecutor({ workDir, timeout: 10 });
  });
  after(async () => {
    await executor.stop();
    rmSync(workDir, { recursive: true, force: true });
    setTelemetryOptions({ captureContent: false });
  });

  it("traces code run by a tool: languages, exit code, output size, no code without opt-in", async () => {
    const agent = new AssistantAgent({
      name: "coder",
      tools: [new CodeExecutionTool(executor)],
      modelClient: new ReplayChatCompletionClient([
        {
          content: [{ id: "run_1", name: "code_execution", arguments: JSON.stringify({ code: "echo secret-output-42; exit 3", language: "bash" }) }],
          finishReason: "function_calls",
          usage: { promptTokens: 5, completionTokens: 5 },
          cached: false,
        },
      ]),
    });
    const session = startSession();
    await agent.run({ task: "Run it." });
    session.end();

    assert.deepEqual(outline(session.spans), [
      "invoke_agent coder",
      "  chat replay",
      "  execute_tool code_execution",
      "    execute_code LocalCommandLineCodeExecutor",
    ]);
    const code = only(session.spans, "execute_code LocalCommandLineCodeExecutor");
    assert.equal(code.attributes["gen_ai.operation.name"], "execute_code");
    assert.deepEqual(code.attributes["agentbook.code.languages"], ["bash"]);
    assert.equal(code.attributes["agentbook.code.blocks"], 1);
    assert.equal(code.attributes["agentbook.code.exit_code"], 3);
    assert.equal(code.attributes["agentbook.code.output_size"], "secret-output-42\n".length);
    assert.equal(code.status, "unset", "a non-zero exit is the code's answer, not a failed span");
    assert.ok(!JSON.stringify(session.spans).includes("secret-output-42"));
    const event = session.events.find((item) => item.type === "code_execution");
    assert.ok(event && event.type === "code_execution" && event.agent === "coder" && event.exitCode === 3);
  });

  it("traces a CodeExecutorAgent's run, with the code and output when content capture is on", async () => {
    setTelemetryOptions({ captureContent: true });
    const agent = new CodeExecutorAgent({ name: "runner", codeExecutor: executor });
    const session = startSession();
    await agent.run({ task: "```bash\necho hello from bash\n```" });
    session.end();
    const code = only(session.spans, "execute_code LocalCommandLineCodeExecutor");
    assert.equal(code.parentSpanId, only(session.spans, "invoke_agent runner").spanId);
    assert.equal(code.attributes["gen_ai.agent.name"], "runner");
    assert.equal(code.attributes["agentbook.code.exit_code"], 0);
    assert.equal(code.attributes["agentbook.code.content"], "echo hello from bash");
    assert.equal(code.attributes["agentbook.code.output"], "hello from bash\n");
  });
});
