import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  type AgentMessage,
  type ApprovalRequest,
  CodeExecutorAgent,
  type LLMMessage,
  LocalCommandLineCodeExecutor,
  ModelBehaviorError,
  ReplayChatCompletionClient,
  type TaskResult,
  textMessage,
  UserError,
} from "agentbook";
import { TINY_PNG_BASE64 } from "./executor-contract.ts";
import { RecordingReplayClient } from "./recording-replay-client.ts";

const fence = (language: string, code: string) => "```" + language + "\n" + code + "\n```";

function types(result: TaskResult): string[] {
  return result.messages.map((message) => message.type);
}

function last(result: TaskResult): AgentMessage {
  return result.messages.at(-1)!;
}

describe("CodeExecutorAgent", () => {
  let workDir: string;
  let executor: LocalCommandLineCodeExecutor;

  before(() => {
    workDir = mkdtempSync(join(tmpdir(), "agentbook-agent-"));
    executor = new LocalCommandLineCodeExecutor({ workDir, timeout: 10 });
  });
  after(async () => {
    await executor.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  describe("without a model", () => {
    test("runs the code blocks of the messages it receives and answers with their output", async () => {
      const agent = new CodeExecutorAgent({ name: "executor", codeExecutor: executor });
      const task = `Here you go:\n${fence("python", "print(6 * 7)")}\nand\n${fence("sh", "echo from sh")}`;
      const result = await agent.run({ task });
      assert.deepEqual(types(result), ["TextMessage", "CodeExecutionEvent", "TextMessage"]);
      const answer = last(result);
      assert.equal(answer.source, "executor");
      assert.equal(answer.type === "TextMessage" && answer.content, "42\nfrom sh\n");
      const event = result.messages[1]!;
      assert.ok(event.type === "CodeExecutionEvent");
      assert.equal(event.result.exitCode, 0);
      assert.equal(event.retryAttempt, 0);
      assert.equal(agent.description, CodeExecutorAgent.DEFAULT_TERMINAL_DESCRIPTION);
    });

    test("says so, in AutoGen's words, when there is no code block it can run", async () => {
      const agent = new CodeExecutorAgent({ name: "executor", codeExecutor: executor });
      for (const task of ["Just words.", fence("cobol", "DISPLAY 'HI'.")]) {
        const answer = last(await agent.run({ task }));
        assert.equal(answer.type === "TextMessage" && answer.content, CodeExecutorAgent.NO_CODE_BLOCKS_FOUND_MESSAGE);
      }
      assert.match(CodeExecutorAgent.NO_CODE_BLOCKS_FOUND_MESSAGE, /^No code blocks found in the thread\./);
    });

    test("supportedLanguages limits what runs", async () => {
      const agent = new CodeExecutorAgent({ name: "executor", codeExecutor: executor, supportedLanguages: ["python"] });
      const answer = last(await agent.run({ task: fence("sh", "echo not run") + "\n" + fence("python", "print('only python')") }));
      assert.equal(answer.type === "TextMessage" && answer.content, "only python\n");
    });

    test("sources limits whose code runs", async () => {
      const agent = new CodeExecutorAgent({ name: "executor", codeExecutor: executor, sources: ["coder"] });
      const answer = last(
        await agent.run({ task: [textMessage("user", fence("python", "print('from user')")), textMessage("coder", fence("python", "print('from coder')"))] }),
      );
      assert.equal(answer.type === "TextMessage" && answer.content, "from coder\n");
    });

    test("reports failures and silence the way AutoGen phrases them", async () => {
      const agent = new CodeExecutorAgent({ name: "executor", codeExecutor: executor });
      const failed = last(await agent.run({ task: fence("python", "print('about to fail')\nraise SystemExit(3)") }));
      assert.equal(
        failed.type === "TextMessage" && failed.content,
        "The script ran, then exited with an error (POSIX exit code: 3)\nIts output was:\nabout to fail\n",
      );
      const silent = last(await agent.run({ task: fence("python", "x = 1") }));
      assert.match(silent.type === "TextMessage" ? silent.content : "", /^The script ran but produced no output to console\. The POSIX exit code was: 0\./);
    });

    test("asks approvalFunc first and runs the code when it approves", async () => {
      const requests: ApprovalRequest[] = [];
      const agent = new CodeExecutorAgent({
        name: "executor",
        codeExecutor: executor,
        approvalFunc: async (request) => {
          requests.push(request);
          return { approved: true, reason: "looks safe" };
        },
      });
      const answer = last(await agent.run({ task: `Please run\n${fence("python", "print('approved')")}` }));
      assert.equal(answer.type === "TextMessage" && answer.content, "approved\n");
      assert.equal(requests.length, 1);
      assert.equal(requests[0]!.code, "```python\nprint('approved')\n```");
      assert.deepEqual(
        requests[0]!.context.map((message) => message.type === "UserMessage" && message.source),
        ["user"],
      );
    });

    test("runs nothing when approvalFunc denies, and answers with the reason", async () => {
      const marker = join(workDir, "ran.txt");
      const agent = new CodeExecutorAgent({
        name: "executor",
        codeExecutor: executor,
        approvalFunc: () => ({ approved: false, reason: "writes files" }),
      });
      const result = await agent.run({ task: fence("python", `open(${JSON.stringify(marker)}, 'w').write('x')`) });
      const answer = last(result);
      assert.equal(answer.type === "TextMessage" && answer.content, "Code execution was not approved. Reason: writes files");
      assert.equal(existsSync(marker), false);
    });

    test("mentions the images the code wrote, and the event lists them", async () => {
      const agent = new CodeExecutorAgent({ name: "executor", codeExecutor: executor });
      const code = `import base64\nopen('agent-chart.png', 'wb').write(base64.b64decode('${TINY_PNG_BASE64}'))\nprint('saved')`;
      const result = await agent.run({ task: fence("python", code) });
      const event = result.messages.find((message) => message.type === "CodeExecutionEvent");
      assert.ok(event?.type === "CodeExecutionEvent");
      assert.deepEqual(event.result.files?.map((file) => file.name), ["agent-chart.png"]);
      const answer = last(result);
      assert.equal(answer.type === "TextMessage" && answer.content, "saved\n\nThe code wrote these images: agent-chart.png");
    });
  });

  describe("with a model", () => {
    test("writes code, runs it and answers with the model's reflection", async () => {
      const model = new RecordingReplayClient([`Let me compute it.\n${fence("python", "print(6 * 7)")}`, "The answer is 42."]);
      const agent = new CodeExecutorAgent({ name: "coder", codeExecutor: executor, modelClient: model });
      const result = await agent.run({ task: "What is 6 times 7?" });
      assert.deepEqual(types(result), ["TextMessage", "CodeGenerationEvent", "CodeExecutionEvent", "TextMessage"]);
      const [, generation, execution, answer] = result.messages;
      assert.ok(generation?.type === "CodeGenerationEvent");
      assert.deepEqual(generation.codeBlocks, [{ language: "python", code: "print(6 * 7)" }]);
      assert.ok(generation.modelsUsage);
      assert.ok(execution?.type === "CodeExecutionEvent");
      assert.equal(execution.result.output, "42\n");
      assert.equal(answer?.type === "TextMessage" && answer.content, "The answer is 42.");
      assert.ok(answer?.modelsUsage);
      // The reflection saw the system message, the task, the code and its output.
      const reflectionPrompt = model.calls[1]!.messages;
      assert.equal(reflectionPrompt[0]!.type, "SystemMessage");
      assert.deepEqual(reflectionPrompt.slice(1).map((message) => [message.type, message.content]), [
        ["UserMessage", "What is 6 times 7?"],
        ["AssistantMessage", `Let me compute it.\n${fence("python", "print(6 * 7)")}`],
        ["UserMessage", "42\n"],
      ]);
      assert.equal(agent.description, CodeExecutorAgent.DEFAULT_AGENT_DESCRIPTION);
    });

    test("answers with the model's text when it writes no code", async () => {
      const agent = new CodeExecutorAgent({ name: "coder", codeExecutor: executor, modelClient: new ReplayChatCompletionClient(["No code needed: 42."]) });
      const result = await agent.run({ task: "6 x 7?" });
      assert.deepEqual(types(result), ["TextMessage", "TextMessage"]);
      assert.equal(last(result).type === "TextMessage" && (last(result) as { content: string }).content, "No code needed: 42.");
    });

    test("retries failed code when the model decides to, up to maxRetriesOnError", async () => {
      const model = new RecordingReplayClient([
        fence("python", "raise ValueError('boom')"),
        JSON.stringify({ retry: true, reason: "ValueError raised on purpose; print instead." }),
        fence("python", "print('fixed')"),
        "It works now: it printed fixed.",
      ]);
      const agent = new CodeExecutorAgent({ name: "coder", codeExecutor: executor, modelClient: model, maxRetriesOnError: 2 });
      const result = await agent.run({ task: "Print fixed." });
      assert.deepEqual(types(result), [
        "TextMessage",
        "CodeGenerationEvent",
        "CodeExecutionEvent",
        "CodeGenerationEvent",
        "CodeGenerationEvent",
        "CodeExecutionEvent",
        "TextMessage",
      ]);
      const events = result.messages.slice(1, -1);
      assert.deepEqual(events.map((event) => "retryAttempt" in event && event.retryAttempt), [0, 0, 0, 1, 1]);
      const firstRun = events[1]!;
      assert.ok(firstRun.type === "CodeExecutionEvent");
      assert.equal(firstRun.result.exitCode, 1);
      assert.match(firstRun.result.output, /^The script ran, then exited with an error \(POSIX exit code: 1\)\nIts output was:\n[\s\S]*ValueError: boom/);
      const correction = events[2]!;
      assert.equal(correction.type === "CodeGenerationEvent" && correction.content, "Attempt number: 1\nProposed correction: ValueError raised on purpose; print instead.");
      const secondRun = events[4]!;
      assert.ok(secondRun.type === "CodeExecutionEvent" && secondRun.result.output === "fixed\n");
      assert.equal((last(result) as { content: string }).content, "It works now: it printed fixed.");
      // The retry question asked for structured output and quoted the error.
      const decision = model.calls[1]!;
      assert.ok(decision.options.jsonOutput && typeof decision.options.jsonOutput === "object");
      assert.match(String(decision.messages.at(-1)!.content), /^The most recent code execution resulted in an error:\n[\s\S]*ValueError: boom[\s\S]*Should we attempt to resolve it\?/);
      assert.equal(model.remaining, 0);
    });

    test("stops retrying when the model says not to, or when retries run out", async () => {
      const declined = new ReplayChatCompletionClient([
        fence("python", "import missing_module"),
        JSON.stringify({ retry: false, reason: "The module is not installed." }),
        "I cannot do this without missing_module.",
      ]);
      const agent = new CodeExecutorAgent({ name: "coder", codeExecutor: executor, modelClient: declined, maxRetriesOnError: 3 });
      const result = await agent.run({ task: "Use missing_module." });
      assert.deepEqual(types(result), ["TextMessage", "CodeGenerationEvent", "CodeExecutionEvent", "TextMessage"]);
      assert.equal(declined.remaining, 0);

      const exhausted = new ReplayChatCompletionClient([
        fence("python", "raise SystemExit(2)"),
        JSON.stringify({ retry: true, reason: "try again" }),
        fence("python", "raise SystemExit(3)"),
        "Both attempts failed.",
      ]);
      const limited = new CodeExecutorAgent({ name: "coder", codeExecutor: executor, modelClient: exhausted, maxRetriesOnError: 1 });
      const runs = (await limited.run({ task: "Fail twice." })).messages.filter((message) => message.type === "CodeExecutionEvent");
      assert.deepEqual(runs.map((run) => run.type === "CodeExecutionEvent" && run.result.exitCode), [2, 3]);
      assert.equal(exhausted.remaining, 0);
    });

    test("a retry decision that is not the expected JSON is a ModelBehaviorError", async () => {
      const model = new ReplayChatCompletionClient([fence("python", "raise SystemExit(1)"), "sure, let's retry"]);
      const agent = new CodeExecutorAgent({ name: "coder", codeExecutor: executor, modelClient: model, maxRetriesOnError: 1 });
      await assert.rejects(agent.run({ task: "x" }), (error: unknown) => {
        assert.ok(error instanceof ModelBehaviorError);
        assert.match(error.message, /expected JSON \{"retry": boolean, "reason": string\}; it answered "sure, let's retry"/);
        return true;
      });
    });

    test("the approval function sees the model's context and can stop generated code", async () => {
      const contexts: LLMMessage[][] = [];
      const model = new ReplayChatCompletionClient([fence("python", "print('should not run')"), "The code was not approved, so I stopped."]);
      const agent = new CodeExecutorAgent({
        name: "coder",
        codeExecutor: executor,
        modelClient: model,
        approvalFunc: ({ context }) => {
          contexts.push(context);
          return { approved: false, reason: "no network access allowed" };
        },
      });
      const result = await agent.run({ task: "Run something." });
      const execution = result.messages.find((message) => message.type === "CodeExecutionEvent");
      assert.ok(execution?.type === "CodeExecutionEvent");
      assert.deepEqual(execution.result, { exitCode: 1, output: "Code execution was not approved. Reason: no network access allowed" });
      assert.deepEqual(contexts[0]!.map((message) => message.type), ["UserMessage", "AssistantMessage"]);
    });

    test("streams the model's text when modelClientStream is on", async () => {
      const model = new ReplayChatCompletionClient([fence("python", "print('streamed')"), "Done streaming."]);
      const agent = new CodeExecutorAgent({ name: "coder", codeExecutor: executor, modelClient: model, modelClientStream: true });
      const streamed: string[] = [];
      let result: TaskResult | undefined;
      for await (const item of agent.runStream({ task: "go" })) {
        if (item.type === "ModelClientStreamingChunkEvent") streamed.push(item.content);
        if (item.type === "TaskResult") result = item;
      }
      assert.equal(streamed.join(""), fence("python", "print('streamed')") + "Done streaming.");
      assert.equal((last(result!) as { content: string }).content, "Done streaming.");
    });

    test("keeps its model context across turns, saves and restores it, and forgets it on reset", async () => {
      const model = new ReplayChatCompletionClient(["first answer", "second answer"]);
      const agent = new CodeExecutorAgent({ name: "coder", codeExecutor: executor, modelClient: model, systemMessage: null });
      await agent.run({ task: "one" });
      const state = await agent.saveState();
      assert.equal(state.type, "CodeExecutorAgentState");
      assert.equal(JSON.parse(JSON.stringify(state)).modelContext.messages.length, 2);
      const copy = new CodeExecutorAgent({ name: "coder", codeExecutor: executor, modelClient: new ReplayChatCompletionClient([]) });
      await copy.loadState(state);
      assert.deepEqual(await copy.modelContext.getMessages(), await agent.modelContext.getMessages());
      await agent.reset();
      assert.deepEqual(await agent.modelContext.getMessages(), []);
      await assert.rejects(copy.loadState({ type: "AssistantAgentState", version: "1.0.0" }), UserError);
    });
  });

  test("refuses options that cannot work, saying why", () => {
    assert.throws(() => new CodeExecutorAgent({ name: "x", codeExecutor: undefined as never }), /needs a codeExecutor/);
    assert.throws(() => new CodeExecutorAgent({ name: "x", codeExecutor: executor, maxRetriesOnError: 2 }), /no modelClient/);
    const noStructured = new ReplayChatCompletionClient([], { modelInfo: { structuredOutput: false } });
    assert.throws(
      () => new CodeExecutorAgent({ name: "x", codeExecutor: executor, modelClient: noStructured, maxRetriesOnError: 1 }),
      /does not support structured output/,
    );
    assert.throws(() => new CodeExecutorAgent({ name: "x", codeExecutor: executor, maxRetriesOnError: -1 }), /whole number >= 0/);
  });
});
