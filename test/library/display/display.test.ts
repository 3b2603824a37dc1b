// display(): MIME bundles for values and library objects, live transcripts of a run, and the
// terminal fallback outside a kernel.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  AssistantAgent,
  DISPLAY,
  MaxMessageTermination,
  ReplayChatCompletionClient,
  RoundRobinGroupChat,
  TRANSCRIPT_MIME,
  createMessage,
  display,
  isDisplayHandle,
  markdownToSafeHtml,
  setDisplayPublisher,
  textMessage,
  toMimeBundle,
  type DisplayPublisher,
  type MimeBundle,
  type TaskResult,
  type TranscriptPayload,
} from "agentbook";

interface Published {
  data: MimeBundle;
  displayId: string;
  update: boolean;
}

/** A notebook publisher that records what it is given, as the kernel's would send it. */
function recordingPublisher(): DisplayPublisher & { published: Published[]; tracked: Promise<unknown>[]; cleared: boolean[] } {
  const published: Published[] = [];
  const tracked: Promise<unknown>[] = [];
  const cleared: boolean[] = [];
  return {
    kind: "notebook",
    published,
    tracked,
    cleared,
    publish: (data, options) => published.push({ data: JSON.parse(JSON.stringify(data)), displayId: options.displayId, update: options.update }),
    clear: (wait) => cleared.push(wait),
    track: (work) => void tracked.push(work),
  };
}

function taskResult(): TaskResult {
  const question = textMessage("user", "What is <script>alert(1)</script>?");
  const call = createMessage("ToolCallRequestEvent", { source: "assistant", content: [{ id: "c1", name: "lookup", arguments: '{"q":"xss"}' }], modelsUsage: { promptTokens: 10, completionTokens: 3 } });
  const result = createMessage("ToolCallExecutionEvent", { source: "assistant", content: [{ callId: "c1", name: "lookup", content: "a <b>tag</b>", isError: false }] });
  const answer = createMessage("TextMessage", { source: "assistant", content: "It is **markup**. [more](javascript:alert(1))", modelsUsage: { promptTokens: 20, completionTokens: 7 } });
  const handoff = createMessage("HandoffMessage", { source: "assistant", content: "Over to you.", target: "reviewer", context: [] });
  return { type: "TaskResult", messages: [question, call, result, answer, handoff], stopReason: "Maximum number of messages 5 reached" };
}

