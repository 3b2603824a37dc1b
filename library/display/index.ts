export * from "./payloads.ts";
