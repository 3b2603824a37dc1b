/**
 * agentbook: a TypeScript agent framework in the mould of AutoGen 0.4.
 * Each folder re-exports its public names through its own index.ts.
 */
export * from "./errors.ts";
export * from "./core/index.ts";
export * from "./models/index.ts";
export * from "./messages/index.ts";
export * from "./tools/index.ts";
export * from "./model-context/index.ts";
export * from "./memory/index.ts";
export * from "./agents/index.ts";
export * from "./display/index.ts";
export * from "./code/index.ts";
export * from "./conditions/index.ts";
export * from "./teams/index.ts";
export * from "./console/index.ts";
export * from "./telemetry/index.ts";
export * from "./component/index.ts";
export * from "./rag/index.ts";
