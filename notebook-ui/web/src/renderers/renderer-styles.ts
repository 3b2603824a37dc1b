import { css } from "lit";

/** Styles every output renderer shares: fonts, code blocks, the ANSI palette. */
export const rendererBaseStyles = css`
  :host {
    display: block;
    font: 13.5px/1.55 var(--ab-font, system-ui, sans-serif);
    color: var(--ab-text, #1f2328);
    min-width: 0;
  }
  pre,
  code {
    font-family: var(--ab-mono, ui-monospace, "DejaVu Sans Mono", monospace);
    font-size: 12.5px;
  }
  pre {
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    line-height: 1.5;
  }
  button.link {
    border: 0;
    background: none;
    color: var(--ab-accent, #4f46e5);
    font: inherit;
    cursor: pointer;
    padding: 0;
  }
  .ansi-bold { font-weight: 700; }
  .ansi-dim { opacity: 0.7; }
  .ansi-italic { font-style: italic; }
  .ansi-underline { text-decoration: underline; }
  .ansi-black-fg { color: #3e424d; }
  .ansi-red-fg { color: #c4314b; }
  .ansi-green-fg { color: #1a7f37; }
  .ansi-yellow-fg { color: #9a6700; }
  .ansi-blue-fg { color: #0969da; }
  .ansi-magenta-fg { color: #8250df; }
  .ansi-cyan-fg { color: #1b7c83; }
  .ansi-white-fg { color: #6e7781; }
  .ansi-bright-black-fg { color: #57606a; }
  .ansi-bright-red-fg { color: #e5534b; }
  .ansi-bright-green-fg { color: #2da44e; }
  .ansi-bright-yellow-fg { color: #bf8700; }
  .ansi-bright-blue-fg { color: #218bff; }
  .ansi-bright-magenta-fg { color: #a475f9; }
  .ansi-bright-cyan-fg { color: #3192aa; }
  .ansi-bright-white-fg { color: #8c959f; }
  .ansi-black-bg { background: #3e424d; color: #fff; }
  .ansi-red-bg { background: #ffd8d3; }
  .ansi-green-bg { background: #d2f4d3; }
  .ansi-yellow-bg { background: #fff1b8; }
  .ansi-blue-bg { background: #ddf4ff; }
  .ansi-magenta-bg { background: #fbefff; }
  .ansi-cyan-bg { background: #d8f3f6; }
  .ansi-white-bg { background: #f6f8fa; }
  .ansi-bright-black-bg { background: #8c959f; }
  .ansi-bright-red-bg { background: #ffb8b0; }
  .ansi-bright-green-bg { background: #aceebb; }
  .ansi-bright-yellow-bg { background: #fae17d; }
  .ansi-bright-blue-bg { background: #b6e3ff; }
  .ansi-bright-magenta-bg { background: #e6d2ff; }
  .ansi-bright-cyan-bg { background: #b3f0f6; }
  .ansi-bright-white-bg { background: #ffffff; }
`;

/** Styles for HTML that came from outputs (markdown, text/html): readable tables, code, images. */
export const richTextStyles = css`
  .rich { overflow-wrap: anywhere; }
  .rich > :first-child { margin-top: 0; }
  .rich > :last-child { margin-bottom: 0; }
  .rich p, .rich ul, .rich ol, .rich blockquote, .rich pre, .rich table { margin: 0 0 0.6em; }
  .rich h1, .rich h2, .rich h3, .rich h4 { line-height: 1.25; margin: 0.9em 0 0.45em; font-weight: 650; }
  .rich h1 { font-size: 1.6em; }
  .rich h2 { font-size: 1.3em; }
  .rich h3 { font-size: 1.12em; }
  .rich a { color: var(--ab-accent, #4f46e5); }
  .rich code { background: var(--ab-code-bg, #f3f4f6); padding: 0.1em 0.35em; border-radius: 4px; }
  .rich pre { background: var(--ab-code-bg, #f3f4f6); padding: 10px 12px; border-radius: 6px; overflow-x: auto; white-space: pre; }
  .rich pre code { background: none; padding: 0; }
  .rich blockquote { border-left: 3px solid var(--ab-border, #e4e7ec); padding-left: 12px; color: var(--ab-muted, #667085); }
  .rich table { border-collapse: collapse; font-size: 12.5px; }
  .rich th, .rich td { border: 1px solid var(--ab-border, #e4e7ec); padding: 4px 10px; text-align: left; }
  .rich th { background: var(--ab-code-bg, #f3f4f6); font-weight: 600; }
  .rich tr:nth-child(even) td { background: #fafbfc; }
  .rich img { max-width: 100%; }
  .rich hr { border: 0; border-top: 1px solid var(--ab-border, #e4e7ec); }
`;
