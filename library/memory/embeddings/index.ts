export * from "./embedder.ts";
export * from "./vector-math.ts";
export * from "./word-vectors-format.ts";
export * from "./word-vector-embedder.ts";
export * from "./openai-embedder.ts";
export * from "./transformers-loader.ts";
export * from "./transformers-embedder.ts";
