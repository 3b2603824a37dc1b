export * from "./chat-completion-context.ts";
export * from "./unbounded-chat-completion-context.ts";
export * from "./buffered-chat-completion-context.ts";
export * from "./head-and-tail-chat-completion-context.ts";
