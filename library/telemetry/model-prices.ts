import { UserError } from "../errors.ts";

/** What a model costs, in US dollars per million tokens. */
export interface ModelPrice {
  /** Dollars per million prompt (input) tokens. */
  inputPerMillion: number;
  /** Dollars per million completion (output) tokens. */
  outputPerMillion: number;
}

/** Prices by model name. A name also prices its dated versions: "gpt-4o" prices "gpt-4o-2024-08-06". */
export type PriceTable = Record<string, ModelPrice>;

/**
 * List prices of common OpenAI models when this table was written (standard tier, no cached-input
 * discount). Prices change: override them with `setTelemetryOptions({ prices })` or
 * `startSession({ prices })`. The offline replay model costs nothing.
 */
export const DEFAULT_MODEL_PRICES: Readonly<PriceTable> = Object.freeze({
  "gpt-5": { inputPerMillion: 1.25, outputPerMillion: 10 },
  "gpt-5-mini": { inputPerMillion: 0.25, outputPerMillion: 2 },
  "gpt-5-nano": { inputPerMillion: 0.05, outputPerMillion: 0.4 },
  "gpt-4.1": { inputPerMillion: 2, outputPerMillion: 8 },
  "gpt-4.1-mini": { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  "gpt-4.1-nano": { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  "gpt-4o": { inputPerMillion: 2.5, outputPerMillion: 10 },
  "gpt-4o-mini": { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  "gpt-4-turbo": { inputPerMillion: 10, outputPerMillion: 30 },
  "gpt-4": { inputPerMillion: 30, outputPerMillion: 60 },
  "gpt-3.5-turbo": { inputPerMillion: 0.5, outputPerMillion: 1.5 },
  o1: { inputPerMillion: 15, outputPerMillion: 60 },
  "o1-mini": { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  o3: { inputPerMillion: 2, outputPerMillion: 8 },
  "o3-mini": { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  "o4-mini": { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  replay: { inputPerMillion: 0, outputPerMillion: 0 },
});

/** Throws a UserError unless `table` maps model names to non-negative input and output prices. */
export function validatePriceTable(table: unknown, where: string): asserts table is PriceTable {
  if (!table || typeof table !== "object" || Array.isArray(table))
    throw new UserError(`${where}: prices must be an object like { "gpt-4o": { inputPerMillion: 2.5, outputPerMillion: 10 } }.`);
  for (const [model, price] of Object.entries(table as Record<string, unknown>)) {
    const { inputPerMillion, outputPerMillion } = (price ?? {}) as Partial<ModelPrice>;
    const ok = (value: unknown) => typeof value === "number" && Number.isFinite(value) && value >= 0;
    if (!ok(inputPerMillion) || !ok(outputPerMillion))
      throw new UserError(
        `${where}: the price of "${model}" needs inputPerMillion and outputPerMillion as non-negative numbers (dollars per million tokens); got ${JSON.stringify(price)}.`,
      );
  }
}

/**
 * The price of `model` in `table`: an exact entry, else the longest entry that `model` starts
 * with followed by "-" (a dated or suffixed version). Undefined when nothing matches.
 */
export function findModelPrice(model: string, table: Readonly<PriceTable>): ModelPrice | undefined {
  const exact = table[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const name of Object.keys(table))
    if (model.startsWith(`${name}-`) && (best === undefined || name.length > best.length)) best = name;
  return best === undefined ? undefined : table[best];
}

/** Dollars for `inputTokens` and `outputTokens` at `price`. */
export function costOf(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1_000_000;
}
