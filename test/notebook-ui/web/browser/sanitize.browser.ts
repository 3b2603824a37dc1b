import { createDefaultRegistry } from "../../../../notebook-ui/web/src/renderers/default-registry.ts";
import { TRANSCRIPT_MIME, type TranscriptPayload } from "../../../../library/display/payloads.ts";
import { assert, describe, it, mount, settled } from "./harness.ts";

const registry = createDefaultRegistry();
const w = window as unknown as { __pwned?: string[] };

const ATTACKS = [
  '<img src=x onerror="window.__pwned = (window.__pwned || []).concat(\'img\')">',
  "<script>window.__pwned = (window.__pwned || []).concat('script')</script>",
  '<a href="javascript:window.__pwned=[\'href\']" id="jslink">click</a>',
  "<iframe srcdoc=\"<script>parent.__pwned=['iframe']</script>\"></iframe>",
  '<svg><animate onbegin="window.__pwned=[\'svg\']" attributeName="x" dur="1s"/></svg>',
  '<details open ontoggle="window.__pwned=[\'toggle\']">x</details>',
];

async function renderAll(bundle: Record<string, unknown>): Promise<HTMLElement> {
  const element = registry.render(bundle);
  await mount(element);
  await settled(element);
  // Give error handlers of broken images and animations time to fire if they survived.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return element;
}

function assertClean(element: HTMLElement): void {
  const root = element.shadowRoot!;
  assert.deepEqual(w.__pwned, undefined, `injected code ran: ${JSON.stringify(w.__pwned)}`);
  assert.equal(root.querySelectorAll("script, iframe").length, 0, "no script or iframe elements");
  for (const node of root.querySelectorAll("*")) {
    for (const attribute of node.getAttributeNames()) assert.ok(!attribute.startsWith("on"), `event handler attribute ${attribute} survived`);
  }
  const link = root.querySelector<HTMLAnchorElement>("#jslink");
  if (link) {
    assert.ok(!/^javascript:/i.test(link.getAttribute("href") ?? ""), "javascript: link survived");
    link.click();
    assert.deepEqual(w.__pwned, undefined, "clicking the link ran code");
  }
}

describe("sanitisation of model and tool output", () => {
  it("text/html output: handlers, scripts, javascript: links and frames do not execute", async () => {
    assertClean(await renderAll({ "text/html": ATTACKS.join("\n"), "text/plain": "x" }));
  });

  it("text/markdown output with raw HTML inside", async () => {
    assertClean(await renderAll({ "text/markdown": `Hello **there**\n\n${ATTACKS.join("\n\n")}\n` }));
  });

  it("a transcript whose model output and tool results carry HTML", async () => {
    const message = (type: string, extra: Record<string, unknown>) => ({ id: crypto.randomUUID(), source: "assistant", createdAt: new Date().toISOString(), metadata: {}, type, ...extra });
    const payload: TranscriptPayload = {
      version: 1,
      status: "done",
      startedAt: new Date().toISOString(),
      usage: { promptTokens: 1, completionTokens: 1 },
      entries: [
        { elapsedMs: 1, durationMs: 1, message: message("TextMessage", { content: `Here you go ${ATTACKS.join(" ")}` }) as never },
        { elapsedMs: 2, durationMs: 1, message: message("ToolCallRequestEvent", { content: [{ id: "c1", name: "fetch", arguments: JSON.stringify({ html: ATTACKS[0] }) }] }) as never },
        { elapsedMs: 3, durationMs: 1, message: message("ToolCallExecutionEvent", { content: [{ callId: "c1", name: "fetch", content: ATTACKS.join(""), isError: false }] }) as never },
        { elapsedMs: 4, durationMs: 1, message: message("ToolCallSummaryMessage", { content: ATTACKS[1], toolCalls: [], results: [] }) as never },
      ],
      streaming: { source: "assistant", text: ATTACKS[0]! },
    };
    const element = await renderAll({ [TRANSCRIPT_MIME]: payload, "text/plain": "transcript" });
    assertClean(element);
    const root = element.shadowRoot!;
    assert.match(root.querySelector(".card pre.result")!.textContent!, /<img src=x onerror=/, "tool results show the HTML as text");
    assert.match(root.querySelector(".bubble.streaming")!.textContent!, /<img src=x/, "streamed text is shown as text");
    assert.ok(root.querySelector(".bubble .rich img"), "the harmless part of the image tag is kept");
  });
});
