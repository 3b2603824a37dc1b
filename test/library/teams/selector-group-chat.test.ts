import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AssistantAgent,
  CancellationToken,
  CancelledError,
  MaxMessageTermination,
  mentionedNames,
  SelectorGroupChat,
  TeamRunError,
  TextMentionTermination,
  UserError,
} from "agentbook";
import type { AgentMessage, LLMMessage } from "agentbook";
import { continueInFreshProcess } from "./fresh-process.ts";
import { RecordingReplayClient, rows } from "./recording-replay-client.ts";
import { ScriptedAgent } from "./scripted-agents.ts";
import { buildTeam } from "./team-builders.ts";

const sources = (messages: readonly AgentMessage[]) => messages.map((message) => message.source);
const contents = (context: readonly LLMMessage[]) => context.map((message) => `${message.type}: ${String(message.content)}`);

function trio(options: { delayMs?: number } = {}) {
  return ["a", "b", "c"].map((name) => new ScriptedAgent(name, undefined, options)) as [ScriptedAgent, ScriptedAgent, ScriptedAgent];
}

describe("SelectorGroupChat", () => {
  it("lets the model pick each speaker from AutoGen's prompt of roles, candidates and history", async () => {
    const selector = new RecordingReplayClient(["a", "I think c should go next.", "b"]);
    const team = new SelectorGroupChat({ participants: trio(), modelClient: selector, maxTurns: 3, emitTeamEvents: true });
    const result = await team.run({ task: "plan a picnic" });
    assert.deepEqual(
      result.messages.map((message) => (message.type === "SelectSpeakerEvent" ? `-> ${message.content.join()}` : message.source)),
      ["user", "-> a", "a", "-> c", "c", "-> b", "b"],
    );
    assert.equal(result.stopReason, "Maximum number of turns 3 reached.");
    assert.deepEqual(selector.contexts[0], [
      {
        type: "UserMessage",
        source: "user",
        content:
          "You are in a role play game. The following roles are available:\n" +
          "a: Scripted agent a\nb: Scripted agent b\nc: Scripted agent c.\n" +
          "Read the following conversation. Then select the next role from ['a', 'b', 'c'] to play. Only return the role.\n\n" +
          "user: plan a picnic\n\n\n\n" +
          "Read the above conversation. Then select the next role from ['a', 'b', 'c'] to play. Only return the role.\n",
      },
    ]);
    const second = selector.contexts[1]![0]!.content as string;
    assert.match(second, /select the next role from \['b', 'c'\]/, "the previous speaker is not a candidate");
    assert.match(second, /user: plan a picnic\n\n\na: a turn 1\n\n/, "the history grows with each turn");
  });

  it("asks again with feedback when the answer names nobody, several names, or the previous speaker", async () => {
    const selector = new RecordingReplayClient(["b", "Nobody fits.", "a or c", "b", "c"]);
    const team = new SelectorGroupChat({ participants: trio(), modelClient: selector, maxTurns: 2, maxSelectorAttempts: 4 });
    const result = await team.run({ task: "go" });
    assert.deepEqual(sources(result.messages), ["user", "b", "c"]);
    assert.equal(selector.contexts.length, 5);
    const retries = selector.contexts[4]!;
    assert.deepEqual(contents(retries.slice(1)), [
      "AssistantMessage: Nobody fits.",
      "UserMessage: No valid name was mentioned. Please select from: ['a', 'c'].",
      "AssistantMessage: a or c",
      "UserMessage: Expected exactly one name to be mentioned. Please select only one from: ['a', 'c'].",
      "AssistantMessage: b",
      "UserMessage: Repeated speaker is not allowed, please select a different name from: ['a', 'c'].",
    ]);
    assert.equal(retries[1]!.type === "AssistantMessage" && retries[1]!.source, "selector");
  });

  it("falls back to the first candidate, or to the previous speaker when repeats are allowed, after maxSelectorAttempts", async () => {
    const strict = new RecordingReplayClient(["b", "?", "??"]);
    const noRepeat = new SelectorGroupChat({ participants: trio(), modelClient: strict, maxTurns: 2, maxSelectorAttempts: 2 });
    assert.deepEqual(sources((await noRepeat.run({ task: "go" })).messages), ["user", "b", "a"], "b may not repeat: the first candidate, a");
    assert.equal(strict.remaining, 0, "two attempts for the second pick, no more");

    const lenient = new RecordingReplayClient(["hmm", "??", "spare"]);
    const repeats = new SelectorGroupChat({
      participants: trio(),
      modelClient: lenient,
      maxTurns: 2,
      maxSelectorAttempts: 1,
      allowRepeatedSpeaker: true,
    });
    assert.deepEqual(sources((await repeats.run({ task: "go" })).messages), ["user", "a", "a"], "no previous speaker: the first; then the previous one");
    assert.match(lenient.contexts[1]![0]!.content as string, /from \['a', 'b', 'c'\]/, "with repeats allowed every participant is a candidate");
    assert.equal(lenient.remaining, 1, "one attempt per pick");
  });

  it("matches names as whole words, with spaces or escaped underscores for underscores", () => {
    const names = ["Story_writer", "critic", "critic_2"];
    assert.deepEqual([...mentionedNames("The Story writer, then critic.", names)], [["Story_writer", 1], ["critic", 1]]);
    assert.deepEqual([...mentionedNames("**Story\\_writer**", names)], [["Story_writer", 1]]);
    assert.deepEqual([...mentionedNames("criticism", names)], []);
    assert.deepEqual([...mentionedNames("critic_2", names)], [["critic_2", 1]]);
  });

  it("lets selectorFunc decide, and asks the model when it returns null", async () => {
    const selector = new RecordingReplayClient(["c"]);
    const seen: number[] = [];
    const team = new SelectorGroupChat({
      participants: trio(),
      modelClient: selector,
      maxTurns: 3,
      selectorFunc: (thread) => {
        seen.push(thread.length);
        const last = thread.at(-1)!.source;
        return last === "user" ? "b" : last === "b" ? null : "a";
      },
    });
    assert.deepEqual(sources((await team.run({ task: "go" })).messages), ["user", "b", "c", "a"]);
    assert.deepEqual(seen, [1, 2, 3], "it is given the thread");
    assert.equal(selector.contexts.length, 1, "the model chose once, when selectorFunc returned null");

    const wrong = new SelectorGroupChat({ participants: trio(), modelClient: selector, selectorFunc: () => "zed" });
    await assert.rejects(wrong.run({ task: "go" }), (error: Error) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /selectorFunc returned "zed", which is not a participant; return one of a, b, c/);
      return true;
    });
  });

  it("lets candidateFunc narrow the choice (and skips the model for a single candidate)", async () => {
    const selector = new RecordingReplayClient(["c", "a"]);
    const allowed: Record<string, string[]> = { user: ["b"], b: ["a", "c"], c: ["a", "b"] };
    const team = new SelectorGroupChat({
      participants: trio(),
      modelClient: selector,
      maxTurns: 3,
      candidateFunc: (thread) => allowed[thread.at(-1)!.source]!,
    });
    assert.deepEqual(sources((await team.run({ task: "go" })).messages), ["user", "b", "c", "a"]);
    assert.equal(selector.contexts.length, 2, "the first pick had one candidate");
    assert.match(selector.contexts[0]![0]!.content as string, /from \['a', 'c'\] to play/);

    const stray = new RecordingReplayClient(["b", "a"]);
    const narrowed = new SelectorGroupChat({ participants: trio(), modelClient: stray, maxTurns: 1, candidateFunc: () => ["a", "c"] });
    assert.deepEqual(sources((await narrowed.run({ task: "go" })).messages), ["user", "a"]);
    assert.equal(stray.contexts[1]!.at(-1)!.content, "b cannot speak now. Please select from: ['a', 'c'].");

    const empty = new SelectorGroupChat({ participants: trio(), modelClient: stray, candidateFunc: () => [] });
    await assert.rejects(empty.run({ task: "go" }), /candidateFunc returned no candidates/);
  });

  it("streams the selector model's answer as chunks when asked to", async () => {
    const selector = new RecordingReplayClient(["the next one is b"]);
    const team = new SelectorGroupChat({ participants: trio(), modelClient: selector, maxTurns: 1, modelClientStreaming: true, emitTeamEvents: true });
    const streamed: string[] = [];
    for await (const item of team.runStream({ task: "go" }))
      if (item.type !== "TaskResult") streamed.push(`${item.type}:${item.source}:${"content" in item ? String(item.content) : ""}`);
    assert.deepEqual(streamed, [
      "TextMessage:user:go",
      "ModelClientStreamingChunkEvent:SelectorGroupChatManager:the ",
      "ModelClientStreamingChunkEvent:SelectorGroupChatManager:next ",
      "ModelClientStreamingChunkEvent:SelectorGroupChatManager:one ",
      "ModelClientStreamingChunkEvent:SelectorGroupChatManager:is ",
      "ModelClientStreamingChunkEvent:SelectorGroupChatManager:b",
      "SelectSpeakerEvent:SelectorGroupChatManager:b",
      "TextMessage:b:b turn 1",
    ]);
  });

  it("runs AssistantAgents until one says TERMINATE, each seeing the others' messages", async () => {
    const selector = new RecordingReplayClient(["Flight_Agent", "Travel_Advisor"]);
    const flightModel = new RecordingReplayClient(["Flight LH 123 on Monday."]);
    const advisorModel = new RecordingReplayClient(["Booked LH 123. TERMINATE"]);
    const advisor = new AssistantAgent({ name: "Travel_Advisor", modelClient: advisorModel, description: "Helps with travel planning." });
    const flights = new AssistantAgent({ name: "Flight_Agent", modelClient: flightModel, description: "Helps with flight booking." });
    const team = new SelectorGroupChat({
      participants: [advisor, flights],
      modelClient: selector,
      terminationCondition: new TextMentionTermination("TERMINATE"),
    });
    const result = await team.run({ task: "Book a flight to Berlin." });
    assert.deepEqual(sources(result.messages), ["user", "Flight_Agent", "Travel_Advisor"]);
    assert.equal(result.stopReason, "Text 'TERMINATE' mentioned");
    assert.match(selector.contexts[0]![0]!.content as string, /Travel_Advisor: Helps with travel planning.\nFlight_Agent: Helps with flight booking./);
    assert.deepEqual(
      advisorModel.contexts[0]!.filter((message) => message.type !== "SystemMessage").map((message) => message.content),
      ["Book a flight to Berlin.", "Flight LH 123 on Monday."],
    );
  });

  it("saves who spoke last, so a newly built team goes on without repeating them", async () => {
    const team = new SelectorGroupChat({ participants: trio(), modelClient: new RecordingReplayClient(["c"]), maxTurns: 1 });
    await team.run({ task: "go" });
    const saved = JSON.parse(JSON.stringify(await team.saveState()));
    assert.equal(saved.manager.type, "SelectorManagerState");
    assert.equal(saved.manager.previousSpeaker, "c");

    const selector = new RecordingReplayClient(["a"]);
    const restored = new SelectorGroupChat({ participants: trio(), modelClient: selector, maxTurns: 1 });
    await restored.loadState(saved);
    assert.deepEqual(sources((await restored.run()).messages), ["a"]);
    assert.match(selector.contexts[0]![0]!.content as string, /from \['a', 'b'\][^]*user: go\n\n\nc: c turn 1/);

    await restored.reset();
    const fresh = new RecordingReplayClient(["b"]);
    const again = new SelectorGroupChat({ participants: trio(), modelClient: fresh, maxTurns: 1 });
    await again.loadState(await restored.saveState());
    await again.run({ task: "anew" });
    assert.match(fresh.contexts[0]![0]!.content as string, /from \['a', 'b', 'c'\][^]*\n\nuser: anew\n\n\n\nRead/, "reset forgot the speaker and the thread");
  });

  it("continues in a fresh process from the state saved in this one", async () => {
    const { team } = buildTeam("selector", "first");
    const first = await team.run({ task: "Write an add function." });
    assert.deepEqual(sources(first.messages), ["user", "coder"]);
    const outcome = await continueInFreshProcess("selector", await team.saveState());
    assert.deepEqual(outcome.messages, [["reviewer", "Looks right. TERMINATE"]]);
    const prompt = outcome.contexts.selector![0]![0]!.content as string;
    assert.match(prompt, /select the next role from \['planner', 'reviewer'\]/, "the coder spoke last and may not repeat");
    assert.match(prompt, /user: Write an add function.\n\n\ncoder: def add/);
    assert.deepEqual(rows(outcome.contexts.reviewer![0]!), [
      ["UserMessage", "user", "Write an add function."],
      ["UserMessage", "coder", "def add(a, b): return a + b"],
    ]);
  });

  it("pauses after the turn in progress and goes on after resume", async () => {
    let team!: SelectorGroupChat;
    let paused: Promise<void> | undefined;
    const a = new ScriptedAgent("a", () => {
      paused = team.pause();
      return "a turn 1";
    });
    const b = new ScriptedAgent("b");
    team = new SelectorGroupChat({ participants: [a, b], modelClient: new RecordingReplayClient(["a", "b"]), maxTurns: 2 });
    const arrivals: Array<[string, number]> = [];
    let resumedAt = 0;
    for await (const item of team.runStream({ task: "go" })) {
      if (item.type === "TaskResult") break;
      arrivals.push([item.source, Date.now()]);
      if (item.source === "a") {
        await paused;
        setTimeout(() => {
          resumedAt = Date.now();
          void team.resume();
        }, 100);
      }
    }
    assert.deepEqual(arrivals.map(([source]) => source), ["user", "a", "b"]);
    assert.ok(resumedAt > 0 && arrivals[2]![1] >= resumedAt, "b spoke only after resume");
    assert.deepEqual(b.lifecycle, ["pause", "resume"]);
  });

  it("stops promptly when cancelled during a selection, and the next run picks again", async () => {
    const selector = new RecordingReplayClient(["a", "b", "c"], { chunkDelayMs: 200 });
    const team = new SelectorGroupChat({ participants: trio(), modelClient: selector, modelClientStreaming: true, maxTurns: 1 });
    const token = new CancellationToken();
    setTimeout(() => token.cancel(), 50);
    const started = Date.now();
    await assert.rejects(team.run({ task: "go", cancellationToken: token }), CancelledError);
    assert.ok(Date.now() - started < 190, "the selection did not run to its end");
    const result = await team.run();
    assert.deepEqual(sources(result.messages), ["b"], "the interrupted pick was made again with the next scripted answer");
  });

  it("checks its options and fails the run on a bad selection model", async () => {
    const model = new RecordingReplayClient([]);
    assert.throws(() => new SelectorGroupChat({ participants: [new ScriptedAgent("a")], modelClient: model }), /at least two participants/);
    assert.throws(() => new SelectorGroupChat({ participants: trio(), modelClient: undefined as never }), /needs a modelClient/);
    assert.throws(() => new SelectorGroupChat({ participants: trio(), modelClient: model, maxSelectorAttempts: 0 }), /maxSelectorAttempts/);
    const team = new SelectorGroupChat({ participants: trio(), modelClient: model, terminationCondition: new MaxMessageTermination(3) });
    await assert.rejects(team.run({ task: "go" }), (error: Error) => {
      assert.match(error.message, /ran out of responses/);
      return error instanceof UserError || error instanceof TeamRunError;
    });
  });
});
