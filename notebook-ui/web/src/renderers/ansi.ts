/**
 * Terminal text (ANSI SGR colour codes, carriage returns, backspaces) turned into styled spans.
 * Only text nodes and class names are produced: nothing is parsed as HTML.
 */

/** A run of text with one style. */
export interface AnsiSpan {
  text: string;
  /** CSS classes: ansi-bold, ansi-red-fg, ansi-bright-blue-bg, ... */
  classes: string[];
  /** Inline colours for 256-colour and true-colour codes. */
  style: string;
}

const NAMES = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];

function color256(n: number): string {
  if (n < 16) return "";
  if (n < 232) {
    const v = n - 16;
    const level = (x: number) => (x === 0 ? 0 : 55 + x * 40);
    return `rgb(${level(Math.floor(v / 36))},${level(Math.floor(v / 6) % 6)},${level(v % 6)})`;
  }
  const gray = 8 + (n - 232) * 10;
  return `rgb(${gray},${gray},${gray})`;
}

interface State {
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  fg: string | null;
  bg: string | null;
  fgStyle: string;
  bgStyle: string;
}

const initial = (): State => ({ bold: false, dim: false, italic: false, underline: false, fg: null, bg: null, fgStyle: "", bgStyle: "" });

function applyCodes(state: State, codes: number[]): void {
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code === 0) Object.assign(state, initial());
    else if (code === 1) state.bold = true;
    else if (code === 2) state.dim = true;
    else if (code === 3) state.italic = true;
    else if (code === 4) state.underline = true;
    else if (code === 22) state.bold = state.dim = false;
    else if (code === 23) state.italic = false;
    else if (code === 24) state.underline = false;
    else if (code >= 30 && code <= 37) [state.fg, state.fgStyle] = [NAMES[code - 30]!, ""];
    else if (code >= 90 && code <= 97) [state.fg, state.fgStyle] = [`bright-${NAMES[code - 90]}`, ""];
    else if (code >= 40 && code <= 47) [state.bg, state.bgStyle] = [NAMES[code - 40]!, ""];
    else if (code >= 100 && code <= 107) [state.bg, state.bgStyle] = [`bright-${NAMES[code - 100]}`, ""];
    else if (code === 39) [state.fg, state.fgStyle] = [null, ""];
    else if (code === 49) [state.bg, state.bgStyle] = [null, ""];
    else if (code === 38 || code === 48) {
      const target = code === 38 ? "fg" : "bg";
      let css = "";
      let name: string | null = null;
      if (codes[i + 1] === 5 && codes[i + 2] !== undefined) {
        const n = codes[i + 2]!;
        if (n < 16) name = n < 8 ? NAMES[n]! : `bright-${NAMES[n - 8]}`;
        else css = color256(n);
        i += 2;
      } else if (codes[i + 1] === 2 && codes[i + 4] !== undefined) {
        css = `rgb(${codes[i + 2]},${codes[i + 3]},${codes[i + 4]})`;
        i += 4;
      }
      if (target === "fg") [state.fg, state.fgStyle] = [name, css];
      else [state.bg, state.bgStyle] = [name, css];
    }
  }
}

/** Apply carriage returns and backspaces the way a terminal shows them (progress bars overwrite their line). */
export function resolveControlCharacters(text: string): string {
  if (!text.includes("\r") && !text.includes("\x08")) return text;
  return text
    .split("\n")
    .map((line) => {
      line = line.replace(/\r+$/, "");
      const segments = line.split("\r");
      let out = "";
      for (const segment of segments) out = segment + out.slice(segment.length);
      while (/[^\x08]\x08/.test(out)) out = out.replace(/[^\x08]\x08/g, "");
      return out.replace(/\x08/g, "");
    })
    .join("\n");
}

/** Split terminal text into styled spans. */
export function parseAnsi(text: string): AnsiSpan[] {
  const spans: AnsiSpan[] = [];
  const state = initial();
  // CSI sequences: ESC [ params letter. SGR ('m') styles text; other CSI codes (cursor moves) are dropped.
  const pattern = /\x1b\[([0-9;]*)([A-Za-z])|\x1b\][^\x07]*(?:\x07|\x1b\\)/g;
  const resolved = resolveControlCharacters(text);
  let last = 0;
  const push = (chunk: string) => {
    if (!chunk) return;
    const classes: string[] = [];
    if (state.bold) classes.push("ansi-bold");
    if (state.dim) classes.push("ansi-dim");
    if (state.italic) classes.push("ansi-italic");
    if (state.underline) classes.push("ansi-underline");
    if (state.fg) classes.push(`ansi-${state.fg}-fg`);
    if (state.bg) classes.push(`ansi-${state.bg}-bg`);
    const style = [state.fgStyle && `color:${state.fgStyle}`, state.bgStyle && `background-color:${state.bgStyle}`].filter(Boolean).join(";");
    const previous = spans[spans.length - 1];
    if (previous && previous.style === style && previous.classes.join() === classes.join()) previous.text += chunk;
    else spans.push({ text: chunk, classes, style });
  };
  for (const match of resolved.matchAll(pattern)) {
    push(resolved.slice(last, match.index));
    last = match.index! + match[0].length;
    if (match[2] === "m") applyCodes(state, (match[1] || "0").split(";").map((part) => Number(part || 0)));
  }
  push(resolved.slice(last));
  return spans;
}

/** Render terminal text into `target` as spans (text nodes only). */
export function renderAnsiInto(target: HTMLElement, text: string): void {
  target.replaceChildren();
  for (const span of parseAnsi(text)) {
    if (span.classes.length === 0 && !span.style) {
      target.append(document.createTextNode(span.text));
      continue;
    }
    const element = document.createElement("span");
    element.className = span.classes.join(" ");
    if (span.style) element.setAttribute("style", span.style);
    element.textContent = span.text;
    target.append(element);
  }
}

/** Terminal text without escape codes (for copying and fallbacks). */
export function stripAnsi(text: string): string {
  return parseAnsi(text)
    .map((span) => span.text)
    .join("");
}
