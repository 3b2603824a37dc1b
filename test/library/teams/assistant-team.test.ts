// RoundRobinGroupChat with real AssistantAgents on the offline replay model.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { z } from "zod";
import {
  AssistantAgent,
  CancellationToken,
  CancelledError,
  FunctionCallTermination,
  FunctionTool,
  HandoffTermination,
  RoundRobinGroupChat,
  TextMentionTermination,
} from "agentbook";
import type { CreateResult } from "agentbook";
import { RecordingReplayClient, rows } from "./recording-replay-client.ts";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

function haikuTeam(writerReplies: string[], criticReplies: string[]) {
  const writerModel = new RecordingReplayClient(writerReplies);
  const criticModel = new RecordingReplayClient(criticReplies);
  const writer = new AssistantAgent({ name: "writer", modelClient: writerModel });
  const critic = new AssistantAgent({ name: "critic", modelClient: criticModel });
  const team = new RoundRobinGroupChat({ participants: [writer, critic], maxTurns: 2 });
  return { team, writerModel, criticModel };
}

const firstRound: Array<[string, string, string]> = [
  ["UserMessage", "user", "Write a haiku about autumn."],
  ["AssistantMessage", "writer", "Leaves fall on the path."],
  ["UserMessage", "critic", "Make it sadder."],
];

