import type { MemoryFieldCondition, MemoryFilter } from "./memory-filter.ts";
import { isFieldCondition, validateMemoryFilter } from "./memory-filter.ts";

/** A Chroma `where` clause (kept structural so this file does not load chromadb). */
export type ChromaWhere = Record<string, unknown>;

type Scalar = string | number | boolean;
const isScalar = (value: unknown): value is Scalar => typeof value === "string" || typeof value === "number" || typeof value === "boolean";

/**
 * A MemoryFilter as a Chroma `where` clause, or `null` when Chroma cannot say the same thing
 * (its `$ne` and `$nin` skip records without the field, it compares only numbers, and it has
 * no null, object or array equality): the caller then filters by id instead.
 */
export function memoryFilterToChromaWhere(filter: MemoryFilter): ChromaWhere | null {
  validateMemoryFilter(filter);
  const clauses: ChromaWhere[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === "$and" || key === "$or") {
      const inner = (value as MemoryFilter[]).map(memoryFilterToChromaWhere);
      if (inner.some((clause) => clause === null) || inner.length === 0) return null;
      clauses.push(inner.length === 1 ? inner[0]! : { [key]: inner });
    } else if (isFieldCondition(value)) {
      for (const [operator, operand] of Object.entries(value as MemoryFieldCondition)) {
        if (operator === "$eq" && isScalar(operand)) clauses.push({ [key]: { $eq: operand } });
        else if (operator === "$in" && Array.isArray(operand) && operand.length > 0 && operand.every(isScalar))
          clauses.push({ [key]: { $in: operand } });
        else if (["$gt", "$gte", "$lt", "$lte"].includes(operator) && typeof operand === "number") clauses.push({ [key]: { [operator]: operand } });
        else return null;
      }
    } else if (isScalar(value)) {
      clauses.push({ [key]: { $eq: value } });
    } else {
      return null;
    }
  }
  if (clauses.length === 0) return {};
  return clauses.length === 1 ? clauses[0]! : { $and: clauses };
}
