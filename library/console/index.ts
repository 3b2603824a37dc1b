export * from "./console.ts";
