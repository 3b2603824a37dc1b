import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  AssistantAgent,
  CodeExecutorAgent,
  LocalCommandLineCodeExecutor,
  readGeneratedImage,
  ReplayChatCompletionClient,
  RoundRobinGroupChat,
} from "agentbook";
import { TINY_PNG_BASE64 } from "./executor-contract.ts";

test("a coder and a CodeExecutorAgent in a round robin: the coder's code runs and its chart comes back", async () => {
  const workDir = mkdtempSync(join(tmpdir(), "agentbook-team-"));
  const executor = new LocalCommandLineCodeExecutor({ workDir, timeout: 10 });
  try {
    const code = `import base64\nopen('sine.png', 'wb').write(base64.b64decode('${TINY_PNG_BASE64}'))\nprint('Plot saved as sine.png')`;
    const coder = new AssistantAgent({
      name: "coder",
      modelClient: new ReplayChatCompletionClient([`Here is the script:\n\`\`\`python\n${code}\n\`\`\``]),
    });
    const runner = new CodeExecutorAgent({ name: "runner", codeExecutor: executor });
    const team = new RoundRobinGroupChat({ participants: [coder, runner], maxTurns: 2 });
    const result = await team.run({ task: "Plot a sine wave and save it as sine.png." });

    const spoken = result.messages.filter((message) => message.type === "TextMessage").map((message) => message.source);
    assert.deepEqual(spoken, ["user", "coder", "runner"]);
    const answer = result.messages.at(-1)!;
    assert.equal(answer.type === "TextMessage" && answer.content, "Plot saved as sine.png\n\nThe code wrote these images: sine.png");
    const execution = result.messages.find((message) => message.type === "CodeExecutionEvent");
    assert.ok(execution?.type === "CodeExecutionEvent");
    const image = readGeneratedImage(execution.result.files![0]!);
    assert.deepEqual(image, { type: "image", data: TINY_PNG_BASE64, mimeType: "image/png" });
  } finally {
    await executor.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
});