describe("RoundRobinGroupChat of AssistantAgents", () => {
  it("hands each assistant what the others said, as context for its model", async () => {
    const { team, criticModel, writerModel } = haikuTeam(["Leaves fall on the path.", "unused"], ["Make it sadder."]);
    const result = await team.run({ task: "Write a haiku about autumn." });
    assert.deepEqual(result.messages.map((message) => message.source), ["user", "writer", "critic"]);
    assert.deepEqual(rows(criticModel.contexts[0]!), [
      ["UserMessage", "user", "Write a haiku about autumn."],
      ["UserMessage", "writer", "Leaves fall on the path."],
    ]);
    assert.equal(writerModel.contexts.length, 1);
  });

  it("saves to JSON, and a new team of new agents continues the thread", async () => {
    const first = haikuTeam(["Leaves fall on the path."], ["Make it sadder."]);
    await first.team.run({ task: "Write a haiku about autumn." });
    const saved = JSON.parse(JSON.stringify(await first.team.saveState()));

    const second = haikuTeam(["Bare branches, cold rain."], ["APPROVE"]);
    await second.team.loadState(saved);
    const result = await second.team.run();
    assert.deepEqual(
      result.messages.map((message) => [message.source, "content" in message ? message.content : null]),
      [
        ["writer", "Bare branches, cold rain."],
        ["critic", "APPROVE"],
      ],
    );
    assert.deepEqual(rows(second.writerModel.contexts[0]!), firstRound, "the writer's model sees the earlier conversation");
    assert.deepEqual(rows(second.criticModel.contexts[0]!), [
      ["UserMessage", "user", "Write a haiku about autumn."],
      ["UserMessage", "writer", "Leaves fall on the path."],
      ["AssistantMessage", "critic", "Make it sadder."],
      ["UserMessage", "writer", "Bare branches, cold rain."],
    ]);
  });

  it("continues in a fresh process from state saved in this one", async () => {
    const first = haikuTeam(["Leaves fall on the path."], ["Make it sadder."]);
    await first.team.run({ task: "Write a haiku about autumn." });
    const dir = await mkdtemp(join(tmpdir(), "agentbook-team-state-"));
    try {
      const file = join(dir, "team.json");
      await writeFile(file, JSON.stringify(await first.team.saveState()));
      const script = fileURLToPath(new URL("./fixtures/continue-saved-team.ts", import.meta.url));
      const { stdout } = await run(process.execPath, ["--import", "tsx", script, file], { cwd: repoRoot, timeout: 60_000 });
      const outcome = JSON.parse(stdout);
      assert.deepEqual(outcome.messages, [
        ["writer", "Bare branches, cold rain."],
        ["critic", "APPROVE"],
      ]);
      assert.deepEqual(rows(outcome.writerContext), firstRound);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("stops when a tool named in FunctionCallTermination has run", async () => {
    const approvals: string[] = [];
    const approve = new FunctionTool(async ({ draft }: { draft: string }) => (approvals.push(draft), "approved"), {
      name: "approve",
      description: "Approve a draft.",
      parameters: z.object({ draft: z.string() }),
    });
    const editor = new AssistantAgent({
      name: "editor",
      tools: [approve],
      modelClient: new RecordingReplayClient([
        "Tighten the second line.",
        { content: [{ id: "call_1", name: "approve", arguments: '{"draft":"v2"}' }] } as CreateResult,
      ]),
    });
    const author = new AssistantAgent({ name: "author", modelClient: new RecordingReplayClient(["v1", "v2"]) });
    const team = new RoundRobinGroupChat({ participants: [author, editor], terminationCondition: new FunctionCallTermination("approve") });
    const result = await team.run({ task: "Draft a slogan." });
    assert.equal(result.stopReason, "Function 'approve' was executed.");
    assert.deepEqual(approvals, ["v2"]);
    assert.deepEqual(
      result.messages.map((message) => `${message.type}:${message.source}`),
      [
        "TextMessage:user",
        "TextMessage:author",
        "TextMessage:editor",
        "TextMessage:author",
        "ToolCallRequestEvent:editor",
        "ToolCallExecutionEvent:editor",
        "ToolCallSummaryMessage:editor",
      ],
    );
  });

  it("stops on a hand-off to the user, and continues when the user answers", async () => {
    const agent = new AssistantAgent({
      name: "booker",
      handoffs: ["user"],
      modelClient: new RecordingReplayClient([
        { content: [{ id: "call_1", name: "transfer_to_user", arguments: "{}" }] } as CreateResult,
        "Booked the 9:00 flight. TERMINATE",
      ]),
    });
    const team = new RoundRobinGroupChat({
      participants: [agent],
      terminationCondition: new HandoffTermination("user").or(new TextMentionTermination("TERMINATE")),
    });
    const first = await team.run({ task: "Book me a flight to Oslo." });
    assert.equal(first.stopReason, "Handoff to user from booker detected.");
    assert.equal(first.messages.at(-1)?.type, "HandoffMessage");
    const second = await team.run({ task: "The 9:00 one, please." });
    assert.equal(second.stopReason, "Text 'TERMINATE' mentioned");
    assert.equal(second.messages.at(-1)?.source, "booker");
  });

  it("is cancelled mid-stream and, run again, asks the interrupted assistant once more with a clean context", async () => {
    const longAnswer = Array.from({ length: 30 }, (_, index) => `word${index}`).join(" ");
    const writerModel = new RecordingReplayClient([longAnswer, "Short answer."], { chunkDelayMs: 20 });
    const writer = new AssistantAgent({ name: "writer", modelClient: writerModel, modelClientStream: true });
    const critic = new AssistantAgent({ name: "critic", modelClient: new RecordingReplayClient(["Good."]) });
    const team = new RoundRobinGroupChat({ participants: [writer, critic], maxTurns: 2 });
    const token = new CancellationToken();
    let chunks = 0;
    let cancelledAt = 0;
    await assert.rejects(async () => {
      for await (const item of team.runStream({ task: "Explain tides.", cancellationToken: token })) {
        if (item.type === "ModelClientStreamingChunkEvent" && ++chunks === 2) {
          token.cancel();
          cancelledAt = Date.now();
        }
      }
    }, CancelledError);
    assert.ok(Date.now() - cancelledAt < 100, "the run stopped at once, not after the 30-chunk answer");
    assert.equal(chunks, 2);

    const result = await team.run();
    assert.deepEqual(
      result.messages.map((message) => [message.source, "content" in message ? message.content : null]),
      [
        ["writer", "Short answer."],
        ["critic", "Good."],
      ],
    );
    assert.deepEqual(rows(writerModel.contexts[1]!), [["UserMessage", "user", "Explain tides."]], "the task is in the context once, and no partial answer");
  });
});
