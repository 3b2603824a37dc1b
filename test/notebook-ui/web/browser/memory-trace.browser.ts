import { MEMORY_MIME, TRACE_MIME, type MemoryPayload, type TracePayload } from "../../../../library/display/payloads.ts";
import { createDefaultRegistry } from "../../../../notebook-ui/web/src/renderers/default-registry.ts";
import { assert, describe, it, mount, settled } from "./harness.ts";

const registry = createDefaultRegistry();

async function show(bundle: Record<string, unknown>): Promise<ShadowRoot> {
  const element = registry.render(bundle);
  await mount(element);
  await settled(element);
  return element.shadowRoot!;
}

describe("memory renderer", () => {
  it("lists hits with scores, bars relative to the best hit, metadata and source", async () => {
    const payload: MemoryPayload = {
      version: 1,
      memory: "ListMemory",
      query: "favourite colour",
      durationMs: 12,
      hits: [
        { content: "The user likes **blue**.", mimeType: "text/markdown", score: 0.8, metadata: { topic: "prefs" }, source: "notes.md" },
        { content: "Unrelated", mimeType: "text/plain", score: 0.2 },
      ],
    };
    const root = await show({ [MEMORY_MIME]: payload, "text/plain": "x" });
    assert.match(root.querySelector("header")!.textContent!, /favourite colour/);
    assert.match(root.querySelector("header")!.textContent!, /2 hits/);
    const items = root.querySelectorAll("li");
    assert.equal(items.length, 2);
    assert.equal(items[0]!.querySelector("strong")!.textContent, "blue");
    assert.match(items[0]!.textContent!, /0\.800/);
    assert.match(items[0]!.textContent!, /topic: prefs/);
    assert.match(items[0]!.textContent!, /source: notes\.md/);
    assert.equal(items[0]!.querySelector<HTMLElement>(".bar span")!.style.width, "100%");
    assert.equal(items[1]!.querySelector<HTMLElement>(".bar span")!.style.width, "25%");
  });
});

describe("trace renderer", () => {
  it("draws the span tree as a waterfall with latency, tokens and cost", async () => {
    const payload: TracePayload = {
      version: 1,
      traceId: "t1",
      title: "team run",
      spans: [
        { spanId: "root", name: "team.run", startMs: 0, durationMs: 1000, status: "ok", attributes: {} },
        { spanId: "llm", parentSpanId: "root", name: "chat gpt-4o", kind: "llm", startMs: 100, durationMs: 500, status: "ok", attributes: { model: "gpt-4o" }, inputTokens: 100, outputTokens: 50, costUsd: 0.0021 },
        { spanId: "tool", parentSpanId: "root", name: "tool get_weather", startMs: 650, durationMs: 300, status: "error", attributes: {} },
      ],
    };
    const root = await show({ [TRACE_MIME]: payload });
    assert.match(root.querySelector("header")!.textContent!, /3 spans/);
    assert.match(root.querySelector("header")!.textContent!, /150 tokens/);
    const llm = root.querySelector<HTMLElement>('[data-span-id="llm"]')!;
    assert.ok(root.querySelector('[data-span-id="root"]')!.contains(llm), "children nest under their parent");
    assert.equal(llm.querySelector<HTMLElement>(".lane span")!.style.left, "10%");
    assert.equal(llm.querySelector<HTMLElement>(".lane span")!.style.width, "50%");
    assert.match(llm.querySelector(".numbers")!.textContent!, /500 ms · 150 tok · \$0\.0021/);
    assert.match(llm.textContent!, /model = gpt-4o/);
    assert.ok(root.querySelector('[data-span-id="tool"]')!.classList.contains("error"));
  });
});
