export * from "./code-block.ts";
export * from "./code-executor.ts";
export * from "./markdown-code-blocks.ts";
export type { CodeFunction, CodeFunctionSource } from "./code-functions.ts";
export * from "./safe-environment.ts";
export * from "./local-command-line-code-executor.ts";
export * from "./docker-command-line-code-executor.ts";
export * from "./code-executor-agent.ts";
export * from "./code-execution-tool.ts";
