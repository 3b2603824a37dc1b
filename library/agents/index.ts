export * from "./base-chat-agent.ts";
export * from "./handoff.ts";
export * from "./tool-call-execution.ts";
export * from "./assistant-agent.ts";
export * from "./user-proxy-agent.ts";
export * from "./society-of-mind-agent.ts";
