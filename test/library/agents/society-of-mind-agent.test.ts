import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AssistantAgent,
  CancellationToken,
  CancelledError,
  DEFAULT_SOCIETY_OF_MIND_INSTRUCTION,
  DEFAULT_SOCIETY_OF_MIND_RESPONSE_PROMPT,
  RoundRobinGroupChat,
  SocietyOfMindAgent,
  TextMentionTermination,
  UserError,
} from "agentbook";
import type { AgentMessage, TaskResult } from "agentbook";
import { RecordingReplayClient, rows } from "../teams/recording-replay-client.ts";

const sources = (messages: readonly AgentMessage[]) => messages.map((message) => message.source);

function society(options: { writer: string[]; editor: string[]; summary: string[]; writerChunkDelayMs?: number }) {
  const writerModel = new RecordingReplayClient(options.writer, { chunkDelayMs: options.writerChunkDelayMs ?? 0 });
  const editorModel = new RecordingReplayClient(options.editor);
  const summaryModel = new RecordingReplayClient(options.summary);
  const writer = new AssistantAgent({ name: "writer", modelClient: writerModel, modelClientStream: options.writerChunkDelayMs !== undefined });
  const editor = new AssistantAgent({ name: "editor", modelClient: editorModel });
  const inner = new RoundRobinGroupChat({ participants: [writer, editor], terminationCondition: new TextMentionTermination("APPROVE") });
  const agent = new SocietyOfMindAgent({ name: "society", team: inner, modelClient: summaryModel });
  return { agent, inner, writerModel, editorModel, summaryModel };
}

