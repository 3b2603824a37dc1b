import type { CancellationToken } from "../core/cancellation-token.ts";
import { AssistantAgent } from "../agents/assistant-agent.ts";
import type { AgentState } from "../agents/base-chat-agent.ts";
import { BaseChatAgent } from "../agents/base-chat-agent.ts";
import type { AgentMessage, ChatMessage, ChatMessageType, Response } from "../messages/types.ts";
import type { ChatCompletionClient } from "../models/types.ts";
import type { Tool } from "../tools/tool.ts";
import { findCitations, sourcesFooter } from "./citations.ts";
import { RetrievalMemory } from "./retrieval-memory.ts";
import type { Retriever } from "./retriever.ts";

/** Options of RetrievalAssistantAgent. */
export interface RetrievalAssistantAgentOptions {
  name: string;
  modelClient: ChatCompletionClient;
  /** Where answers come from. */
  retriever: Retriever;
  /** Chunks per answer (default 5). */
  k?: number;
  systemMessage?: string;
  description?: string;
  tools?: Tool[];
  /** Stream the model's text. */
  modelClientStream?: boolean;
}

/**
 * An assistant that answers from documents and cites them: before each answer it retrieves
 * for the question, shows the model numbered sources, and ends the answer with the sources it
 * cited ("Sources:\n[1] guide.md#2"). The citations are also in the message's metadata
 * (`metadata.citations`, JSON text), and the retrieval shows as a MemoryQueryEvent.
 *
 * ```ts
 * const agent = new RetrievalAssistantAgent({ name: "librarian", modelClient, retriever: HybridRetriever.vectorAndKeyword({ memory }) });
 * await agent.run({ task: "How do I install agentbook?" });
 * ```
 */
export class RetrievalAssistantAgent extends BaseChatAgent {
  readonly retrievalMemory: RetrievalMemory;
  readonly #assistant: AssistantAgent;

  constructor(options: RetrievalAssistantAgentOptions) {
    super(options.name, options.description ?? "Answers questions from indexed documents, citing its sources.");
    this.retrievalMemory = new RetrievalMemory({ retriever: options.retriever, k: options.k });
    this.#assistant = new AssistantAgent({
      name: options.name,
      modelClient: options.modelClient,
      systemMessage: options.systemMessage ?? "You answer questions from the sources you are given, and cite them.",
      description: this.description,
      tools: options.tools,
      modelClientStream: options.modelClientStream,
      memory: this.retrievalMemory,
    });
  }

  get producedMessageTypes(): ChatMessageType[] {
    return this.#assistant.producedMessageTypes;
  }

  async onMessages(messages: ChatMessage[], cancellationToken: CancellationToken): Promise<Response> {
    let response: Response | undefined;
    for await (const item of this.onMessagesStream(messages, cancellationToken)) if ("chatMessage" in item) response = item;
    return response!;
  }

  async *onMessagesStream(messages: ChatMessage[], cancellationToken: CancellationToken): AsyncGenerator<AgentMessage | Response, void, undefined> {
    for await (const item of this.#assistant.onMessagesStream(messages, cancellationToken)) {
      if (!("chatMessage" in item) || item.chatMessage.type !== "TextMessage") {
        yield item;
        continue;
      }
      const message = item.chatMessage;
      const citations = findCitations(message.content, this.retrievalMemory.lastSources);
      const footer = sourcesFooter(citations);
      yield {
        ...item,
        chatMessage: {
          ...message,
          content: footer ? `${message.content.trimEnd()}\n\n${footer}` : message.content,
          metadata: { ...message.metadata, citations: JSON.stringify(citations.map(({ number, citation }) => ({ number, citation }))) },
        },
      };
    }
  }

  async onReset(cancellationToken: CancellationToken): Promise<void> {
    await this.#assistant.onReset(cancellationToken);
    await this.retrievalMemory.clear();
  }

  async saveState(): Promise<AgentState> {
    return this.#assistant.saveState();
  }

  async loadState(state: AgentState): Promise<void> {
    await this.#assistant.loadState(state);
  }
}
