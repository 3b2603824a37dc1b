import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BufferedChatCompletionContext,
  HeadAndTailChatCompletionContext,
  UnboundedChatCompletionContext,
  UserError,
} from "agentbook";
import type { ChatCompletionContext, LLMMessage } from "agentbook";

const user = (content: string): LLMMessage => ({ type: "UserMessage", content, source: "user" });
const reply = (content: string): LLMMessage => ({ type: "AssistantMessage", content, source: "assistant" });
const call = (id: string): LLMMessage => ({
  type: "AssistantMessage",
  content: [{ id, name: "lookup", arguments: "{}" }],
  source: "assistant",
});
const result = (id: string): LLMMessage => ({
  type: "FunctionExecutionResultMessage",
  content: [{ callId: id, name: "lookup", content: "found", isError: false }],
});

async function fill(context: ChatCompletionContext, messages: LLMMessage[]): Promise<void> {
  for (const message of messages) await context.addMessage(message);
}

/** A compact picture of a view: "u:hello", "a:hi", "call:c1", "result:c1". */
function picture(messages: LLMMessage[]): string[] {
  return messages.map((message) => {
    if (message.type === "FunctionExecutionResultMessage") return `result:${message.content[0]!.callId}`;
    if (message.type === "AssistantMessage" && Array.isArray(message.content)) return `call:${message.content[0]!.id}`;
    return `${message.type === "UserMessage" ? "u" : message.type === "AssistantMessage" ? "a" : "s"}:${message.content as string}`;
  });
}

describe("UnboundedChatCompletionContext", () => {
  it("shows every message, starts with the initial messages, and clears", async () => {
    const context = new UnboundedChatCompletionContext({ initialMessages: [user("example")] });
    await fill(context, [user("1"), reply("2")]);
    assert.deepEqual(picture(await context.getMessages()), ["u:example", "u:1", "a:2"]);
    await context.clear();
    assert.deepEqual(await context.getMessages(), []);
  });

  it("saves plain JSON that loads into another context", async () => {
    const context = new UnboundedChatCompletionContext();
    await fill(context, [user("1"), call("c1"), result("c1")]);
    const saved = JSON.parse(JSON.stringify(await context.saveState()));
    const other = new UnboundedChatCompletionContext();
    await other.loadState(saved);
    assert.deepEqual(await other.getMessages(), await context.getMessages());
    await assert.rejects(other.loadState({} as any), UserError);
  });

  it("hands out copies: changing the returned list does not change the context", async () => {
    const context = new UnboundedChatCompletionContext();
    await context.addMessage(user("1"));
    (await context.getMessages()).push(user("injected"));
    assert.equal((await context.getMessages()).length, 1);
  });
});

describe("BufferedChatCompletionContext", () => {
  it("shows only the last bufferSize messages but keeps all of them", async () => {
    const context = new BufferedChatCompletionContext({ bufferSize: 2 });
    await fill(context, [user("1"), reply("2"), user("3"), reply("4")]);
    assert.deepEqual(picture(await context.getMessages()), ["u:3", "a:4"]);
    assert.equal((await context.saveState()).messages.length, 4);
  });

  it("never starts with tool results whose call was cut off", async () => {
    const context = new BufferedChatCompletionContext({ bufferSize: 3 });
    await fill(context, [user("1"), call("c1"), result("c1"), reply("done"), user("next")]);
    // The last three are result:c1, a:done, u:next; the orphaned result is dropped.
    assert.deepEqual(picture(await context.getMessages()), ["a:done", "u:next"]);
    await context.addMessage(reply("ok"));
    assert.deepEqual(picture(await context.getMessages()), ["a:done", "u:next", "a:ok"]);
  });

  it("keeps a call and its result when both fit", async () => {
    const context = new BufferedChatCompletionContext({ bufferSize: 3 });
    await fill(context, [user("1"), call("c1"), result("c1")]);
    assert.deepEqual(picture(await context.getMessages()), ["u:1", "call:c1", "result:c1"]);
  });

  it("rejects a buffer size below 1", () => {
    assert.throws(() => new BufferedChatCompletionContext({ bufferSize: 0 }), /bufferSize must be a whole number of at least 1; got 0/);
  });
});

describe("HeadAndTailChatCompletionContext", () => {
  it("shows everything while head and tail cover it", async () => {
    const context = new HeadAndTailChatCompletionContext({ headSize: 1, tailSize: 2 });
    await fill(context, [user("1"), reply("2"), user("3")]);
    assert.deepEqual(picture(await context.getMessages()), ["u:1", "a:2", "u:3"]);
  });

  it("shows the head, a 'Skipped N messages.' note from System, and the tail", async () => {
    const context = new HeadAndTailChatCompletionContext({ headSize: 1, tailSize: 2 });
    await fill(context, [user("task"), reply("a"), user("b"), reply("c"), user("d"), reply("e")]);
    const messages = await context.getMessages();
    assert.deepEqual(picture(messages), ["u:task", "u:Skipped 3 messages.", "u:d", "a:e"]);
    assert.deepEqual(messages[1], { type: "UserMessage", content: "Skipped 3 messages.", source: "System" });
  });

  it("does not split a tool call from its result across the gap", async () => {
    const context = new HeadAndTailChatCompletionContext({ headSize: 2, tailSize: 2 });
    await fill(context, [user("task"), call("c1"), result("c1"), reply("x"), call("c2"), result("c2"), reply("y")]);
    // Head would end with call:c1 (its result is skipped); tail would start with result:c2.
    assert.deepEqual(picture(await context.getMessages()), ["u:task", "u:Skipped 5 messages.", "a:y"]);
  });
});
