import type { CancellationToken } from "../core/cancellation-token.ts";
import type { ToolSchema } from "../models/types.ts";

/** What a tool's function receives besides its arguments. */
export interface ToolContext {
  cancellationToken: CancellationToken;
  /** Id of the model's tool call, when the tool runs for one. */
  callId?: string;
}

/**
 * A tool an agent can call. `runJson` validates raw arguments (as the model produced them)
 * and runs the tool; validation failures throw ToolArgumentsError so the agent can hand
 * the message back to the model.
 */
export interface Tool {
  readonly name: string;
  readonly description: string;
  /** How the tool is described to the model. */
  readonly schema: ToolSchema;
  /** Validate `args` and run. */
  runJson(args: unknown, context: ToolContext): Promise<unknown>;
  /** The result as the text the model reads. */
  returnValueAsString(value: unknown): string;
}
