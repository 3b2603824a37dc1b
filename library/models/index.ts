export * from "./types.ts";
export * from "./token-estimate.ts";
export * from "./replay-chat-completion-client.ts";
