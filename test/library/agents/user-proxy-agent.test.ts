import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AgentbookError, CancellationToken, CancelledError, UserProxyAgent, createMessage, setInputHandler } from "agentbook";
import type { AgentMessage, TaskResult } from "agentbook";

async function collect(stream: AsyncIterable<AgentMessage | TaskResult>): Promise<Array<AgentMessage | TaskResult>> {
  const items: Array<AgentMessage | TaskResult> = [];
  for await (const item of stream) items.push(item);
  return items;
}

describe("UserProxyAgent", () => {
  it("asks for input with a UserInputRequestedEvent, then says what the human typed", async () => {
    const prompts: Array<[string, string]> = [];
    const user = new UserProxyAgent({
      name: "human",
      inputFunc: async (prompt, token, { requestId }) => {
        assert.ok(token instanceof CancellationToken);
        prompts.push([prompt, requestId]);
        return "Looks good, ship it.";
      },
    });
    const items = await collect(user.runStream({ task: "Review this plan." }));

    assert.deepEqual(
      items.map((item) => item.type),
      ["TextMessage", "UserInputRequestedEvent", "TextMessage", "TaskResult"],
    );
    const requested = items[1] as any;
    assert.equal(requested.source, "human");
    assert.deepEqual(prompts, [["Enter your response: ", requested.requestId]]);
    assert.deepEqual([(items[2] as any).source, (items[2] as any).content], ["human", "Looks good, ship it."]);
    assert.equal(user.description, "A human user");
  });

  it("hands the answer back to the agent that handed off to it", async () => {
    const user = new UserProxyAgent({ name: "human", inputFunc: (prompt) => `answer to: ${prompt}` });
    const handoff = createMessage("HandoffMessage", { source: "travel_agent", target: "human", content: "Which dates?", context: [] });
    const result = await user.run({ task: handoff });
    const reply = result.messages.at(-1)!;
    assert.equal(reply.type, "HandoffMessage");
    if (reply.type !== "HandoffMessage") return;
    assert.equal(reply.target, "travel_agent");
    assert.equal(reply.source, "human");
    assert.equal(reply.content, "answer to: Handoff received from travel_agent. Enter your response: ");
  });

  it("reports an inputFunc failure with the agent's name", async () => {
    const user = new UserProxyAgent({
      name: "human",
      inputFunc: () => {
        throw new Error("stdin is closed");
      },
    });
    await assert.rejects(
      user.run({ task: "hello?" }),
      (error: Error) => error instanceof AgentbookError && error.message === 'UserProxyAgent "human" could not get the user\'s input: stdin is closed',
    );
  });

  it("stops waiting when the run is cancelled", async () => {
    const user = new UserProxyAgent({ name: "human", inputFunc: () => new Promise<string>(() => {}) });
    const token = new CancellationToken();
    const run = user.run({ task: "hello?", cancellationToken: token });
    setTimeout(() => token.cancel(), 5);
    await assert.rejects(run, CancelledError);
  });

  it("reads from input() by default, which the notebook kernel can take over", async () => {
    const asked: string[] = [];
    const previous = setInputHandler(async (prompt) => {
      asked.push(prompt);
      return "typed in the notebook";
    });
    try {
      const user = new UserProxyAgent({ name: "human" });
      const result = await user.run({ task: "hi" });
      assert.equal((result.messages.at(-1) as { content: string }).content, "typed in the notebook");
      assert.deepEqual(asked, ["Enter your response: "]);
    } finally {
      setInputHandler(previous);
    }
  });
});
