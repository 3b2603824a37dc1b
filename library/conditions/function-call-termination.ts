import { UserError } from "../errors.ts";
import type { AgentMessage, StopMessage } from "../messages/types.ts";
import { stopMessage, TerminationCondition } from "./termination-condition.ts";

/** Stops once a tool named `functionName` has been executed (a ToolCallExecutionEvent carries its result). */
export class FunctionCallTermination extends TerminationCondition {
  /** The tool whose execution ends the run. */
  readonly functionName: string;
  #terminated = false;

  constructor(functionName: string) {
    super();
    if (typeof functionName !== "string" || functionName.length === 0)
      throw new UserError('FunctionCallTermination needs a tool name, for example new FunctionCallTermination("approve").');
    this.functionName = functionName;
  }

  get terminated(): boolean {
    return this.#terminated;
  }

  check(messages: readonly AgentMessage[]): StopMessage | null {
    this.assertNotTerminated();
    const executed = messages.some(
      (message) => message.type === "ToolCallExecutionEvent" && message.content.some((result) => result.name === this.functionName),
    );
    if (!executed) return null;
    this.#terminated = true;
    return stopMessage("FunctionCallTermination", `Function '${this.functionName}' was executed.`);
  }

  reset(): void {
    this.#terminated = false;
  }
}
