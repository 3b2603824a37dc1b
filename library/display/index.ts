export * from "./payloads.ts";
export * from "./input.ts";
