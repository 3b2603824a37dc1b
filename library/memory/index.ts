export * from "./memory-content.ts";
export * from "./memory.ts";
export * from "./memory-filter.ts";
export * from "./memory-display.ts";
export * from "./memory-context-update.ts";
export * from "./list-memory.ts";
export * from "./embeddings/index.ts";
