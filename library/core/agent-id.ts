import { UserError } from "../errors.ts";

const AGENT_TYPE_PATTERN = /^[\w\-.]+$/;

/** Throws a UserError unless `type` can name an agent type (letters, digits, `_`, `-`, `.`). */
export function validateAgentType(type: string): void {
  if (typeof type !== "string" || !AGENT_TYPE_PATTERN.test(type))
    throw new UserError(
      `Agent type ${JSON.stringify(type)} is not valid: use letters, digits, "_", "-" or "." (no spaces or slashes).`,
    );
}

/**
 * Names one agent instance in a runtime: its registered `type` and a `key` that tells
 * instances of that type apart (one instance is created lazily per key).
 */
export class AgentId {
  /** The type the agent's factory was registered under. */
  readonly type: string;
  /** Which instance of the type; "default" when there is only one. */
  readonly key: string;

  constructor(type: string, key = "default") {
    validateAgentType(type);
    if (typeof key !== "string" || key.length === 0)
      throw new UserError(`Agent key ${JSON.stringify(key)} is not valid: use a non-empty string.`);
    this.type = type;
    this.key = key;
  }

  /** An AgentId from a plain `{ type, key }` object or a "type/key" string. */
  static from(value: { type: string; key: string } | string): AgentId {
    if (typeof value !== "string") return value instanceof AgentId ? value : new AgentId(value.type, value.key);
    const slash = value.indexOf("/");
    if (slash < 0) throw new UserError(`Agent id ${JSON.stringify(value)} is not valid: write it as "type/key".`);
    return new AgentId(value.slice(0, slash), value.slice(slash + 1));
  }

  /** True when both name the same instance. */
  equals(other: { type: string; key: string } | undefined): boolean {
    return other !== undefined && other.type === this.type && other.key === this.key;
  }

  /** "type/key". */
  toString(): string {
    return `${this.type}/${this.key}`;
  }

  toJSON(): { type: string; key: string } {
    return { type: this.type, key: this.key };
  }
}
