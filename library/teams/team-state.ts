import type { AgentMessage, ChatMessage } from "../messages/types.ts";
import type { AgentState } from "../agents/base-chat-agent.ts";

/** What a group chat manager remembers between turns and runs. */
export interface GroupChatManagerState {
  type: string;
  version: string;
  /** Every message and event of the conversation so far. */
  messageThread: AgentMessage[];
  /** Turns taken since the last stop (for `maxTurns`). */
  currentTurn: number;
  /** Participants asked to speak whose answer had not arrived (a cancelled run); they are asked again on the next run. */
  activeSpeakers: string[];
  /** Subclasses add their own fields (round robin: `nextSpeakerIndex`). */
  [key: string]: unknown;
}

/** What one participant's container remembers: the agent's own state and the messages it has not seen yet. */
export type ChatAgentContainerState = {
  type: "ChatAgentContainerState";
  version: string;
  agentState: AgentState;
  /** Messages of the others since this participant last spoke. */
  messageBuffer: ChatMessage[];
};

/** `team.saveState()`: plain JSON, safe to `JSON.stringify` and load into a newly built team. */
export interface TeamState {
  type: "TeamState";
  version: string;
  /** The team class that saved it, for example "RoundRobinGroupChat". */
  team: string;
  manager: GroupChatManagerState;
  /** Each participant's container state, by participant name. */
  agents: Record<string, ChatAgentContainerState>;
}
