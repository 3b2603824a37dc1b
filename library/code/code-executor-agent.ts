import { z } from "zod";
import { BaseChatAgent, type AgentState } from "../agents/base-chat-agent.ts";
import type { CancellationToken } from "../core/cancellation-token.ts";
import { ModelBehaviorError, UserError } from "../errors.ts";
import { messageToModelMessage, messageToText } from "../messages/convert.ts";
import { createMessage } from "../messages/create.ts";
import type { AgentMessage, ChatMessage, ChatMessageType, Response } from "../messages/types.ts";
import type { ChatCompletionContext, ChatCompletionContextState } from "../model-context/chat-completion-context.ts";
import { UnboundedChatCompletionContext } from "../model-context/unbounded-chat-completion-context.ts";
import type { ChatCompletionClient, CreateResult, LLMMessage, SystemMessage } from "../models/types.ts";
import { tracedCodeExecution } from "../telemetry/code-execution-span.ts";
import { tracedCreate, tracedCreateStream } from "../telemetry/model-call-span.ts";
import type { CodeBlock, CodeResult } from "./code-block.ts";
import type { CodeExecutor } from "./code-executor.ts";
import { extractMarkdownCodeBlocks } from "./markdown-code-blocks.ts";

/** What an approval function is asked: the code about to run and the conversation that led to it. */
export interface ApprovalRequest {
  /** Every block about to run, as fenced markdown. */
  code: string;
  /** The agent's model context (with a model client), or the messages that carried the code. */
  context: LLMMessage[];
}

/** The answer of an approval function. */
export interface ApprovalResponse {
  approved: boolean;
  /** Why; a denial's reason is shown to the other agents (and the model). */
  reason: string;
}

/** Decides whether code may run (ask a human with `input()`, check a policy, ask a model...). */
export type ApprovalFunc = (request: ApprovalRequest) => ApprovalResponse | Promise<ApprovalResponse>;

/** Options of CodeExecutorAgent. */
export interface CodeExecutorAgentOptions {
  /** Unique name within a team. */
  name: string;
  /** Where the code runs. */
  codeExecutor: CodeExecutor;
  /** With a model, the agent writes code itself, runs it, and answers with the model's reflection on the result. */
  modelClient?: ChatCompletionClient;
  /** What the agent keeps of the conversation for the model (default: everything). */
  modelContext?: ChatCompletionContext;
  /** Stream the model's text as ModelClientStreamingChunkEvents. */
  modelClientStream?: boolean;
  /** With a model: how many times to let the model fix code that failed (default 0). Needs a model with structured output. */
  maxRetriesOnError?: number;
  /** What the agent does, for selectors and humans. */
  description?: string;
  /** Instructions for the model; null for none. */
  systemMessage?: string | null;
  /** Without a model: only run code from messages of these agents. */
  sources?: readonly string[];
  /** Fence languages to run; blocks in other languages are ignored (default: the executor's languages, else python and sh). */
  supportedLanguages?: readonly string[];
  /** Asked before any code runs; a denial runs nothing and answers with the reason. */
  approvalFunc?: ApprovalFunc;
}

/** The model's decision whether to retry failed code (structured output). */
const RetryDecisionSchema = z.object({
  reason: z.string(),
  retry: z.boolean(),
});

/** Agent state: the model context. */
export interface CodeExecutorAgentState extends AgentState {
  type: "CodeExecutorAgentState";
  modelContext: ChatCompletionContextState;
}

/**
 * Runs the code blocks it receives, or, with a model client, writes code for the task, runs
 * it, retries on errors (up to `maxRetriesOnError`) and answers with the model's reflection on
 * the result. Emits a CodeGenerationEvent for each piece of code and a CodeExecutionEvent for
 * each run.
 *
 * ```ts
 * const executor = new LocalCommandLineCodeExecutor({ workDir: "coding" });
 * const coder = new AssistantAgent({ name: "coder", modelClient });
 * const runner = new CodeExecutorAgent({ name: "runner", codeExecutor: executor, approvalFunc: askHuman });
 * const team = new RoundRobinGroupChat({ participants: [coder, runner], maxTurns: 4 });
 * ```
 */
