import type { BaseChatAgent } from "../agents/base-chat-agent.ts";
import type { CancellationToken } from "../core/cancellation-token.ts";
import { RoutedAgent } from "../core/routed-agent.ts";
import { TopicId } from "../core/topic-id.ts";
import { UserError } from "../errors.ts";
import type { ChatMessage, Response } from "../messages/types.ts";
import { tracedAgentTurn } from "../telemetry/agent-turn-span.ts";
import type {
  GroupChatAgentResponse,
  GroupChatErrorEvent,
  GroupChatMessage,
  GroupChatRequestPublish,
  GroupChatStart,
} from "./group-chat-events.ts";
import type { ChatAgentContainerState } from "./team-state.ts";

/** Topics a container talks on. */
export interface ChatAgentContainerTopics {
  /** Where every participant's answer is published. */
  groupTopicType: string;
  /** Where the manager listens for errors. */
  managerTopicType: string;
  /** Where turn messages go for the run's stream. */
  outputTopicType: string;
}

function isResponse(item: unknown): item is Response {
  return typeof item === "object" && item !== null && "chatMessage" in item;
}

/**
 * Puts one chat agent into a group chat: it collects what the others say, and when the manager
 * asks for its turn it hands those messages to the agent, streams the agent's events to the
 * output topic and publishes the answer to the group.
 */
export class ChatAgentContainer extends RoutedAgent {
  /** The participant this container holds. */
  readonly agent: BaseChatAgent;
  readonly #topics: ChatAgentContainerTopics;
  #buffer: ChatMessage[] = [];

  constructor(agent: BaseChatAgent, topics: ChatAgentContainerTopics) {
    super(agent.description);
    this.agent = agent;
    this.#topics = topics;
    this.handle<GroupChatStart>("GroupChatStart", (message) => {
      if (message.messages) this.#buffer.push(...message.messages);
    });
    this.handle<GroupChatAgentResponse>("GroupChatAgentResponse", (message) => {
      this.#buffer.push(message.response.chatMessage);
    });
    this.handle<GroupChatRequestPublish>("GroupChatRequestPublish", (message, context) =>
      this.#takeTurn(message.turnId, context.cancellationToken),
    );
    this.handle("GroupChatReset", async (_message, context) => {
      this.#buffer = [];
      await this.agent.onReset(context.cancellationToken);
    });
    // Pause and resume must reach the agent while its turn is still running.
    this.handle("GroupChatPause", (_message, context) => this.agent.onPause(context.cancellationToken), { sequential: false });
    this.handle("GroupChatResume", (_message, context) => this.agent.onResume(context.cancellationToken), { sequential: false });
  }

  async #takeTurn(turnId: string, cancellationToken: CancellationToken): Promise<void> {
    // A request left over from a cancelled run: keep the buffer for the turn asked again.
    if (cancellationToken.isCancelled) return;
    const output = new TopicId(this.#topics.outputTopicType, this.id.key);
    // The agent takes the buffered messages into its own context as its turn starts (before its
    // model call), so a turn that is cancelled and asked again must not hand them over twice.
    const messages = this.#buffer;
    this.#buffer = [];
    try {
      let response: Response | undefined;
      for await (const item of tracedAgentTurn(this.agent, messages, cancellationToken)) {
        if (isResponse(item)) {
          response = item;
          await this.publishMessage({ type: "GroupChatMessage", message: item.chatMessage, turnId } satisfies GroupChatMessage, output);
        } else {
          await this.publishMessage({ type: "GroupChatMessage", message: item, turnId } satisfies GroupChatMessage, output);
        }
      }
      if (!response)
        throw new UserError(`${this.agent.constructor.name}.onMessagesStream ended without yielding a Response; its last item must be { chatMessage }.`);
      await this.publishMessage(
        { type: "GroupChatAgentResponse", name: this.agent.name, response, turnId } satisfies GroupChatAgentResponse,
        new TopicId(this.#topics.groupTopicType, this.id.key),
        { cancellationToken },
      );
    } catch (error) {
      // A cancelled run already told its caller; the turn will be asked for again on resume.
      if (cancellationToken.isCancelled) return;
      await this.publishMessage(
        { type: "GroupChatErrorEvent", name: this.agent.name, error, turnId } satisfies GroupChatErrorEvent,
        new TopicId(this.#topics.managerTopicType, this.id.key),
        { cancellationToken },
      );
    }
  }

  override async saveState(): Promise<ChatAgentContainerState> {
    return {
      type: "ChatAgentContainerState",
      version: "1.0.0",
      agentState: await this.agent.saveState(),
      messageBuffer: structuredClone(this.#buffer),
    };
  }

  override async loadState(state: Record<string, unknown>): Promise<void> {
    const container = state as unknown as ChatAgentContainerState;
    if (container?.type !== "ChatAgentContainerState" || !Array.isArray(container.messageBuffer))
      throw new UserError(`The state of participant "${this.agent.name}" is not a ChatAgentContainerState; pass the object team.saveState() returned.`);
    this.#buffer = structuredClone(container.messageBuffer);
    await this.agent.loadState(container.agentState);
  }
}
