/**
 * How the CLI fails: bad input (a missing file, not a notebook, an unknown kernel, a bad option)
 * prints one line and exits with code 2; a notebook that fails exits with code 1.
 */
import { UserError } from "../../library/errors.ts";

/** Exit code for bad input. */
export const BAD_INPUT = 2;

/** Run a command action; a UserError becomes `agentbook: <message>` and exit code 2. */
export function action<A extends unknown[]>(run: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await run(...args);
    } catch (error) {
      if (error instanceof UserError) {
        process.stderr.write(`agentbook: ${error.message.split("\n")[0]}\n`);
        process.exit(BAD_INPUT);
      }
      throw error;
    }
  };
}