export class CodeExecutorAgent extends BaseChatAgent {
  static readonly DEFAULT_TERMINAL_DESCRIPTION =
    "A computer terminal that performs no other action than running Python scripts (provided to it quoted in ```python code blocks), or sh shell scripts (provided to it quoted in ```sh code blocks).";
  static readonly DEFAULT_AGENT_DESCRIPTION =
    "A Code Execution Agent that generates and executes Python and shell scripts based on user instructions. It ensures correctness, efficiency, and minimal errors while gracefully handling edge cases.";
  static readonly DEFAULT_SYSTEM_MESSAGE =
    "You are a Code Execution Agent. Your role is to generate and execute Python code and shell scripts based on user instructions, ensuring correctness, efficiency, and minimal errors. Handle edge cases gracefully. Python code should be provided in ```python code blocks, and sh shell scripts should be provided in ```sh code blocks for execution.";
  static readonly NO_CODE_BLOCKS_FOUND_MESSAGE =
    "No code blocks found in the thread. Please provide at least one markdown-encoded code block to execute (i.e., quoting code in ```python or ```sh code blocks).";
  static readonly DEFAULT_SUPPORTED_LANGUAGES: readonly string[] = ["python", "sh"];

  /** Where the code runs. */
  readonly codeExecutor: CodeExecutor;
  /** What the agent keeps of the conversation for the model. */
  readonly modelContext: ChatCompletionContext;
  /** Fence languages this agent runs (lower case). */
  readonly supportedLanguages: readonly string[];
  readonly #modelClient: ChatCompletionClient | undefined;
  readonly #modelClientStream: boolean;
  readonly #maxRetriesOnError: number;
  readonly #systemMessages: SystemMessage[];
  readonly #sources: readonly string[] | undefined;
  readonly #approvalFunc: ApprovalFunc | undefined;
  readonly #options: Readonly<CodeExecutorAgentOptions>;

  constructor(options: CodeExecutorAgentOptions) {
    if (!options || typeof options !== "object")
      throw new UserError("CodeExecutorAgent needs options: new CodeExecutorAgent({ name, codeExecutor }).");
    super(
      options.name,
      options.description ??
        (options.modelClient ? CodeExecutorAgent.DEFAULT_AGENT_DESCRIPTION : CodeExecutorAgent.DEFAULT_TERMINAL_DESCRIPTION),
    );
    if (!options.codeExecutor || typeof options.codeExecutor.executeCodeBlocks !== "function")
      throw new UserError(
        `CodeExecutorAgent "${options.name}" needs a codeExecutor, for example new LocalCommandLineCodeExecutor({ workDir: "coding" }).`,
      );
    const retries = options.maxRetriesOnError ?? 0;
    if (!Number.isInteger(retries) || retries < 0)
      throw new UserError(`CodeExecutorAgent option maxRetriesOnError must be a whole number >= 0; got ${JSON.stringify(retries)}.`);
    if (retries > 0 && !options.modelClient)
      throw new UserError(`CodeExecutorAgent "${options.name}" has maxRetriesOnError ${retries} but no modelClient: retries need a model to fix the code.`);
    if (retries > 0 && !options.modelClient!.modelInfo.structuredOutput)
      throw new UserError(
        `CodeExecutorAgent "${options.name}" has maxRetriesOnError ${retries}, but its model does not support structured output ` +
          "(modelInfo.structuredOutput is false), which the retry decision needs. Use such a model, or set maxRetriesOnError to 0.",
      );
    this.codeExecutor = options.codeExecutor;
    this.modelContext = options.modelContext ?? new UnboundedChatCompletionContext();
    this.supportedLanguages = (
      options.supportedLanguages ??
      options.codeExecutor.supportedLanguages ??
      CodeExecutorAgent.DEFAULT_SUPPORTED_LANGUAGES
    ).map((language) => language.toLowerCase());
    this.#modelClient = options.modelClient;
    this.#modelClientStream = options.modelClientStream ?? false;
    this.#maxRetriesOnError = retries;
    const systemMessage = options.systemMessage === undefined ? CodeExecutorAgent.DEFAULT_SYSTEM_MESSAGE : options.systemMessage;
    this.#systemMessages = systemMessage === null ? [] : [{ type: "SystemMessage", content: systemMessage }];
    this.#sources = options.sources;
    this.#approvalFunc = options.approvalFunc;
    this.#options = Object.freeze({ ...options });
  }

