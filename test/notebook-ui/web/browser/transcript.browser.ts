import { TRANSCRIPT_MIME, type TranscriptEntry, type TranscriptPayload } from "../../../../library/display/payloads.ts";
import { createDefaultRegistry } from "../../../../notebook-ui/web/src/renderers/default-registry.ts";
import { assert, describe, it, mount, settled } from "./harness.ts";

const registry = createDefaultRegistry();
let clock = 0;

function entry(type: string, source: string, fields: Record<string, unknown>, usage?: { promptTokens: number; completionTokens: number }): TranscriptEntry {
  clock += 400;
  return {
    elapsedMs: clock,
    durationMs: 400,
    message: { id: `m${clock}`, source, createdAt: new Date(clock).toISOString(), metadata: {}, type, ...(usage ? { modelsUsage: usage } : {}), ...fields } as never,
  };
}

function teamRun(): TranscriptPayload {
  clock = 0;
  return {
    version: 1,
    title: "team RoundRobinGroupChat",
    status: "done",
    startedAt: new Date(0).toISOString(),
    durationMs: 4200,
    stopReason: "Text 'TERMINATE' mentioned",
    usage: { promptTokens: 300, completionTokens: 90 },
    entries: [
      entry("TextMessage", "user", { content: "What is the weather in Paris?" }),
      entry("ToolCallRequestEvent", "assistant", { content: [{ id: "call-1", name: "get_weather", arguments: '{"city":"Paris"}' }, { id: "call-2", name: "get_time", arguments: '{"tz":"CET"}' }] }, { promptTokens: 120, completionTokens: 30 }),
      entry("ToolCallExecutionEvent", "assistant", { content: [{ callId: "call-1", name: "get_weather", content: "Sunny, 24°C", isError: false }, { callId: "call-2", name: "get_time", content: "unknown tz", isError: true }] }),
      entry("TextMessage", "assistant", { content: "It is **sunny** in Paris." }, { promptTokens: 180, completionTokens: 60 }),
      entry("HandoffMessage", "assistant", { content: "Transferring to critic", target: "critic", context: [] }),
      entry("SelectSpeakerEvent", "manager", { content: ["critic"] }),
      entry("ThoughtEvent", "critic", { content: "The answer looks fine." }),
      entry("TextMessage", "critic", { content: "Approved. TERMINATE" }),
    ],
  };
}

async function show(payload: TranscriptPayload): Promise<HTMLElement & { data: unknown }> {
  const element = registry.render({ [TRANSCRIPT_MIME]: payload, "text/plain": "fallback" }) as HTMLElement & { data: unknown };
  await mount(element);
  await settled(element);
  return element;
}

