import type { CancellationToken } from "../core/cancellation-token.ts";
import { AgentbookError, UserError } from "../errors.ts";
import { messageToModelMessage } from "../messages/convert.ts";
import { createMessage, isChatMessage } from "../messages/create.ts";
import type { AgentMessage, ChatMessage, ChatMessageType, Response } from "../messages/types.ts";
import type { ChatCompletionContext, ChatCompletionContextState } from "../model-context/chat-completion-context.ts";
import { UnboundedChatCompletionContext } from "../model-context/unbounded-chat-completion-context.ts";
import type { ChatCompletionClient, LLMMessage } from "../models/types.ts";
import { tracedCreate } from "../telemetry/model-call-span.ts";
import type { Team } from "../teams/team.ts";
import type { TeamState } from "../teams/team-state.ts";
import type { AgentState } from "./base-chat-agent.ts";
import { BaseChatAgent } from "./base-chat-agent.ts";

/** What the summary model reads before the inner team's transcript. */
export const DEFAULT_SOCIETY_OF_MIND_INSTRUCTION =
  "Earlier you were asked to fulfill a request. You and your team worked diligently to address that request. Here is a transcript of that conversation:";

/** What the summary model reads after the transcript. */
export const DEFAULT_SOCIETY_OF_MIND_RESPONSE_PROMPT =
  "Output a standalone response to the original request, without mentioning any of the intermediate discussion.";

/** The description a SocietyOfMindAgent has unless told otherwise. */
export const DEFAULT_SOCIETY_OF_MIND_DESCRIPTION = "An agent that uses an inner team of agents to generate responses.";

/** Options of SocietyOfMindAgent. */
export interface SocietyOfMindAgentOptions {
  /** Unique name; other agents see it as the message source. */
  name: string;
  /** The inner team that does the work. */
  team: Team;
  /** The model that writes the answer from the inner team's transcript. */
  modelClient: ChatCompletionClient;
  /** System text before the transcript (AutoGen's by default). */
  instruction?: string;
  /** System text after the transcript, asking for the answer (AutoGen's by default). */
  responsePrompt?: string;
  /** What the agent does, for selectors and humans. */
  description?: string;
  /** Where the outer conversation is kept between turns (default: unbounded). */
  modelContext?: ChatCompletionContext;
}

/** Saved state of a SocietyOfMindAgent: the inner team's state and the outer conversation it was given. */
export interface SocietyOfMindAgentState extends AgentState {
  type: "SocietyOfMindAgentState";
  version: "1.0.0";
  /** What the inner team's `saveState()` returned. */
  innerTeamState: TeamState;
  /** The outer conversation so far. */
  llmContext: ChatCompletionContextState;
}

/** A stored context message as a chat message the inner team can take as its task (tool traffic is left out). */
function contextToChatMessage(message: LLMMessage): ChatMessage | undefined {
  if (message.type === "UserMessage")
    return typeof message.content === "string"
      ? createMessage("TextMessage", { source: message.source, content: message.content })
      : createMessage("MultiModalMessage", { source: message.source, content: message.content });
  if (message.type === "AssistantMessage" && typeof message.content === "string")
    return createMessage("TextMessage", { source: message.source, content: message.content });
  return undefined;
}

/**
 * An agent whose thinking is a whole team: on each turn it runs its inner team on the
 * conversation so far (what it was told before, its own earlier answers, and the new messages),
 * then asks its model to turn the inner team's transcript into one standalone answer. The inner
 * team's messages stream out as the agent's inner messages, so an outer team or a notebook shows
 * them live; note that the outer team's termination conditions see them too. This is how a
 * team becomes a participant of another team:
 *
 * ```ts
 * const inner = new RoundRobinGroupChat({ participants: [writer, editor], terminationCondition: new TextMentionTermination("APPROVE") });
 * const society = new SocietyOfMindAgent({ name: "society", team: inner, modelClient });
 * const outer = new RoundRobinGroupChat({ participants: [society, translator], maxTurns: 2 });
 * ```
 *
 * The inner team is reset at the start of each turn (it gets the whole conversation as its task),
 * so a turn that was cancelled is simply done again. `reset()` resets the inner team and forgets
 * the conversation; `saveState()` nests the inner team's state.
 */
export class SocietyOfMindAgent extends BaseChatAgent {
  /** The inner team. */
  readonly team: Team;
  /** The model that writes the answer. */
  readonly modelClient: ChatCompletionClient;
  /** System text before the transcript. */
  readonly instruction: string;
  /** System text after the transcript. */
  readonly responsePrompt: string;
  /** The outer conversation so far. */
  readonly modelContext: ChatCompletionContext;

