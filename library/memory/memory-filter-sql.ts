import { UserError } from "../errors.ts";
import type { MemoryFieldCondition, MemoryFilter } from "./memory-filter.ts";
import { isFieldCondition, validateMemoryFilter } from "./memory-filter.ts";

/** A SQL boolean expression and the values bound to its `?` placeholders. */
export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/** JSON path of a metadata field, for json_extract / json_type. */
function jsonPath(field: string): string {
  if (field.includes('"') || field.includes("\\"))
    throw new UserError(`Metadata field names used in filters cannot contain quotes or backslashes; got ${JSON.stringify(field)}.`);
  return `$."${field}"`;
}

/** `value` as SQLite's json_extract returns it, or undefined when only a JSON-text compare works. */
function scalar(value: unknown): string | number | undefined {
  return typeof value === "string" || typeof value === "number" ? value : undefined;
}

function equals(column: string, field: string, value: unknown, params: unknown[]): string {
  const path = jsonPath(field);
  if (value === null) {
    params.push(path);
    return `json_type(${column}, ?) = 'null'`;
  }
  if (typeof value === "boolean") {
    params.push(path);
    return `json_type(${column}, ?) = '${value ? "true" : "false"}'`;
  }
  const direct = scalar(value);
  if (direct !== undefined) {
    // Numbers must match numbers and strings strings, as in the in-process filter.
    params.push(path, path, direct);
    return typeof direct === "number"
      ? `(json_type(${column}, ?) IN ('integer', 'real') AND json_extract(${column}, ?) = ?)`
      : `(json_type(${column}, ?) = 'text' AND json_extract(${column}, ?) = ?)`;
  }
  // Objects and arrays: json_extract gives their minified JSON text, as JSON.stringify does.
  params.push(path, JSON.stringify(value));
  return `json_extract(${column}, ?) = ?`;
}

function condition(column: string, field: string, spec: MemoryFieldCondition, params: unknown[]): string {
  const parts: string[] = [];
  for (const [operator, operand] of Object.entries(spec)) {
    switch (operator) {
      case "$eq":
        parts.push(equals(column, field, operand, params));
        break;
      case "$ne":
        parts.push(`NOT coalesce(${equals(column, field, operand, params)}, 0)`);
        break;
      case "$in":
      case "$nin": {
        const values = operand as unknown[];
        const any = values.length === 0 ? "0" : `(${values.map((value) => `coalesce(${equals(column, field, value, params)}, 0)`).join(" OR ")})`;
        parts.push(operator === "$in" ? any : `NOT ${any}`);
        break;
      }
      case "$gt":
      case "$gte":
      case "$lt":
      case "$lte": {
        const symbol = { $gt: ">", $gte: ">=", $lt: "<", $lte: "<=" }[operator];
        const path = jsonPath(field);
        const types = typeof operand === "number" ? "('integer', 'real')" : "('text')";
        params.push(path, path, operand);
        parts.push(`(json_type(${column}, ?) IN ${types} AND json_extract(${column}, ?) ${symbol} ?)`);
        break;
      }
    }
  }
  return parts.length === 0 ? "1" : parts.join(" AND ");
}

/**
 * A MemoryFilter as a SQL condition on a JSON text column (`metadata` by default), with the
 * same meaning as `matchesMemoryFilter`: missing fields are not equal to anything, numbers
 * compare with numbers and strings with strings.
 */
export function memoryFilterToSql(filter: MemoryFilter | undefined, column = "metadata"): SqlCondition {
  const params: unknown[] = [];
  if (!filter) return { sql: "1", params };
  validateMemoryFilter(filter);
  const build = (inner: MemoryFilter): string => {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(inner)) {
      if (key === "$and") parts.push(`(${(value as MemoryFilter[]).map(build).join(" AND ") || "1"})`);
      else if (key === "$or") parts.push(`(${(value as MemoryFilter[]).map(build).join(" OR ") || "0"})`);
      else if (isFieldCondition(value)) parts.push(`(${condition(column, key, value, params)})`);
      else parts.push(`coalesce(${equals(column, key, value, params)}, 0)`);
    }
    return parts.length === 0 ? "1" : parts.join(" AND ");
  };
  return { sql: build(filter), params };
}
