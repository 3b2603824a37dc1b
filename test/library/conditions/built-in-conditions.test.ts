import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  createMessage,
  ExternalTermination,
  FunctionCallTermination,
  HandoffTermination,
  MaxMessageTermination,
  SourceMatchTermination,
  StopMessageTermination,
  TextMentionTermination,
  TimeoutTermination,
  TokenUsageTermination,
  UserError,
  textMessage,
} from "agentbook";
import type { AgentMessage } from "agentbook";

const text = (source: string, content: string) => textMessage(source, content);
const toolEvent = (name: string): AgentMessage =>
  createMessage("ToolCallExecutionEvent", { source: "assistant", content: [{ callId: "c1", name, content: "ok", isError: false }] });

describe("MaxMessageTermination", () => {
  it("fires when the count of chat messages reaches the maximum", () => {
    const condition = new MaxMessageTermination(3);
    assert.equal(condition.check([text("user", "a")]), null);
    assert.equal(condition.check([toolEvent("f"), text("bot", "b")]), null, "events do not count by default");
    const stop = condition.check([text("bot", "c")]);
    assert.equal(stop?.content, "Maximum number of messages 3 reached, current message count: 3");
    assert.equal(stop?.source, "MaxMessageTermination");
    assert.equal(condition.terminated, true);
    assert.throws(() => condition.check([text("bot", "d")]), /already fired; call reset\(\)/);
    condition.reset();
    assert.equal(condition.terminated, false);
    assert.equal(condition.check([text("bot", "e")]), null);
  });

  it("counts events when includeAgentEvent is set", () => {
    const condition = new MaxMessageTermination(2, { includeAgentEvent: true });
    assert.equal(condition.check([toolEvent("f"), text("bot", "b")])?.content, "Maximum number of messages 2 reached, current message count: 2");
  });

  it("rejects a maximum below 1", () => {
    assert.throws(() => new MaxMessageTermination(0), UserError);
  });
});

describe("TextMentionTermination", () => {
  it("fires on a mention, optionally only from given sources", () => {
    const any = new TextMentionTermination("TERMINATE");
    assert.equal(any.check([text("user", "go on")]), null);
    assert.equal(any.check([text("bot", "done. TERMINATE")])?.content, "Text 'TERMINATE' mentioned");
    const onlyCritic = new TextMentionTermination("APPROVE", { sources: ["critic"] });
    assert.equal(onlyCritic.check([text("writer", "please APPROVE")]), null);
    assert.equal(onlyCritic.check([text("critic", "APPROVE")])?.content, "Text 'APPROVE' mentioned");
  });
});

describe("StopMessageTermination", () => {
  it("fires on a StopMessage", () => {
    const condition = new StopMessageTermination();
    assert.equal(condition.check([text("bot", "stop")]), null);
    assert.equal(condition.check([createMessage("StopMessage", { source: "bot", content: "bye" })])?.content, "Stop message received");
  });
});

describe("TokenUsageTermination", () => {
  it("adds up modelsUsage across checks and fires at the limit", () => {
    const condition = new TokenUsageTermination({ maxTotalToken: 100 });
    const used = (prompt: number, completion: number) =>
      createMessage("TextMessage", { source: "bot", content: "x", modelsUsage: { promptTokens: prompt, completionTokens: completion } });
    assert.equal(condition.check([used(40, 10)]), null);
    assert.equal(
      condition.check([used(45, 5)])?.content,
      "Token usage limit reached, total token count: 100, prompt token count: 85, completion token count: 15.",
    );
    const completion = new TokenUsageTermination({ maxCompletionToken: 5 });
    assert.ok(completion.check([used(1000, 5)]));
    assert.throws(() => new TokenUsageTermination({}), /at least one of maxTotalToken/);
  });
});

describe("HandoffTermination", () => {
  it("fires on a hand-off to its target only", () => {
    const condition = new HandoffTermination("user");
    const handoff = (target: string) => createMessage("HandoffMessage", { source: "agent", content: "over to you", target, context: [] });
    assert.equal(condition.check([handoff("planner")]), null);
    assert.equal(condition.check([handoff("user")])?.content, "Handoff to user from agent detected.");
  });
});

describe("TimeoutTermination", () => {
  it("starts its clock at the first check and fires once the time has passed", async () => {
    const condition = new TimeoutTermination(0.05);
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(condition.check([]), null, "time before the first check does not count");
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(condition.check([])?.content, "Timeout of 0.05 seconds reached");
    condition.reset();
    assert.equal(condition.check([]), null);
  });
});

describe("ExternalTermination", () => {
  it("fires at the next check after set()", () => {
    const condition = new ExternalTermination();
    assert.equal(condition.check([text("bot", "a")]), null);
    condition.set();
    assert.equal(condition.check([])?.content, "External termination requested");
    condition.reset();
    assert.equal(condition.check([]), null, "reset clears the request");
  });
});

describe("SourceMatchTermination", () => {
  it("fires when a listed agent speaks", () => {
    const condition = new SourceMatchTermination(["critic", "judge"]);
    assert.equal(condition.check([text("writer", "draft")]), null);
    assert.equal(condition.check([text("judge", "fine")])?.content, "'judge' answered");
  });
});

describe("FunctionCallTermination", () => {
  it("fires when the named tool was executed", () => {
    const condition = new FunctionCallTermination("approve");
    assert.equal(condition.check([toolEvent("lookup")]), null);
    assert.equal(condition.check([text("bot", "approve")]), null, "mentioning the name is not executing it");
    assert.equal(condition.check([toolEvent("approve")])?.content, "Function 'approve' was executed.");
  });
});