describe("transcript renderer", () => {
  it("shows one bubble per message, grouped and coloured per agent, with the human on the right", async () => {
    const root = (await show(teamRun())).shadowRoot!;
    const rows = [...root.querySelectorAll<HTMLElement>(".row")];
    assert.deepEqual(rows.map((row) => row.dataset.source), ["user", "assistant", "assistant", "critic", "critic"], "tool results sit on their call's card, not in a row of their own");
    assert.ok(rows[0]!.classList.contains("human"), "the user's message is on the human side");
    assert.ok(rows[2]!.classList.contains("continued"), "consecutive messages of one agent are grouped");
    const assistantAvatar = getComputedStyle(rows[1]!.querySelector(".avatar")!).backgroundColor;
    const criticAvatar = getComputedStyle(rows[3]!.querySelector(".avatar")!).backgroundColor;
    assert.ok(assistantAvatar !== criticAvatar, "agents have their own colours");
    assert.equal(root.querySelector(".row[data-source=assistant] .bubble strong")?.textContent, "sunny", "markdown is rendered");
    assert.equal(root.querySelector(".status")!.textContent, "done");
    assert.match(root.querySelector("header")!.textContent!, /4 messages\s+2 tool calls/);
    assert.match(root.querySelector("header")!.textContent!, /390 tokens/);
    assert.match(root.querySelector("header")!.textContent!, /4\.2 s/);
    assert.match(root.querySelector("footer")!.textContent!, /Stopped: Text 'TERMINATE' mentioned/);
  });

  it("shows tokens and latency on each message that used the model", async () => {
    const root = (await show(teamRun())).shadowRoot!;
    const meta = [...root.querySelectorAll(".row[data-type=TextMessage][data-source=assistant] .meta")].map((m) => m.textContent);
    assert.deepEqual(meta, ["+1.6 s · 400 ms · 180 in · 60 out"]);
  });

  it("shows tool calls as collapsible cards with arguments and results, errors marked", async () => {
    const root = (await show(teamRun())).shadowRoot!;
    const cards = [...root.querySelectorAll<HTMLDetailsElement>("details.card.tool")];
    assert.equal(cards.length, 2, "one card per call; the execution event does not repeat them");
    assert.ok(!cards[0]!.open, "cards start collapsed");
    assert.equal(cards[0]!.querySelector(".fn")!.textContent, "get_weather");
    assert.equal(cards[0]!.querySelector(".args-inline")!.textContent, '{"city":"Paris"}');
    cards[0]!.querySelector("summary")!.click();
    assert.ok(cards[0]!.open);
    assert.equal(cards[0]!.querySelector("pre.arguments")!.textContent, '{\n  "city": "Paris"\n}');
    assert.equal(cards[0]!.querySelector("pre.result")!.textContent, "Sunny, 24°C");
    assert.equal(cards[1]!.querySelector(".result-badge")!.textContent, "error");
    assert.ok(cards[1]!.querySelector(".result-badge")!.classList.contains("error"));
  });

  it("shows handoffs, speaker selection and thoughts", async () => {
    const root = (await show(teamRun())).shadowRoot!;
    assert.match(root.querySelector(".divider.handoff")!.textContent!, /assistant handed off to critic/);
    assert.match([...root.querySelectorAll(".divider")].map((d) => d.textContent).join("|"), /next speaker: critic/);
    assert.equal(root.querySelector("details.thought .plain")!.textContent, "The answer looks fine.");
  });

  it("grows the streamed message as tokens arrive, keeping opened cards open", async () => {
    const payload = teamRun();
    payload.status = "running";
    delete payload.stopReason;
    const element = await show({ ...payload, streaming: { source: "critic", text: "Let me" } });
    const root = element.shadowRoot!;
    root.querySelector<HTMLDetailsElement>("details.card.tool")!.open = true;
    const firstBubble = root.querySelector(".row .bubble");
    for (const text of ["Let me check", "Let me check that", "Let me check that again."]) {
      element.data = { ...payload, streaming: { source: "critic", text } };
      await settled(element);
      assert.equal(root.querySelector(".bubble.streaming")!.textContent, text);
    }
    assert.equal(root.querySelector(".status")!.textContent, "running");
    assert.ok(root.querySelector<HTMLDetailsElement>("details.card.tool")!.open, "live updates keep the reader's open cards");
    assert.equal(root.querySelector(".row .bubble"), firstBubble, "earlier messages are not re-created");
    const finished = teamRun();
    element.data = { ...finished, entries: [...finished.entries, entry("TextMessage", "critic", { content: "Let me check that again." })] };
    await settled(element);
    assert.equal(root.querySelector(".bubble.streaming"), null, "the streamed bubble becomes a message");
    assert.equal(root.querySelector(".status")!.textContent, "done");
  });

  it("reports a failed run", async () => {
    const payload = teamRun();
    const root = (await show({ ...payload, status: "error", error: "ModelClientError: 500 from the provider" })).shadowRoot!;
    assert.equal(root.querySelector(".status")!.textContent, "error");
    assert.match(root.querySelector("footer.error")!.textContent!, /500 from the provider/);
  });

  it("renders 1,000 messages and keeps off-screen rows cheap", async () => {
    clock = 0;
    const entries = Array.from({ length: 1000 }, (_, i) => entry("TextMessage", i % 2 ? "assistant" : "critic", { content: `Message **${i}**` }));
    const started = performance.now();
    const element = await show({ version: 1, status: "done", startedAt: new Date(0).toISOString(), usage: { promptTokens: 0, completionTokens: 0 }, entries });
    const elapsed = performance.now() - started;
    const root = element.shadowRoot!;
    assert.equal(root.querySelectorAll(".row").length, 1000);
    assert.equal(getComputedStyle(root.querySelector(".row")!).contentVisibility, "auto");
    assert.ok(elapsed < 3000, `rendering took ${Math.round(elapsed)} ms`);
  });
});
