import type { TaskRunner } from "../messages/types.ts";
import type { TeamState } from "./team-state.ts";

/**
 * What every team offers besides running: forgetting, pausing and saving its conversation.
 * Code that takes "any team" (a SocietyOfMindAgent's inner team, for example) takes this.
 */
export interface Team extends TaskRunner {
  /** Forget the conversation and reset every participant. */
  reset(): Promise<void>;
  /** Hold the run in progress after its current turn. */
  pause(): Promise<void>;
  /** Go on after `pause()`. */
  resume(): Promise<void>;
  /** The conversation as plain JSON. */
  saveState(): Promise<TeamState>;
  /** Restore what `saveState` returned. */
  loadState(state: TeamState): Promise<void>;
}
