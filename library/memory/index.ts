export * from "./memory-content.ts";
export * from "./memory.ts";
export * from "./list-memory.ts";