  constructor(options: SocietyOfMindAgentOptions) {
    super(options?.name, options?.description ?? DEFAULT_SOCIETY_OF_MIND_DESCRIPTION);
    const { team, modelClient } = options;
    if (!team || typeof team.runStream !== "function" || typeof team.reset !== "function")
      throw new UserError(`SocietyOfMindAgent "${this.name}" needs a team (a RoundRobinGroupChat, SelectorGroupChat, Swarm or GraphFlow).`);
    if (!modelClient || typeof modelClient.create !== "function")
      throw new UserError(`SocietyOfMindAgent "${this.name}" needs a modelClient to write its answers from the team's transcript.`);
    this.team = team;
    this.modelClient = modelClient;
    this.instruction = options.instruction ?? DEFAULT_SOCIETY_OF_MIND_INSTRUCTION;
    this.responsePrompt = options.responsePrompt ?? DEFAULT_SOCIETY_OF_MIND_RESPONSE_PROMPT;
    this.modelContext = options.modelContext ?? new UnboundedChatCompletionContext();
  }

  get producedMessageTypes(): ChatMessageType[] {
    return ["TextMessage"];
  }

  async onMessages(messages: ChatMessage[], cancellationToken: CancellationToken): Promise<Response> {
    for await (const item of this.onMessagesStream(messages, cancellationToken)) if ("chatMessage" in item) return item;
    throw new AgentbookError(`SocietyOfMindAgent "${this.name}" ended its turn without a response.`);
  }

  async *onMessagesStream(
    messages: ChatMessage[],
    cancellationToken: CancellationToken,
  ): AsyncGenerator<AgentMessage | Response, void, undefined> {
    // The new messages are kept first, so that a turn asked again after a cancel has them.
    for (const message of messages) {
      if (message.type === "HandoffMessage") for (const llmMessage of message.context) await this.modelContext.addMessage(llmMessage);
      await this.modelContext.addMessage(messageToModelMessage(message));
    }
    const task = (await this.modelContext.getMessages()).map(contextToChatMessage).filter((message): message is ChatMessage => message !== undefined);

    await this.team.reset();
    const inner: AgentMessage[] = [];
    const run = this.team.runStream({ ...(task.length > 0 ? { task } : {}), cancellationToken, outputTaskMessages: false });
    for await (const item of run) {
      if (item.type === "TaskResult") continue;
      yield item;
      if (item.type !== "ModelClientStreamingChunkEvent") inner.push(item);
    }

    const transcript = inner.filter(isChatMessage).map(messageToModelMessage);
    if (transcript.length === 0) {
      yield { chatMessage: createMessage("TextMessage", { source: this.name, content: "No response." }), innerMessages: inner };
      return;
    }
    const closing: LLMMessage =
      this.modelClient.modelInfo.multipleSystemMessages === false
        ? { type: "UserMessage", content: this.responsePrompt, source: "user" }
        : { type: "SystemMessage", content: this.responsePrompt };
    const result = await cancellationToken.race(
      tracedCreate(this.modelClient, [{ type: "SystemMessage", content: this.instruction }, ...transcript, closing], { cancellationToken }, { agentName: this.name }),
    );
    if (typeof result.content !== "string")
      throw new AgentbookError(`SocietyOfMindAgent "${this.name}": its model answered with tool calls, but it was offered no tools; it must answer with text.`);
    await this.modelContext.addMessage({ type: "AssistantMessage", content: result.content, source: this.name });
    yield {
      chatMessage: createMessage("TextMessage", { source: this.name, content: result.content, modelsUsage: result.usage }),
      innerMessages: inner,
    };
  }

  /** Reset the inner team and forget the conversation. */
  async onReset(_cancellationToken: CancellationToken): Promise<void> {
    await this.team.reset();
    await this.modelContext.clear();
  }

  /** Pausing the agent pauses a run of its inner team in progress. */
  override async onPause(_cancellationToken: CancellationToken): Promise<void> {
    await this.team.pause().catch(() => undefined);
  }

  override async onResume(_cancellationToken: CancellationToken): Promise<void> {
    await this.team.resume().catch(() => undefined);
  }

  override async saveState(): Promise<SocietyOfMindAgentState> {
    return {
      type: "SocietyOfMindAgentState",
      version: "1.0.0",
      innerTeamState: await this.team.saveState(),
      llmContext: await this.modelContext.saveState(),
    };
  }

  override async loadState(state: AgentState): Promise<void> {
    const saved = state as Partial<SocietyOfMindAgentState>;
    if (saved?.type !== "SocietyOfMindAgentState" || !saved.innerTeamState || !saved.llmContext)
      throw new UserError(
        `SocietyOfMindAgent "${this.name}" can only load a SocietyOfMindAgentState (what its saveState() returned); got type ${JSON.stringify(state?.type)}.`,
      );
    await this.team.loadState(saved.innerTeamState);
    await this.modelContext.loadState(saved.llmContext);
  }
}
