export * from "./group-chat-events.ts";
export * from "./team-run-error.ts";
export * from "./team-state.ts";
export * from "./chat-agent-container.ts";
export * from "./base-group-chat-manager.ts";
export * from "./base-group-chat.ts";
export * from "./round-robin-group-chat.ts";
