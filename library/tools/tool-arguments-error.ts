import { ModelBehaviorError } from "../errors.ts";

/** One problem with a tool call's arguments. */
export interface ToolArgumentIssue {
  /** Where the problem is: a field path such as `city` or `stops[1].name`, or `(arguments)` for the whole object. */
  path: string;
  /** What was expected there, phrased for the model. */
  message: string;
}

/**
 * The model called a tool with arguments that do not fit its parameters. The message names
 * every bad field and what was expected, so an agent can hand it back to the model to retry.
 */
export class ToolArgumentsError extends ModelBehaviorError {
  /** Name of the tool that was called. */
  readonly toolName: string;
  /** Every problem found, in the order the validator reported them. */
  readonly issues: ToolArgumentIssue[];

  constructor(toolName: string, issues: ToolArgumentIssue[], options?: { cause?: unknown }) {
    const lines = issues.map((issue) => `- ${issue.path}: ${issue.message}`);
    super(
      `Invalid arguments for tool "${toolName}":\n${lines.join("\n")}\n` +
        `Call ${toolName} again with arguments that match its parameters.`,
      options,
    );
    this.toolName = toolName;
    this.issues = issues;
  }
}
