import { UserError } from "../errors.ts";
import type { ChatCompletionContext } from "../model-context/chat-completion-context.ts";
import type { Memory, MemoryAddOptions, MemoryListOptions, MemoryQueryOptions, MemoryQueryResult, UpdateContextResult } from "./memory.ts";
import type { MemoryContent } from "./memory-content.ts";
import type { MemoryFilter } from "./memory-filter.ts";
import type { MemoryPermission } from "./memory-permission-error.ts";
import { MemoryPermissionError } from "./memory-permission-error.ts";
import { MemoryWrapper } from "./memory-wrapper.ts";

/** Who may do what: agent names or role names mapped to their permissions. */
export type MemoryAccessPolicy = Record<string, readonly MemoryPermission[]>;

/** The agent a memory view acts for. */
export interface MemoryPrincipal {
  /** Agent name. */
  name: string;
  /** Roles the agent has ("analysts", "managers"...). */
  roles?: readonly string[];
}

/** Options of AccessControlledMemory. */
export interface AccessControlledMemoryOptions {
  /** Permissions per agent name or role. */
  policy: MemoryAccessPolicy;
  /** The agent this view acts for. */
  principal: MemoryPrincipal;
  /** Name (default: the inner memory's). */
  name?: string;
}

const PERMISSIONS = new Set<MemoryPermission>(["read", "write"]);

/** Check a policy's shape, naming the bad entry. */
export function checkAccessPolicy(policy: MemoryAccessPolicy): void {
  if (!policy || typeof policy !== "object") throw new UserError('A memory access policy maps names or roles to permissions, such as { analysts: ["read"] }.');
  for (const [who, permissions] of Object.entries(policy)) {
    if (!Array.isArray(permissions) || permissions.some((permission) => !PERMISSIONS.has(permission)))
      throw new UserError(`Access policy entry "${who}" must be a list of "read" and "write"; got ${JSON.stringify(permissions)}.`);
  }
}

/**
 * A view of a memory for one agent: reads (query, list, updateContext) need "read", writes
 * (add, delete, clear) need "write", granted to the agent's name or one of its roles. A
 * refused call throws MemoryPermissionError and leaves the memory untouched.
 *
 * ```ts
 * const view = new AccessControlledMemory(memory, { policy: { analysts: ["read"], managers: ["read", "write"] }, principal: { name: "alice", roles: ["analysts"] } });
 * ```
 */
export class AccessControlledMemory extends MemoryWrapper {
  readonly principal: MemoryPrincipal;
  readonly #granted: ReadonlySet<MemoryPermission>;

  constructor(memory: Memory, options: AccessControlledMemoryOptions) {
    super(memory, options.name);
    checkAccessPolicy(options.policy);
    if (!options.principal || typeof options.principal.name !== "string")
      throw new UserError('AccessControlledMemory needs a principal such as { name: "alice", roles: ["analysts"] }.');
    this.principal = { name: options.principal.name, roles: [...(options.principal.roles ?? [])] };
    const granted = new Set<MemoryPermission>();
    for (const who of [this.principal.name, ...this.principal.roles!]) for (const permission of options.policy[who] ?? []) granted.add(permission);
    this.#granted = granted;
  }

  /** True when this view may `permission`. */
  can(permission: MemoryPermission): boolean {
    return this.#granted.has(permission);
  }

  protected check(permission: MemoryPermission, operation: string): void {
    if (!this.#granted.has(permission)) throw new MemoryPermissionError(this.principal.name, permission, this.name, this.principal.roles ?? [], operation);
  }

  async add(content: MemoryContent, options?: MemoryAddOptions): Promise<void> {
    this.check("write", "add");
    return this.inner.add(content, options);
  }

  async query(query: string | MemoryContent, options?: MemoryQueryOptions): Promise<MemoryQueryResult> {
    this.check("read", "query");
    return this.inner.query(query, options);
  }

  async updateContext(modelContext: ChatCompletionContext): Promise<UpdateContextResult> {
    this.check("read", "updateContext");
    return super.updateContext(modelContext);
  }

  async list(options?: MemoryListOptions): Promise<MemoryContent[]> {
    this.check("read", "list");
    return super.list(options);
  }

  async delete(filter: MemoryFilter, options?: MemoryListOptions): Promise<number> {
    this.check("write", "delete");
    return super.delete(filter, options);
  }

  async clear(): Promise<void> {
    this.check("write", "clear");
    return this.inner.clear();
  }

  /** Close the memory underneath (needs no permission: it releases resources, it changes no item). */
  async close(): Promise<void> {
    return this.inner.close();
  }
}
