import { AgentbookError } from "../errors.ts";

/** A team's run failed: a participant threw, or the manager could not pick a speaker. */
export class TeamRunError extends AgentbookError {
  /** The participant that failed, when one did. */
  readonly agentName?: string;

  constructor(message: string, options: { cause?: unknown; agentName?: string } = {}) {
    super(message, { cause: options.cause });
    this.agentName = options.agentName;
  }
}
