import { createDefaultRegistry } from "../../../../notebook-ui/web/src/renderers/default-registry.ts";
import { parseAnsi, resolveControlCharacters } from "../../../../notebook-ui/web/src/renderers/ansi.ts";
import { assert, describe, it, mount, settled } from "./harness.ts";

const registry = createDefaultRegistry();

async function show(bundle: Record<string, unknown>, metadata: Record<string, unknown> = {}): Promise<HTMLElement> {
  const element = registry.render(bundle, metadata);
  await mount(element);
  await settled(element);
  return element;
}

const shadow = (element: HTMLElement) => element.shadowRoot!;
// A 1x1 red PNG.
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

describe("renderer registry", () => {
  it("prefers agentbook types, then HTML, then plain text, and never renders JavaScript", () => {
    assert.equal(registry.preferredMimeType({ "text/plain": "x", "text/html": "<b>x</b>", "application/vnd.agentbook.transcript+json": {} }), "application/vnd.agentbook.transcript+json");
    assert.equal(registry.preferredMimeType({ "text/plain": "x", "text/html": "<b>x</b>" }), "text/html");
    assert.equal(registry.preferredMimeType({ "text/plain": "x", "image/png": PNG }), "image/png");
    assert.equal(registry.preferredMimeType({ "application/javascript": "alert(1)", "text/plain": "fallback" }), "text/plain");
    assert.equal(registry.preferredMimeType({ "application/javascript": "alert(1)" }), undefined);
  });
});

describe("text/plain", () => {
  it("renders ANSI colours as styled spans", async () => {
    const element = await show({ "text/plain": "plain \x1b[31mred\x1b[0m and \x1b[1;32mbold green\x1b[0m \x1b[38;5;208morange\x1b[0m" });
    const pre = shadow(element).querySelector("pre")!;
    assert.equal(pre.textContent, "plain red and bold green orange");
    const red = [...pre.querySelectorAll("span")].find((span) => span.textContent === "red")!;
    assert.equal(getComputedStyle(red).color, "rgb(196, 49, 75)");
    const green = [...pre.querySelectorAll("span")].find((span) => span.textContent === "bold green")!;
    assert.equal(getComputedStyle(green).fontWeight, "700");
    const orange = [...pre.querySelectorAll("span")].find((span) => span.textContent === "orange")!;
    assert.match(orange.getAttribute("style")!, /color:rgb\(255,135,0\)/);
  });

  it("applies carriage returns like a terminal (progress bars overwrite their line)", () => {
    assert.equal(resolveControlCharacters("10%\r50%\r100%\ndone"), "100%\ndone");
    assert.equal(resolveControlCharacters("abc\rxy"), "xyc");
    assert.equal(resolveControlCharacters("ab\x08c"), "ac");
    assert.deepEqual(parseAnsi("\x1b[2K\x1b[1Gok").map((span) => span.text), ["ok"]);
  });

  it("folds very long outputs and shows them on request", async () => {
    const long = "x".repeat(150_000) + "THE END";
    const element = await show({ "text/plain": long });
    const root = shadow(element);
    assert.match(root.textContent!, /characters folded/);
    assert.match(root.textContent!, /THE END/, "the tail stays visible");
    root.querySelector<HTMLButtonElement>(".fold button")!.click();
    await settled(element);
    assert.equal(root.querySelectorAll("pre").length, 1);
    assert.equal(root.querySelector("pre")!.textContent!.length, long.length);
  });
});

describe("text/markdown and text/html", () => {
  it("renders markdown: headings, emphasis, lists, code and tables", async () => {
    const element = await show({ "text/markdown": "# Title\n\nSome *emphasis* and `code`.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n" });
    const root = shadow(element);
    assert.equal(root.querySelector("h1")!.textContent, "Title");
    assert.equal(root.querySelector("em")!.textContent, "emphasis");
    assert.equal(root.querySelectorAll("li").length, 2);
    assert.equal(root.querySelectorAll("td").length, 2);
  });

  it("renders HTML inside a shadow root, links opening in a new tab", async () => {
    const element = await show({ "text/html": '<table><tr><td class="cell">42</td></tr></table><a href="https://example.com">site</a><style>td { color: rgb(1, 2, 3) }</style>', "text/plain": "42" });
    const root = shadow(element);
    assert.equal(root.querySelector("td")!.textContent, "42");
    assert.equal(root.querySelector("a")!.getAttribute("target"), "_blank");
    assert.equal(root.querySelector("a")!.getAttribute("rel"), "noopener noreferrer");
    const outside = document.createElement("td");
    document.body.append(outside);
    assert.ok(getComputedStyle(outside).color !== "rgb(1, 2, 3)", "output CSS does not leak into the page");
  });
});

describe("images", () => {
  it("renders PNG from base64 with the size from metadata", async () => {
    const element = await show({ "image/png": PNG, "text/plain": "<image>" }, { "image/png": { width: 40, height: 40 } });
    const img = shadow(element).querySelector("img")!;
    await img.decode();
    assert.equal(img.naturalWidth, 1);
    assert.equal(img.getAttribute("width"), "40");
  });

  it("renders SVG through an <img>, where scripts cannot run", async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="blue"/><script>window.__svgRan = true</script></svg>';
    const element = await show({ "image/svg+xml": svg });
    const img = shadow(element).querySelector("img")!;
    await img.decode();
    assert.equal(img.naturalWidth, 20);
    assert.equal((window as unknown as { __svgRan?: boolean }).__svgRan, undefined);
  });
});

describe("application/json", () => {
  it("shows a collapsible tree, opened two levels deep, with paging for big arrays", async () => {
    const data = { name: "agent", tools: ["search", "calc"], nested: { deeper: { deepest: true } }, big: Array.from({ length: 250 }, (_, i) => i) };
    const element = await show({ "application/json": data });
    const root = shadow(element);
    const top = root.querySelector("details")!;
    assert.ok(top.open, "the root is open");
    assert.match(root.textContent!, /"agent"/);
    const deeper = [...root.querySelectorAll("details")].find((d) => d.querySelector(":scope > summary")!.textContent!.includes("deeper"))!;
    assert.ok(!deeper.open, "the third level starts closed");
    deeper.querySelector("summary")!.click();
    assert.ok(deeper.open, "clicking a node opens it");
    const big = [...root.querySelectorAll("details")].find((d) => d.querySelector(":scope > summary")!.textContent!.includes("Array(250)"))!;
    big.open = true;
    assert.equal(big.querySelectorAll(":scope > ul > li.leaf .number").length, 100);
    big.querySelector<HTMLButtonElement>(":scope > ul > li > button")!.click();
    await settled(element);
    assert.equal(big.querySelectorAll(":scope > ul > li.leaf .number").length, 200);
  });
});

describe("errors", () => {
  it("shows the error name, value and the traceback with colours, the title once", async () => {
    const element = document.createElement("ab-error-output") as HTMLElement & { data: unknown };
    element.data = { ename: "TypeError", evalue: "x is not a function", traceback: ["\x1b[31mTypeError\x1b[0m: x is not a function", "\x1b[36mCell In[3], line 1\x1b[0m", "    at cell 3:1"] };
    await mount(element);
    const root = shadow(element);
    assert.equal(root.querySelector(".title")!.textContent, "TypeError: x is not a function");
    assert.equal(root.querySelector("pre")!.textContent, "Cell In[3], line 1\n    at cell 3:1");
    assert.ok(root.querySelector(".ansi-cyan-fg"), "traceback colours are kept");
    assert.equal(root.querySelector("[role=alert]") !== null, true);
  });
});
