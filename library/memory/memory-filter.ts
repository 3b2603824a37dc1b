import { UserError } from "../errors.ts";

/** A comparison on one metadata field. */
export interface MemoryFieldCondition {
  /** Equal (JSON-equal) to this value. */
  $eq?: unknown;
  /** Not equal to this value (a missing field counts as not equal). */
  $ne?: unknown;
  /** Equal to one of these values. */
  $in?: readonly unknown[];
  /** Equal to none of these values. */
  $nin?: readonly unknown[];
  /** Greater than (numbers, or strings such as ISO dates). */
  $gt?: number | string;
  /** Greater than or equal. */
  $gte?: number | string;
  /** Less than. */
  $lt?: number | string;
  /** Less than or equal. */
  $lte?: number | string;
}

/**
 * Which items a query keeps, by their metadata. A field maps to a value (equality) or to a
 * condition (`{ $gte: 3 }`, `{ $in: ["a", "b"] }`, `{ $ne: "x" }`); `$and` / `$or` combine filters.
 * Fields side by side must all match.
 *
 * ```ts
 * { category: "medical", priority: { $in: ["high", "urgent"] }, $or: [{ year: { $gte: 2024 } }, { pinned: true }] }
 * ```
 */
export type MemoryFilter = {
  $and?: readonly MemoryFilter[];
  $or?: readonly MemoryFilter[];
} & Record<string, unknown>;

const FIELD_OPERATORS = new Set(["$eq", "$ne", "$in", "$nin", "$gt", "$gte", "$lt", "$lte"]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** True when `value` is an operator object such as `{ $gte: 3 }` rather than a literal to compare. */
export function isFieldCondition(value: unknown): value is MemoryFieldCondition {
  return isPlainObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => key.startsWith("$"));
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function comparable(a: unknown, b: unknown): boolean {
  return (typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string");
}

function matchesCondition(value: unknown, condition: MemoryFieldCondition, field: string): boolean {
  for (const [operator, operand] of Object.entries(condition)) {
    switch (operator) {
      case "$eq":
        if (!jsonEqual(value, operand)) return false;
        break;
      case "$ne":
        if (jsonEqual(value, operand)) return false;
        break;
      case "$in":
      case "$nin": {
        if (!Array.isArray(operand))
          throw new UserError(`Filter on "${field}": ${operator} needs an array, got ${JSON.stringify(operand)}.`);
        const found = operand.some((candidate) => jsonEqual(value, candidate));
        if (found !== (operator === "$in")) return false;
        break;
      }
      case "$gt":
      case "$gte":
      case "$lt":
      case "$lte": {
        if (typeof operand !== "number" && typeof operand !== "string")
          throw new UserError(`Filter on "${field}": ${operator} needs a number or a string, got ${JSON.stringify(operand)}.`);
        if (!comparable(value, operand)) return false;
        const v = value as number | string;
        const ok =
          operator === "$gt" ? v > operand : operator === "$gte" ? v >= operand : operator === "$lt" ? v < operand : v <= operand;
        if (!ok) return false;
        break;
      }
      default:
        throw new UserError(
          `Filter on "${field}" uses unknown operator ${operator}; use one of ${[...FIELD_OPERATORS].join(", ")}.`,
        );
    }
  }
  return true;
}

/** Throws a UserError naming the problem when `filter` is not a valid MemoryFilter. */
export function validateMemoryFilter(filter: unknown, path = "filter"): asserts filter is MemoryFilter {
  if (!isPlainObject(filter)) throw new UserError(`${path} must be an object such as { category: "news" }; got ${JSON.stringify(filter)}.`);
  for (const [key, value] of Object.entries(filter)) {
    if (key === "$and" || key === "$or") {
      if (!Array.isArray(value)) throw new UserError(`${path}.${key} must be an array of filters; got ${JSON.stringify(value)}.`);
      value.forEach((inner, index) => validateMemoryFilter(inner, `${path}.${key}[${index}]`));
    } else if (key.startsWith("$")) {
      throw new UserError(`${path} has unknown operator ${key} at the top level; use $and or $or, or put the operator under a field.`);
    } else if (isFieldCondition(value)) {
      for (const [operator, operand] of Object.entries(value)) {
        if (!FIELD_OPERATORS.has(operator))
          throw new UserError(`${path}.${key} uses unknown operator ${operator}; use one of ${[...FIELD_OPERATORS].join(", ")}.`);
        if ((operator === "$in" || operator === "$nin") && !Array.isArray(operand))
          throw new UserError(`${path}.${key}.${operator} needs an array, got ${JSON.stringify(operand)}.`);
      }
    }
  }
}

/** True when `metadata` satisfies `filter` (no filter matches everything). */
export function matchesMemoryFilter(metadata: Record<string, unknown> | undefined, filter: MemoryFilter | undefined): boolean {
  if (!filter) return true;
  for (const [key, expected] of Object.entries(filter)) {
    if (key === "$and") {
      if (!(expected as MemoryFilter[]).every((inner) => matchesMemoryFilter(metadata, inner))) return false;
    } else if (key === "$or") {
      if (!(expected as MemoryFilter[]).some((inner) => matchesMemoryFilter(metadata, inner))) return false;
    } else if (key.startsWith("$")) {
      throw new UserError(`Unknown filter operator ${key} at the top level; use $and or $or, or put the operator under a field.`);
    } else if (isFieldCondition(expected)) {
      if (!matchesCondition(metadata?.[key], expected, key)) return false;
    } else if (!jsonEqual(metadata?.[key], expected)) {
      return false;
    }
  }
  return true;
}
