export * from "./tool.ts";
export * from "./tool-arguments-error.ts";
export * from "./function-tool.ts";
export * from "./parse-tool-arguments.ts";
