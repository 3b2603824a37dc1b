import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ExternalTermination,
  MaxMessageTermination,
  SourceMatchTermination,
  stopMessage,
  TerminationCondition,
  TextMentionTermination,
  textMessage,
} from "agentbook";
import type { AgentMessage } from "agentbook";

describe("TerminationCondition combinations", () => {
  it("or() fires when either fires and joins the reasons of all that fired", async () => {
    const condition = new MaxMessageTermination(2).or(new TextMentionTermination("TERMINATE"));
    assert.equal(await condition.check([textMessage("user", "hi")]), null);
    const stop = await condition.check([textMessage("bot", "TERMINATE")]);
    assert.equal(stop?.content, "Maximum number of messages 2 reached, current message count: 2, Text 'TERMINATE' mentioned");
    assert.equal(stop?.source, "MaxMessageTermination, TextMentionTermination");
    assert.equal(condition.terminated, true);
    await condition.reset();
    assert.equal(condition.terminated, false);
    assert.equal(await condition.check([textMessage("bot", "one more")]), null, "the max count restarted at zero");
  });

  it("and() fires only once both have fired, even in different turns", async () => {
    const condition = new SourceMatchTermination(["critic"]).and(new TextMentionTermination("DONE"));
    assert.equal(await condition.check([textMessage("critic", "looks good")]), null);
    assert.equal(condition.terminated, false);
    const stop = await condition.check([textMessage("writer", "DONE")]);
    assert.equal(stop?.content, "'critic' answered, Text 'DONE' mentioned");
    await condition.reset();
    assert.equal(await condition.check([textMessage("writer", "DONE")]), null, "reset forgets the critic's answer");
  });

  it("nests, and accepts custom async conditions", async () => {
    class AskedQuestion extends TerminationCondition {
      #done = false;
      get terminated() {
        return this.#done;
      }
      async check(messages: readonly AgentMessage[]) {
        this.assertNotTerminated();
        await new Promise((resolve) => setTimeout(resolve, 1));
        const asked = messages.find((message) => message.type === "TextMessage" && message.content.endsWith("?"));
        if (!asked) return null;
        this.#done = true;
        return stopMessage("AskedQuestion", `${asked.source} asked a question`);
      }
      reset() {
        this.#done = false;
      }
    }
    const external = new ExternalTermination();
    const condition = external.or(new AskedQuestion().and(new MaxMessageTermination(2)));
    assert.equal(await condition.check([textMessage("bot", "why?")]), null);
    assert.equal((await condition.check([textMessage("bot", "ok")]))?.content, "bot asked a question, Maximum number of messages 2 reached, current message count: 2");
    await condition.reset();
    external.set();
    assert.equal((await condition.check([]))?.content, "External termination requested");
  });
});
