import { UserError } from "../errors.ts";
import { FunctionTool } from "../tools/function-tool.ts";

/** How an agent may hand the conversation to another agent (or a human). */
export interface HandoffOptions {
  /** Name of the agent that takes over. */
  target: string;
  /** What the model reads about this handoff (default "Handoff to <target>."). */
  description?: string;
  /** Tool name the model calls (default "transfer_to_<target>", lowercased). */
  name?: string;
  /** What the HandoffMessage says (default "Transferred to <target>, adopting the role of <target> immediately."). */
  message?: string;
}

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** A handoff with its defaults filled in; it reaches the model as a tool without parameters. */
export class Handoff {
  /** Name of the agent that takes over. */
  readonly target: string;
  /** What the model reads about this handoff. */
  readonly description: string;
  /** Tool name the model calls. */
  readonly name: string;
  /** What the HandoffMessage says. */
  readonly message: string;

  constructor(spec: string | HandoffOptions) {
    const options = typeof spec === "string" ? { target: spec } : spec;
    if (!options || typeof options.target !== "string" || options.target === "")
      throw new UserError(`A handoff needs a target agent name: "planner" or { target: "planner" }; got ${JSON.stringify(spec)}.`);
    this.target = options.target;
    this.description = options.description ?? `Handoff to ${this.target}.`;
    this.name = options.name ?? `transfer_to_${this.target}`.toLowerCase();
    this.message = options.message ?? `Transferred to ${this.target}, adopting the role of ${this.target} immediately.`;
    if (!TOOL_NAME.test(this.name))
      throw new UserError(
        `Handoff tool name ${JSON.stringify(this.name)} is not valid: use 1-64 letters, digits, "_" or "-" (set the handoff's name option).`,
      );
  }

  /** The tool the model calls to hand off; it answers with `message`. */
  get tool(): FunctionTool {
    return new FunctionTool(() => this.message, { name: this.name, description: this.description });
  }
}
