export * from "./cancellation-token.ts";