describe("display", () => {
  let publisher: ReturnType<typeof recordingPublisher>;
  let previous: DisplayPublisher;
  before(() => {
    publisher = recordingPublisher();
    previous = setDisplayPublisher(publisher);
  });
  after(() => setDisplayPublisher(previous));

  test("a TaskResult renders as a transcript with JSON, escaped HTML and text", () => {
    const bundle = toMimeBundle(taskResult());
    const payload = bundle[TRANSCRIPT_MIME] as TranscriptPayload;
    assert.equal(payload.status, "done");
    assert.equal(payload.entries.length, 5);
    assert.deepEqual(payload.usage, { promptTokens: 30, completionTokens: 10 });
    assert.equal(payload.stopReason, "Maximum number of messages 5 reached");
    const html = bundle["text/html"] as string;
    assert.doesNotMatch(html, /<script>|javascript:|<b>tag<\/b>/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /<strong>markup<\/strong>/);
    assert.match(html, /lookup/);
    assert.match(html, /&quot;q&quot;: &quot;xss&quot;/);
    assert.match(html, /hand-off to<\/i> <b>reviewer<\/b>/);
    assert.match(html, /20 prompt \/ 7 completion tokens/);
    const plain = bundle["text/plain"] as string;
    assert.match(plain, /---------- TextMessage \(user\) ----------/);
    assert.match(plain, /-> lookup\(\{"q":"xss"\}\)/);
    assert.match(plain, /<- lookup: a <b>tag<\/b>/);
    assert.match(plain, /\[hand-off to reviewer\]/);
    assert.match(plain, /Stop reason: Maximum number of messages 5 reached/);
  });

  test("objects with a [DISPLAY] method render themselves; other values as text", () => {
    const custom = { [DISPLAY]: () => ({ "text/html": "<i>mine</i>", "text/plain": "mine" }) };
    assert.deepEqual(toMimeBundle(custom), { "text/html": "<i>mine</i>", "text/plain": "mine" });
    assert.deepEqual(toMimeBundle({ a: [1, 2] }), { "text/plain": "{ a: [ 1, 2 ] }" });
    assert.deepEqual(toMimeBundle("text"), { "text/plain": "'text'" });
    // A look-alike of a message type that is not ours stays text.
    assert.deepEqual(Object.keys(toMimeBundle({ type: "Order", source: "web", content: "x" })), ["text/plain"]);
  });

  test("display helpers publish their MIME types; update() replaces in place, rendered the same way", () => {
    publisher.published.length = 0;
    const handle = display.html("<p>one</p>");
    handle.update("<p>two</p>");
    display.markdown("# Title");
    display.json({ ok: true });
    display.image(new Uint8Array([137, 80, 78, 71]));
    display.svg("<svg></svg>");
    display.clear({ wait: true });
    const [first, second, markdown, json, image, svg] = publisher.published;
    assert.deepEqual(first, { data: { "text/html": "<p>one</p>", "text/plain": "one" }, displayId: handle.displayId, update: false });
    assert.deepEqual(second, { data: { "text/html": "<p>two</p>", "text/plain": "two" }, displayId: handle.displayId, update: true });
    assert.equal(markdown!.data["text/markdown"], "# Title");
    assert.deepEqual(json!.data["application/json"], { ok: true });
    assert.equal(image!.data["image/png"], Buffer.from([137, 80, 78, 71]).toString("base64"));
    assert.equal(svg!.data["image/svg+xml"], "<svg></svg>");
    assert.deepEqual(publisher.cleared, [true]);
    assert.ok(isDisplayHandle(handle));
  });

  test("a run stream renders as a live transcript that updates as tokens and messages arrive", async () => {
    publisher.published.length = 0;
    publisher.tracked.length = 0;
    const writer = new AssistantAgent({
      name: "writer",
      modelClient: new ReplayChatCompletionClient(["A first draft with quite a few words in it to stream one by one."], { chunkDelayMs: 15 }),
      modelClientStream: true,
    });
    const critic = new AssistantAgent({ name: "critic", modelClient: new ReplayChatCompletionClient(["Looks good."]) });
    const team = new RoundRobinGroupChat({ participants: [writer, critic], terminationCondition: new MaxMessageTermination(3) });
    const handle = display(team.runStream({ task: "Write a draft." }), { title: "team RoundRobinGroupChat" });
    assert.equal(publisher.tracked.length, 1, "the kernel is told to wait for the stream");
    const result = await handle;
    assert.equal(result?.type, "TaskResult");
    const payloads = publisher.published.map((entry) => entry.data[TRANSCRIPT_MIME] as TranscriptPayload);
    assert.ok(publisher.published.every((entry) => entry.displayId === handle.displayId));
    assert.equal(publisher.published[0]!.update, false);
    assert.ok(publisher.published.slice(1).every((entry) => entry.update));
    assert.equal(payloads[0]!.status, "running");
    // Tokens showed up while streaming...
    assert.ok(payloads.some((payload) => payload.streaming?.source === "writer" && payload.streaming.text.length > 0));
    // ...but updates were throttled: fewer updates than streamed chunks.
    const chunks = 14;
    assert.ok(payloads.length < chunks, `${payloads.length} updates for ${chunks} chunks`);
    const last = payloads.at(-1)!;
    assert.equal(last.status, "done");
    assert.equal(last.title, "team RoundRobinGroupChat");
    assert.equal(last.streaming, null);
    assert.deepEqual(
      last.entries.map((entry) => `${entry.message.type}:${entry.message.source}`),
      ["TextMessage:user", "TextMessage:writer", "TextMessage:critic"],
    );
    assert.match(String(last.stopReason), /Maximum number of messages/);
    assert.ok(last.usage.completionTokens > 0);
  });

  test("a stream that fails shows the error in the transcript and rejects the handle", async () => {
    publisher.published.length = 0;
    async function* failing() {
      yield textMessage("user", "go");
      throw new Error("model unavailable");
    }
    await assert.rejects(Promise.resolve(display(failing())), /model unavailable/);
    const last = publisher.published.at(-1)!.data[TRANSCRIPT_MIME] as TranscriptPayload;
    assert.equal(last.status, "error");
    assert.equal(last.error, "Error: model unavailable");
    assert.equal(last.entries.length, 1);
  });

  test("markdown from models loses raw HTML and unsafe links", () => {
    const html = markdownToSafeHtml('<img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](https://example.com) ![c](file:///etc/passwd)');
    assert.doesNotMatch(html, /<img src=x|href="javascript|file:\/\//);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(html, /<a href="https:\/\/example.com" rel="noopener noreferrer" target="_blank">b<\/a>/);
  });
});

test("outside a kernel, display prints text and run streams through Console", () => {
  const script = `
    import { display, ReplayChatCompletionClient, AssistantAgent } from "agentbook";
    display({ answer: 42 });
    display.html("<b>bold</b> text");
    const agent = new AssistantAgent({ name: "helper", modelClient: new ReplayChatCompletionClient(["Streamed reply."]), modelClientStream: true });
    const result = await display(agent.runStream({ task: "Say something." }));
    console.log("result:", result?.messages.length);
  `;
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8", timeout: 60_000 });
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stdout, /^\{ answer: 42 \}\nbold text\n/);
  assert.match(child.stdout, /---------- TextMessage \(user\) ----------\nSay something\./);
  assert.match(child.stdout, /Streamed reply\./);
  assert.equal(child.stdout.match(/Streamed reply\./g)!.length, 1, "streamed text is not printed twice");
  assert.match(child.stdout, /result: 2\n/);
});
