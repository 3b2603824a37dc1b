import { CancellationToken } from "../core/cancellation-token.ts";
import { UserError } from "../errors.ts";
import { taskToMessages } from "../messages/create.ts";
import { tracedAgentTurn } from "../telemetry/agent-turn-span.ts";
import type {
  AgentMessage,
  ChatMessage,
  ChatMessageType,
  Response,
  RunOptions,
  TaskResult,
  TaskRunner,
} from "../messages/types.ts";

/** Agent state is plain JSON with a type tag and a version, so it survives `JSON.stringify`. */
export interface AgentState {
  type: string;
  version: string;
  [key: string]: unknown;
}

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Throws a UserError unless `name` can identify an agent (letters, digits, `_`, `-`; no spaces). */
export function validateAgentName(name: string): void {
  if (typeof name !== "string" || !NAME_PATTERN.test(name))
    throw new UserError(
      `Agent name ${JSON.stringify(name)} is not valid: use letters, digits, "_" or "-", starting with a letter or "_" (it becomes a tool and speaker name).`,
    );
  if (name === "user") throw new UserError(`Agent name "user" is reserved for the task's author; pick another name.`);
}

/**
 * The base of every chat agent. Subclass it for a custom agent: give `producedMessageTypes`,
 * `onMessages` and `onReset`; `run` and `runStream` come for free.
 */
export abstract class BaseChatAgent implements TaskRunner {
  /** Unique name within a team; other agents see it as the message source. */
  readonly name: string;
  /** What the agent does, for selectors and humans. */
  readonly description: string;

  constructor(name: string, description = "An agent.") {
    validateAgentName(name);
    this.name = name;
    this.description = description;
  }

  /** The chat message types this agent can answer with. */
  abstract get producedMessageTypes(): ChatMessageType[];

  /** Handle new messages since the agent last spoke and answer. */
  abstract onMessages(messages: ChatMessage[], cancellationToken: CancellationToken): Promise<Response>;

  /** Reset to the state of a new agent. */
  abstract onReset(cancellationToken: CancellationToken): Promise<void>;

  /**
   * Like `onMessages`, but yields inner events as they happen and ends with the Response.
   * The default runs `onMessages` and yields its inner messages afterwards.
   */
  async *onMessagesStream(
    messages: ChatMessage[],
    cancellationToken: CancellationToken,
  ): AsyncGenerator<AgentMessage | Response, void, undefined> {
    const response = await this.onMessages(messages, cancellationToken);
    for (const inner of response.innerMessages ?? []) yield inner;
    yield response;
  }

  /** Run the agent on a task and return every message it produced. */
  async run(options: RunOptions = {}): Promise<TaskResult> {
    let result: TaskResult | undefined;
    for await (const item of this.runStream(options)) if (item.type === "TaskResult") result = item;
    return result!;
  }

  /** Run the agent on a task, yielding each message and event, then the TaskResult (which leaves out streaming chunks). */
  async *runStream(options: RunOptions = {}): AsyncGenerator<AgentMessage | TaskResult, void, undefined> {
    const cancellationToken = options.cancellationToken ?? new CancellationToken();
    const input = taskToMessages(options.task);
    const output: AgentMessage[] = [];
    if (options.outputTaskMessages !== false)
      for (const message of input) {
        output.push(message);
        yield message;
      }
    for await (const item of tracedAgentTurn(this, input, cancellationToken)) {
      if ("chatMessage" in item) {
        output.push(item.chatMessage);
        yield item.chatMessage;
      } else {
        // Streaming chunks are shown live; the final message they add up to is what the result keeps.
        if (item.type !== "ModelClientStreamingChunkEvent") output.push(item);
        yield item;
      }
    }
    yield { type: "TaskResult", messages: output };
  }

  /** Reset the agent (clears its context). */
  async reset(cancellationToken = new CancellationToken()): Promise<void> {
    await this.onReset(cancellationToken);
  }

  /** Called when a team pauses; override to stop long work. */
  async onPause(_cancellationToken: CancellationToken): Promise<void> {}

  /** Called when a team resumes. */
  async onResume(_cancellationToken: CancellationToken): Promise<void> {}

  /** Plain-JSON state; the default has none. */
  async saveState(): Promise<AgentState> {
    return { type: "BaseState", version: "1.0.0" };
  }

  /** Restore what `saveState` returned. */
  async loadState(_state: AgentState): Promise<void> {}

  /** Release resources the agent holds. */
  async close(): Promise<void> {}
}
