import type { CancellationToken } from "../core/cancellation-token.ts";
import type { CodeBlock, CodeResult } from "./code-block.ts";

/**
 * Runs code blocks somewhere (a local process, a Docker container) and reports what they
 * printed. Agents and tools only ever see this interface, so the local executor and the
 * Docker one are interchangeable.
 */
export interface CodeExecutor {
  /** Language tags this executor runs (lower case), for prompts and tool schemas. */
  readonly supportedLanguages?: readonly string[];
  /**
   * Run `blocks` in order and stop at the first that fails. Resolves with the exit code of the
   * last block that ran and the combined output; rejects with CancelledError when the token is
   * cancelled (after the running code was killed).
   */
  executeCodeBlocks(blocks: readonly CodeBlock[], cancellationToken?: CancellationToken): Promise<CodeResult>;
  /** Prepare the executor (create the working directory, start the container). */
  start(): Promise<void>;
  /** Kill running code and release what `start` acquired. */
  stop(): Promise<void>;
  /** Stop, then start again. */
  restart(): Promise<void>;
}
