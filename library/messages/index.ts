export * from "./types.ts";
export * from "./create.ts";
export * from "./convert.ts";
