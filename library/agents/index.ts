export * from "./base-chat-agent.ts";
