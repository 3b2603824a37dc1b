import type { z } from "zod";
import { UserError } from "../errors.ts";

/** `path` joined with a field: "config" + "participants" -> "config.participants"; indexes as [n]. */
export function joinPath(path: string, field: string | number): string {
  if (typeof field === "number") return `${path}[${field}]`;
  return path === "" ? field : `${path}.${field}`;
}

function issueLine(path: string, issue: z.core.$ZodIssue): string {
  const where = issue.path.reduce<string>((at, key) => joinPath(at, typeof key === "number" ? key : String(key)), path) || "(top level)";
  if (issue.code === "unrecognized_keys")
    return issue.keys
      .map((key) => `${joinPath(where === "(top level)" ? "" : where, key)}: unknown field; remove it or correct its spelling`)
      .join("\n");
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message))
    return `${where}: is missing; add it (${issue.message.replace(/^Invalid input: /, "")})`;
  return `${where}: ${issue.message.replace(/^Invalid input: /, "")}`;
}

/** A UserError listing each problem zod found, with the field it is in and what to do. */
export function configError(what: string, path: string, error: z.ZodError, knownFields?: readonly string[]): UserError {
  const lines = error.issues.map((issue) => `- ${issueLine(path, issue)}`);
  const known = knownFields?.length ? ` Known fields: ${knownFields.join(", ")}.` : "";
  return new UserError(
    `${what} does not match what agentbook expects:\n${lines.join("\n")}\nFix those fields in the JSON (a dumpComponent() of a working object shows the expected shape).${known}`,
    { cause: error },
  );
}
