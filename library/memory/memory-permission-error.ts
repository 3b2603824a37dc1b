import { AgentbookError } from "../errors.ts";

/** What a memory permission allows. */
export type MemoryPermission = "read" | "write";

/** A memory refused a read or write because the agent (or its roles) lacks the permission. */
export class MemoryPermissionError extends AgentbookError {
  /** Who asked. */
  readonly principal: string;
  /** What was refused. */
  readonly permission: MemoryPermission;
  /** Which memory refused. */
  readonly memory: string;

  constructor(principal: string, permission: MemoryPermission, memory: string, roles: readonly string[], operation: string) {
    super(
      `${principal}${roles.length ? ` (roles: ${roles.join(", ")})` : ""} may not ${permission} memory "${memory}", so ${operation} was refused. ` +
        `Grant "${permission}" to ${principal} or one of its roles in the memory's access policy.`,
    );
    this.principal = principal;
    this.permission = permission;
    this.memory = memory;
  }
}
