import type { CancellationToken } from "../core/cancellation-token.ts";
import { BaseChatAgent } from "../agents/base-chat-agent.ts";
import { UserError } from "../errors.ts";
import { createMessage } from "../messages/create.ts";
import type { ChatMessage, ChatMessageType, Response } from "../messages/types.ts";
import { formatSources } from "./retrieval-memory.ts";
import type { RetrievedChunk, Retriever } from "./retriever.ts";
import { chunkCitation } from "./retriever.ts";

/** Options of RetrieveUserProxyAgent. */
export interface RetrieveUserProxyAgentOptions {
  name: string;
  retriever: Retriever;
  /** Chunks per question (default 5). */
  k?: number;
  /** What the writer is told before the context. */
  instructions?: string;
  description?: string;
}

const DEFAULT_INSTRUCTIONS =
  "Answer the question using only the context below. Cite each fact with its source number in square brackets, like [1]. " +
  "If the context does not contain the answer, say so.";

/**
 * The retriever half of a retriever + writer pair: given a question, it retrieves and passes
 * the writer a message with the numbered context and the question. Put it before the writer
 * in a team:
 *
 * ```ts
 * const retriever = new RetrieveUserProxyAgent({ name: "Retriever", retriever: new VectorRetriever({ memory }) });
 * const writer = new AssistantAgent({ name: "Writer", modelClient, systemMessage: "Synthesize retrieved information" });
 * await new RoundRobinGroupChat([retriever, writer], { maxTurns: 2 }).run({ task: "Explain quantum computing basics" });
 * ```
 */
export class RetrieveUserProxyAgent extends BaseChatAgent {
  readonly retriever: Retriever;
  readonly #k: number;
  readonly #instructions: string;

  constructor(options: RetrieveUserProxyAgentOptions) {
    super(options.name, options.description ?? "Retrieves context from indexed documents for the question.");
    if (!options.retriever) throw new UserError("RetrieveUserProxyAgent needs { retriever }.");
    this.retriever = options.retriever;
    this.#k = options.k ?? 5;
    this.#instructions = options.instructions ?? DEFAULT_INSTRUCTIONS;
  }

  get producedMessageTypes(): ChatMessageType[] {
    return ["TextMessage"];
  }

  async onMessages(messages: ChatMessage[], cancellationToken: CancellationToken): Promise<Response> {
    const question = [...messages].reverse().find((message) => message.type === "TextMessage");
    if (!question || question.type !== "TextMessage")
      throw new UserError(`${this.name} needs a text question to retrieve for; it received ${messages.map((m) => m.type).join(", ") || "nothing"}.`);
    const chunks: RetrievedChunk[] = await this.retriever.retrieve(question.content, { k: this.#k, cancellationToken });
    const context = chunks.length > 0 ? formatSources(chunks) : "(nothing relevant was found)";
    const memoryEvent = createMessage("MemoryQueryEvent", {
      source: this.name,
      content: chunks.map((chunk) => ({ content: chunk.text, mimeType: "text/plain", metadata: { ...chunk.metadata, score: chunk.score } })),
    });
    const chatMessage = createMessage("TextMessage", {
      source: this.name,
      content: `${this.#instructions}\n\nContext:\n${context}\n\nQuestion: ${question.content}`,
      metadata: { sources: JSON.stringify(chunks.map(chunkCitation)) },
    });
    return { chatMessage, innerMessages: [memoryEvent] };
  }

  async onReset(): Promise<void> {}
}