  /** The options the agent was built with, as given (what `dumpComponent` records). */
  get options(): Readonly<CodeExecutorAgentOptions> {
    return this.#options;
  }

  get producedMessageTypes(): ChatMessageType[] {
    return ["TextMessage"];
  }

  /** The code blocks of `text` in a language this agent runs. */
  extractCodeBlocks(text: string): CodeBlock[] {
    return extractMarkdownCodeBlocks(text).filter((block) => this.supportedLanguages.includes(block.language));
  }

  async onMessages(messages: ChatMessage[], cancellationToken: CancellationToken): Promise<Response> {
    for await (const item of this.onMessagesStream(messages, cancellationToken)) if ("chatMessage" in item) return item;
    throw new Error("CodeExecutorAgent ended its turn without a response.");
  }

  async *onMessagesStream(
    messages: ChatMessage[],
    cancellationToken: CancellationToken,
  ): AsyncGenerator<AgentMessage | Response, void, undefined> {
    if (!this.#modelClient) {
      yield* this.#runReceivedCode(messages, cancellationToken);
      return;
    }
    yield* this.#writeAndRunCode(this.#modelClient, messages, cancellationToken);
  }

  /** Without a model: run the code other agents (or the user) wrote. */
  async *#runReceivedCode(messages: ChatMessage[], cancellationToken: CancellationToken): AsyncGenerator<AgentMessage | Response> {
    const carriers = messages.filter((message) => !this.#sources || this.#sources.includes(message.source));
    const blocks = carriers
      .filter((message) => message.type === "TextMessage" || message.type === "MultiModalMessage")
      .flatMap((message) => this.extractCodeBlocks(messageToText(message)));
    if (blocks.length === 0) {
      yield { chatMessage: createMessage("TextMessage", { source: this.name, content: CodeExecutorAgent.NO_CODE_BLOCKS_FOUND_MESSAGE }) };
      return;
    }
    const context = carriers.map(messageToModelMessage);
    const result = await this.#execute(blocks, context, cancellationToken);
    const event = createMessage("CodeExecutionEvent", { source: this.name, retryAttempt: 0, result, content: result.output });
    yield event;
    yield {
      chatMessage: createMessage("TextMessage", { source: this.name, content: result.output }),
      innerMessages: [event],
    };
  }

