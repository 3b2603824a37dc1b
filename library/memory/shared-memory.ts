import { UserError } from "../errors.ts";
import type { Memory, MemoryAddOptions, MemoryListOptions } from "./memory.ts";
import type { MemoryContent } from "./memory-content.ts";
import type { MemoryAccessPolicy } from "./access-controlled-memory.ts";
import { AccessControlledMemory, checkAccessPolicy } from "./access-controlled-memory.ts";

/** Options of SharedMemory. */
export interface SharedMemoryOptions {
  /** Where the team's items live (any memory). */
  memory: Memory;
  /** Permissions per role or agent name: `{ analysts: ["read"], managers: ["read", "write"] }`. */
  accessControl: MemoryAccessPolicy;
  /** The roles of each agent: `{ alice: ["analysts"], bob: ["managers"] }`. An agent may also be named in accessControl directly. */
  members?: Record<string, readonly string[]>;
  /** Name shown in events (default "team_memory"). */
  name?: string;
}

/** Who wrote an item and when, as SharedMemory records it in the item's metadata. */
export interface MemoryAttribution {
  /** Agent that added the item. */
  author: string;
  /** ISO time of the add. */
  writtenAt: string;
}

/** One agent's view of a SharedMemory: its permissions, and its name on what it writes. */
export class SharedMemoryView extends AccessControlledMemory {
  async add(content: MemoryContent, options?: MemoryAddOptions): Promise<void> {
    this.check("write", "add");
    const attribution: MemoryAttribution = { author: this.principal.name, writtenAt: new Date().toISOString() };
    return this.inner.add({ ...content, metadata: { ...content.metadata, ...attribution } }, options);
  }

  /** A view does not own the team's memory: closing it leaves the memory open for the others. */
  async close(): Promise<void> {}
}

/**
 * A memory several agents share, with access control and attribution: each agent works
 * through its own view (`team.as("alice")`), which checks the agent's permissions and stamps
 * `author` and `writtenAt` on everything it adds, so anyone reading can see who wrote what.
 *
 * ```ts
 * const team = new SharedMemory({ memory: new EmbeddedVectorMemory(), accessControl: { analysts: ["read"], managers: ["read", "write"] },
 *   members: { alice: ["analysts"], bob: ["managers"] } });
 * const writer = new AssistantAgent({ name: "bob", modelClient, memory: team.as("bob") });
 * ```
 */
export class SharedMemory {
  readonly name: string;
  readonly memory: Memory;
  readonly #policy: MemoryAccessPolicy;
  readonly #members: Record<string, readonly string[]>;
  readonly #views = new Map<string, SharedMemoryView>();

  constructor(options: SharedMemoryOptions) {
    if (!options?.memory) throw new UserError("SharedMemory needs { memory, accessControl }: the memory the team shares.");
    checkAccessPolicy(options.accessControl);
    this.memory = options.memory;
    this.name = options.name ?? "team_memory";
    this.#policy = options.accessControl;
    this.#members = options.members ?? {};
  }

  /** The view of agent `agent` (the same object on every call). */
  as(agent: string): SharedMemoryView {
    let view = this.#views.get(agent);
    if (!view) {
      const roles = this.#members[agent] ?? [];
      if (roles.length === 0 && !(agent in this.#policy))
        throw new UserError(
          `"${agent}" is not a member of ${this.name}: add it to members (with its roles) or name it in accessControl.`,
        );
      view = new SharedMemoryView(this.memory, { policy: this.#policy, principal: { name: agent, roles }, name: this.name });
      this.#views.set(agent, view);
    }
    return view;
  }

  /** Every item with its author, in the order written (needs a memory with `list`). */
  async history(options?: MemoryListOptions): Promise<Array<MemoryContent & Partial<MemoryAttribution>>> {
    if (typeof this.memory.list !== "function") throw new UserError(`${this.name}.history() needs a memory with list().`);
    const items = await this.memory.list(options);
    return items.map((item) => ({
      ...item,
      ...(typeof item.metadata?.author === "string" ? { author: item.metadata.author } : {}),
      ...(typeof item.metadata?.writtenAt === "string" ? { writtenAt: item.metadata.writtenAt } : {}),
    }));
  }

  /** Close the shared memory (the views stop working with it). */
  async close(): Promise<void> {
    await this.memory.close();
  }
}
