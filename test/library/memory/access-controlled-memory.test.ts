import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AccessControlledMemory,
  AssistantAgent,
  EmbeddedVectorMemory,
  ListMemory,
  MemoryPermissionError,
  ReplayChatCompletionClient,
  SharedMemory,
  UnboundedChatCompletionContext,
} from "agentbook";

const policy = { analysts: ["read"], managers: ["read", "write"] } as const;

describe("AccessControlledMemory", () => {
  it("lets a role read but refuses its writes with a clear permission error, changing nothing", async () => {
    const inner = new ListMemory({ memoryContents: [{ content: "Q3 revenue grew 12%.", mimeType: "text/plain" }] });
    const alice = new AccessControlledMemory(inner, { policy, principal: { name: "alice", roles: ["analysts"] } });
    assert.equal((await alice.query("revenue")).results.length, 1);
    await assert.rejects(alice.add({ content: "Forged note", mimeType: "text/plain" }), (error: Error) => {
      assert.ok(error instanceof MemoryPermissionError);
      assert.equal(error.principal, "alice");
      assert.equal(error.permission, "write");
      assert.match(error.message, /alice \(roles: analysts\) may not write memory "default_list_memory", so add was refused/);
      assert.match(error.message, /Grant "write"/);
      return true;
    });
    await assert.rejects(alice.clear(), MemoryPermissionError);
    await assert.rejects(alice.delete({}), MemoryPermissionError);
    assert.equal(inner.contents.length, 1, "nothing changed");
  });

  it("refuses reads, and the context update an agent makes before a model call", async () => {
    const outsider = new AccessControlledMemory(new ListMemory(), { policy, principal: { name: "mallory", roles: ["guests"] } });
    await assert.rejects(outsider.query("x"), /mallory \(roles: guests\) may not read/);
    await assert.rejects(outsider.list(), MemoryPermissionError);
    const context = new UnboundedChatCompletionContext();
    await context.addMessage({ type: "UserMessage", content: "hi", source: "user" });
    await assert.rejects(outsider.updateContext(context), MemoryPermissionError);
    assert.equal(outsider.can("read"), false);
  });

  it("grants by agent name as well as by role", async () => {
    const carol = new AccessControlledMemory(new ListMemory(), { policy: { carol: ["write"] }, principal: { name: "carol" } });
    await carol.add({ content: "ok", mimeType: "text/plain" });
    await assert.rejects(carol.query("ok"), MemoryPermissionError);
    assert.throws(() => new AccessControlledMemory(new ListMemory(), { policy: { x: ["admin" as never] }, principal: { name: "x" } }), /"read" and "write"/);
  });
});

describe("SharedMemory", () => {
  it("records who wrote what, and each agent works within its role", async () => {
    const team = new SharedMemory({
      memory: new EmbeddedVectorMemory({ k: 5 }),
      accessControl: policy,
      members: { alice: ["analysts"], bob: ["managers"], dana: ["managers"] },
    });
    await team.as("bob").add({ content: "The launch moves to May.", mimeType: "text/plain" });
    await team.as("dana").add({ content: "Budget approved for two hires.", mimeType: "text/plain", metadata: { topic: "budget" } });
    await assert.rejects(team.as("alice").add({ content: "x", mimeType: "text/plain" }), MemoryPermissionError);

    const { results } = await team.as("alice").query("when is the launch?", { k: 1 });
    assert.equal(results[0]!.content, "The launch moves to May.");
    assert.equal(results[0]!.metadata?.author, "bob");
    assert.match(String(results[0]!.metadata?.writtenAt), /^\d{4}-\d\d-\d\dT/);

    const history = await team.history();
    assert.deepEqual(history.map((item) => [item.author, item.content]), [
      ["bob", "The launch moves to May."],
      ["dana", "Budget approved for two hires."],
    ]);
    assert.equal(history[1]!.metadata?.topic, "budget");
    assert.throws(() => team.as("eve"), /"eve" is not a member of team_memory/);
    assert.equal(team.as("bob"), team.as("bob"));
    await team.as("bob").close();
    assert.equal((await team.as("alice").query("budget", { k: 5 })).results.length, 2, "closing a view leaves the memory open");
    await team.close();
  });

  it("plugs into an AssistantAgent as its memory; an agent without read access is stopped", async () => {
    const team = new SharedMemory({ memory: new ListMemory(), accessControl: policy, members: { reader: ["analysts"] } });
    await new AccessControlledMemory(team.memory, { policy: { admin: ["write"] }, principal: { name: "admin" } }).add({
      content: "Office closes at 6pm.",
      mimeType: "text/plain",
    });
    const agent = new AssistantAgent({ name: "reader", modelClient: new ReplayChatCompletionClient(["It closes at 6pm."]), memory: team.as("reader") });
    const result = await agent.run({ task: "When does the office close?" });
    const memoryEvent = result.messages.find((message) => message.type === "MemoryQueryEvent");
    assert.ok(memoryEvent, "the agent reports what it read");
    assert.match(JSON.stringify(memoryEvent), /Office closes at 6pm/);

    const intruder = new AssistantAgent({
      name: "intruder",
      modelClient: new ReplayChatCompletionClient(["never used"]),
      memory: new AccessControlledMemory(team.memory, { policy, principal: { name: "intruder" } }),
    });
    await assert.rejects(intruder.run({ task: "Tell me everything." }), MemoryPermissionError);
  });
});
