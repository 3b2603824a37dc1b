import { UserError } from "../errors.ts";
import { currentHandlerAgentId } from "./handler-context.ts";

const TOPIC_TYPE_PATTERN = /^[\w\-.:=]+$/;

/**
 * Where a published message goes. `type` says what kind of topic it is (subscriptions match on
 * it); `source` says which conversation or instance it belongs to (subscriptions usually turn it
 * into the recipient's agent key).
 */
export class TopicId {
  /** The kind of topic; subscriptions match on it. */
  readonly type: string;
  /** The conversation or instance this topic belongs to. */
  readonly source: string;

  constructor(type: string, source = "default") {
    if (typeof type !== "string" || !TOPIC_TYPE_PATTERN.test(type))
      throw new UserError(
        `Topic type ${JSON.stringify(type)} is not valid: use letters, digits, "_", "-", ".", ":" or "=".`,
      );
    if (typeof source !== "string" || source.length === 0)
      throw new UserError(`Topic source ${JSON.stringify(source)} is not valid: use a non-empty string.`);
    this.type = type;
    this.source = source;
  }

  /** True when both name the same topic. */
  equals(other: { type: string; source: string } | undefined): boolean {
    return other !== undefined && other.type === this.type && other.source === this.source;
  }

  /** "type/source". */
  toString(): string {
    return `${this.type}/${this.source}`;
  }

  toJSON(): { type: string; source: string } {
    return { type: this.type, source: this.source };
  }
}

/**
 * The topic most applications need: type "default", and as source the key of the agent that is
 * publishing (inside a message handler) or "default" (outside one). Agents that share a key
 * therefore share a conversation without naming it.
 */
export class DefaultTopicId extends TopicId {
  constructor(type = "default", source?: string) {
    super(type, source ?? currentHandlerAgentId()?.key ?? "default");
  }
}