describe("SocietyOfMindAgent", () => {
  it("runs its inner team in a RoundRobinGroupChat and answers with the model's summary of the inner transcript", async () => {
    const soc = society({ writer: ["A cat sat.", "A cat sat on a mat."], editor: ["APPROVE", "APPROVE"], summary: ["The cat sat.", "The cat sat on a mat."] });
    const translatorModel = new RecordingReplayClient(["El gato se sentó."]);
    const translator = new AssistantAgent({ name: "translator", modelClient: translatorModel });
    const team = new RoundRobinGroupChat({ participants: [soc.agent, translator], maxTurns: 3 });
    const result = await team.run({ task: "Write a very short story." });

    assert.deepEqual(sources(result.messages), ["user", "writer", "editor", "society", "translator", "writer", "editor", "society"]);
    assert.deepEqual(soc.summaryModel.contexts[0], [
      { type: "SystemMessage", content: DEFAULT_SOCIETY_OF_MIND_INSTRUCTION },
      { type: "UserMessage", source: "writer", content: "A cat sat." },
      { type: "UserMessage", source: "editor", content: "APPROVE" },
      { type: "SystemMessage", content: DEFAULT_SOCIETY_OF_MIND_RESPONSE_PROMPT },
    ]);
    assert.match(DEFAULT_SOCIETY_OF_MIND_INSTRUCTION, /^Earlier you were asked to fulfill a request/);
    assert.deepEqual(rows(translatorModel.contexts[0]!), [
      ["UserMessage", "user", "Write a very short story."],
      ["UserMessage", "society", "The cat sat."],
    ], "the others hear the answer, not the inner discussion");
    assert.deepEqual(
      rows(soc.writerModel.contexts[1]!),
      [
        ["UserMessage", "user", "Write a very short story."],
        ["UserMessage", "society", "The cat sat."],
        ["UserMessage", "translator", "El gato se sentó."],
      ],
      "the second turn starts a fresh inner run on the whole conversation",
    );
    const answer = result.messages.find((message) => message.source === "society");
    assert.equal(answer?.type === "TextMessage" && answer.content, "The cat sat.");
    assert.ok(answer?.modelsUsage, "the answer carries the summary model's usage");
  });

  it("streams the inner team's messages, chunks included, as its own inner messages", async () => {
    const soc = society({ writer: ["Short tale."], editor: ["APPROVE"], summary: ["A short tale."], writerChunkDelayMs: 0 });
    const streamed: Array<AgentMessage | TaskResult> = [];
    for await (const item of soc.agent.runStream({ task: "Tell a tale." })) streamed.push(item);
    assert.deepEqual(
      streamed.map((item) => (item.type === "TaskResult" ? "TaskResult" : `${item.type}:${item.source}`)),
      [
        "TextMessage:user",
        "ModelClientStreamingChunkEvent:writer",
        "ModelClientStreamingChunkEvent:writer",
        "TextMessage:writer",
        "TextMessage:editor",
        "TextMessage:society",
        "TaskResult",
      ],
    );
    const response = await society({ writer: ["x"], editor: ["APPROVE"], summary: ["y"] }).agent.onMessages([], new CancellationToken());
    assert.deepEqual(response.innerMessages!.map((message) => message.source), ["writer", "editor"]);
  });

  it("answers 'No response.' without calling its model when the inner team says nothing", async () => {
    const soc = society({ writer: [], editor: [], summary: [] });
    const result = await soc.agent.run({ task: "APPROVE without work" });
    assert.deepEqual(result.messages.map((message) => ("content" in message ? message.content : "")), ["APPROVE without work", "No response."]);
    assert.equal(soc.summaryModel.contexts.length, 0);
  });

  it("reset() resets the inner team and forgets the conversation", async () => {
    const soc = society({ writer: ["One.", "Two."], editor: ["APPROVE", "APPROVE"], summary: ["1", "2"] });
    await soc.agent.run({ task: "first" });
    await soc.agent.reset();
    assert.deepEqual((await soc.inner.saveState()).manager.messageThread, []);
    await soc.agent.run({ task: "second" });
    assert.deepEqual(rows(soc.writerModel.contexts[1]!), [["UserMessage", "user", "second"]]);
  });

  it("nests its inner team's state in its own, and a new agent continues from it", async () => {
    const first = society({ writer: ["One."], editor: ["APPROVE"], summary: ["Story one."] });
    await first.agent.run({ task: "first story" });
    const saved = JSON.parse(JSON.stringify(await first.agent.saveState()));
    assert.equal(saved.type, "SocietyOfMindAgentState");
    assert.equal(saved.innerTeamState.type, "TeamState");
    assert.deepEqual(saved.innerTeamState.manager.messageThread.map((message: AgentMessage) => message.source), ["user", "writer", "editor"]);
    assert.deepEqual(saved.llmContext.messages.map((message: { source: string }) => message.source), ["user", "society"]);

    const second = society({ writer: ["Two."], editor: ["APPROVE"], summary: ["Story two."] });
    await second.agent.loadState(saved);
    await second.agent.run({ task: "second story" });
    assert.deepEqual(rows(second.writerModel.contexts[0]!), [
      ["UserMessage", "user", "first story"],
      ["UserMessage", "society", "Story one."],
      ["UserMessage", "user", "second story"],
    ]);
    await assert.rejects(second.agent.loadState({ type: "AssistantAgentState", version: "1.0.0" }), UserError);
  });

  it("is cancelled inside its inner team, and the turn asked again starts the inner run over", async () => {
    const longDraft = Array.from({ length: 30 }, (_, index) => `word${index}`).join(" ");
    const soc = society({ writer: [longDraft, "Short draft."], editor: ["APPROVE"], summary: ["Done."], writerChunkDelayMs: 20 });
    const team = new RoundRobinGroupChat({ participants: [soc.agent], maxTurns: 1 });
    const token = new CancellationToken();
    await assert.rejects(async () => {
      for await (const item of team.runStream({ task: "Draft it.", cancellationToken: token }))
        if (item.type === "ModelClientStreamingChunkEvent") token.cancel();
    }, CancelledError);
    const result = await team.run();
    assert.deepEqual(sources(result.messages.filter((message) => message.type === "TextMessage")), ["writer", "editor", "society"]);
    assert.deepEqual(rows(soc.writerModel.contexts[1]!), [["UserMessage", "user", "Draft it."]], "the task once, no partial draft");
  });

  it("checks its options", () => {
    const model = new RecordingReplayClient([]);
    assert.throws(() => new SocietyOfMindAgent({ name: "s", team: undefined as never, modelClient: model }), /needs a team/);
    const inner = new RoundRobinGroupChat({ participants: [new AssistantAgent({ name: "w", modelClient: model })] });
    assert.throws(() => new SocietyOfMindAgent({ name: "s", team: inner, modelClient: undefined as never }), /needs a modelClient/);
    assert.throws(() => new SocietyOfMindAgent({ name: "has space", team: inner, modelClient: model }), /not valid/);
  });
});