  /** With a model: write code, run it, retry on errors, and reflect on the result. */
  async *#writeAndRunCode(
    modelClient: ChatCompletionClient,
    messages: ChatMessage[],
    cancellationToken: CancellationToken,
  ): AsyncGenerator<AgentMessage | Response> {
    const inner: AgentMessage[] = [];
    for (const message of messages) await this.#addToContext(message);

    for (let attempt = 0; attempt <= this.#maxRetriesOnError; attempt++) {
      let generated: CreateResult | undefined;
      for await (const item of this.#callModel(modelClient, cancellationToken)) {
        if ("finishReason" in item) generated = item;
        else yield item;
      }
      const result = generated!;
      if (result.thought) {
        const thought = createMessage("ThoughtEvent", { source: this.name, content: result.thought });
        inner.push(thought);
        yield thought;
      }
      if (typeof result.content !== "string")
        throw new ModelBehaviorError(
          `CodeExecutorAgent "${this.name}" asked its model for code but got tool calls (${result.content.map((call) => call.name).join(", ")}); it offers no tools.`,
        );
      await this.modelContext.addMessage({ type: "AssistantMessage", content: result.content, source: this.name, thought: result.thought });
      const blocks = this.extractCodeBlocks(result.content);
      if (blocks.length === 0) {
        yield {
          chatMessage: createMessage("TextMessage", { source: this.name, content: result.content, modelsUsage: result.usage }),
          innerMessages: inner,
        };
        return;
      }
      const generation = createMessage("CodeGenerationEvent", {
        source: this.name,
        retryAttempt: attempt,
        content: result.content,
        codeBlocks: blocks,
        modelsUsage: result.usage,
      });
      inner.push(generation);
      yield generation;

      const execution = await this.#execute(blocks, await this.modelContext.getMessages(), cancellationToken);
      await this.modelContext.addMessage({ type: "UserMessage", content: execution.output, source: this.name });
      const executed = createMessage("CodeExecutionEvent", { source: this.name, retryAttempt: attempt, result: execution, content: execution.output });
      inner.push(executed);
      yield executed;

      if (execution.exitCode === 0 || attempt === this.#maxRetriesOnError) break;

      const decision = await this.#decideRetry(modelClient, execution, cancellationToken);
      if (!decision.retry) break;
      const correction = createMessage("CodeGenerationEvent", {
        source: this.name,
        retryAttempt: attempt,
        content: `Attempt number: ${attempt + 1}\nProposed correction: ${decision.reason}`,
        codeBlocks: [],
      });
      inner.push(correction);
      yield correction;
    }

    // Reflect on the result, so the answer says what the code found rather than raw output.
    let reflection: CreateResult | undefined;
    for await (const item of this.#callModel(modelClient, cancellationToken)) {
      if ("finishReason" in item) reflection = item;
      else yield item;
    }
    if (typeof reflection!.content !== "string")
      throw new ModelBehaviorError(`CodeExecutorAgent "${this.name}" asked its model to reflect on the code's result but got tool calls instead of text.`);
    if (reflection!.thought) {
      const thought = createMessage("ThoughtEvent", { source: this.name, content: reflection!.thought });
      inner.push(thought);
      yield thought;
    }
    await this.modelContext.addMessage({ type: "AssistantMessage", content: reflection!.content, source: this.name, thought: reflection!.thought });
    yield {
      chatMessage: createMessage("TextMessage", { source: this.name, content: reflection!.content, modelsUsage: reflection!.usage }),
      innerMessages: inner,
    };
  }

  /** One model call on the system message and the context; yields streaming chunks, then the result. */
  async *#callModel(
    modelClient: ChatCompletionClient,
    cancellationToken: CancellationToken,
  ): AsyncGenerator<AgentMessage | CreateResult> {
    const llmMessages = this.#forModel(modelClient, [...this.#systemMessages, ...(await this.modelContext.getMessages())]);
    if (!this.#modelClientStream) {
      yield await tracedCreate(modelClient, llmMessages, { cancellationToken }, { agentName: this.name });
      return;
    }
    let result: CreateResult | undefined;
    for await (const chunk of tracedCreateStream(modelClient, llmMessages, { cancellationToken }, { agentName: this.name })) {
      if (typeof chunk === "string") yield createMessage("ModelClientStreamingChunkEvent", { source: this.name, content: chunk });
      else result = chunk;
    }
    if (!result) throw new ModelBehaviorError(`The model's stream for CodeExecutorAgent "${this.name}" ended without a final result.`);
    yield result;
  }

  /** Ask the model whether failed code is worth another attempt (AutoGen's RetryDecision). */
  async #decideRetry(
    modelClient: ChatCompletionClient,
    execution: CodeResult,
    cancellationToken: CancellationToken,
  ): Promise<z.infer<typeof RetryDecisionSchema>> {
    const prompt =
      `The most recent code execution resulted in an error:\n${execution.output}\n\n` +
      "Should we attempt to resolve it? Please respond with:\n" +
      "- A boolean value for 'retry' indicating whether it should be retried.\n" +
      "- A detailed explanation in 'reason' that identifies the issue, justifies your decision to retry or not, and outlines how you would resolve the error if a retry is attempted.";
    const context = [...(await this.modelContext.getMessages()), { type: "UserMessage", content: prompt, source: this.name } as const];
    const response = await tracedCreate(
      modelClient,
      this.#forModel(modelClient, context),
      { jsonOutput: RetryDecisionSchema, cancellationToken },
      { agentName: this.name },
    );
    const text = typeof response.content === "string" ? response.content : "";
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const decision = RetryDecisionSchema.safeParse(parsed);
    if (!decision.success)
      throw new ModelBehaviorError(
        `CodeExecutorAgent "${this.name}" asked its model whether to retry failed code and expected JSON {"retry": boolean, "reason": string}; it answered ${JSON.stringify(text.slice(0, 200))}.`,
      );
    return decision.data;
  }

  /** Ask for approval, then run; the output is phrased for the other agents as AutoGen phrases it. */
  async #execute(blocks: CodeBlock[], context: LLMMessage[], cancellationToken: CancellationToken): Promise<CodeResult> {
    if (this.#approvalFunc) {
      const code = blocks.map((block) => `\`\`\`${block.language}\n${block.code}\n\`\`\``).join("\n\n");
      const approval = await cancellationToken.race(Promise.resolve(this.#approvalFunc({ code, context })));
      if (!approval || typeof approval.approved !== "boolean")
        throw new UserError(
          `The approvalFunc of CodeExecutorAgent "${this.name}" returned ${JSON.stringify(approval)}; it must return { approved: boolean, reason: string }.`,
        );
      if (!approval.approved) return { exitCode: 1, output: `Code execution was not approved. Reason: ${approval.reason}` };
    }
    const result = await tracedCodeExecution(this.codeExecutor, blocks, () => this.codeExecutor.executeCodeBlocks(blocks, cancellationToken), {
      agentName: this.name,
    });
    let output = result.output;
    if (output.trim() === "")
      output = `The script ran but produced no output to console. The POSIX exit code was: ${result.exitCode}. If you were expecting output, consider revising the script to ensure content is printed to stdout.`;
    else if (result.exitCode !== 0)
      output = `The script ran, then exited with an error (POSIX exit code: ${result.exitCode})\nIts output was:\n${output}`;
    if (result.files?.length) output += `\nThe code wrote these images: ${result.files.map((file) => file.name).join(", ")}`;
    return { ...result, output };
  }

  async #addToContext(message: ChatMessage): Promise<void> {
    if (message.type === "HandoffMessage")
      for (const llmMessage of message.context)
        await this.modelContext.addMessage(
          llmMessage.type === "SystemMessage" ? { type: "UserMessage", content: llmMessage.content, source: message.source } : llmMessage,
        );
    await this.modelContext.addMessage(messageToModelMessage(message));
  }

  /** Drop images for a model without vision. */
  #forModel(modelClient: ChatCompletionClient, messages: LLMMessage[]): LLMMessage[] {
    if (modelClient.modelInfo.vision) return messages;
    return messages.map((message) =>
      message.type === "UserMessage" && Array.isArray(message.content)
        ? { ...message, content: message.content.map((part) => (typeof part === "string" ? part : "<image>")).join("\n") }
        : message,
    );
  }

  async onReset(_cancellationToken: CancellationToken): Promise<void> {
    await this.modelContext.clear();
  }

  async saveState(): Promise<CodeExecutorAgentState> {
    return { type: "CodeExecutorAgentState", version: "1.0.0", modelContext: await this.modelContext.saveState() };
  }

  async loadState(state: AgentState): Promise<void> {
    if (state?.type !== "CodeExecutorAgentState")
      throw new UserError(`CodeExecutorAgent "${this.name}" cannot load state of type ${JSON.stringify(state?.type)}; pass what its saveState() returned.`);
    await this.modelContext.loadState((state as CodeExecutorAgentState).modelContext);
  }
}
