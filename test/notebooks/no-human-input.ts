// Preloaded (`node --import`) into an exported notebook script so that `input()` behaves as it
// does under `agentbook run`: there is no one to answer, and asking fails at once with a clear
// error. The terminal fallback cannot stand in for that here: on a stdin that is not a terminal
// it waits forever at end of input.
import { setInputHandler, UserError } from "agentbook";

setInputHandler(async () => {
  throw new UserError("input() has no one to answer it in this test run; give the value in code instead.");
});
