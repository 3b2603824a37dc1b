import type { CancellationToken } from "../core/cancellation-token.ts";
import { UserError } from "../errors.ts";
import { messageToText } from "../messages/convert.ts";
import { createMessage, isChatMessage } from "../messages/create.ts";
import type { AgentMessage } from "../messages/types.ts";
import type { ChatCompletionClient, CreateResult, LLMMessage } from "../models/types.ts";
import { tracedCreate, tracedCreateStream } from "../telemetry/model-call-span.ts";
import { BaseGroupChat } from "./base-group-chat.ts";
import type { BaseGroupChatOptions } from "./base-group-chat.ts";
import { BaseGroupChatManager } from "./base-group-chat-manager.ts";
import type { GroupChatManagerConfig } from "./base-group-chat-manager.ts";
import type { GroupChatManagerState } from "./team-state.ts";

/** Picks the next speaker by name from the thread, or returns null (or undefined) to let the model pick. */
export type SelectorFunc = (thread: readonly AgentMessage[]) => string | null | undefined | Promise<string | null | undefined>;

/** Narrows the names the model may pick from, given the thread; must return at least one participant name. */
export type CandidateFunc = (thread: readonly AgentMessage[]) => string[] | Promise<string[]>;

/** The prompt the selector model gets unless told otherwise; `{roles}`, `{participants}` and `{history}` are filled in. */
export const DEFAULT_SELECTOR_PROMPT = `You are in a role play game. The following roles are available:
{roles}.
Read the following conversation. Then select the next role from {participants} to play. Only return the role.

{history}

Read the above conversation. Then select the next role from {participants} to play. Only return the role.
`;

/** Options of SelectorGroupChat. */
export interface SelectorGroupChatOptions extends BaseGroupChatOptions {
  /** The model that picks the next speaker. */
  modelClient: ChatCompletionClient;
  /** The selector prompt; `{roles}` (name: description lines), `{participants}` (the candidates) and `{history}` are filled in. */
  selectorPrompt?: string;
  /** Whether the previous speaker may be picked again (default false). */
  allowRepeatedSpeaker?: boolean;
  /** How many times the model is asked before falling back (default 3). */
  maxSelectorAttempts?: number;
  /** Picks the speaker instead of the model; returning null hands the choice to the model. */
  selectorFunc?: SelectorFunc;
  /** Narrows the candidates the model picks from (overrides `allowRepeatedSpeaker`). */
  candidateFunc?: CandidateFunc;
  /** Stream the selector model's answer; the chunks appear in the stream when `emitTeamEvents` is on. */
  modelClientStreaming?: boolean;
}

/** Saved state of a selector manager: the base state and who spoke last. */
export interface SelectorManagerState extends GroupChatManagerState {
  type: "SelectorManagerState";
  /** The speaker picked last, or null before the first pick. */
  previousSpeaker: string | null;
}

/** Options the team hands its manager. */
type SelectorSettings = Required<Pick<SelectorGroupChatOptions, "modelClient" | "selectorPrompt" | "allowRepeatedSpeaker" | "maxSelectorAttempts">> &
  Pick<SelectorGroupChatOptions, "selectorFunc" | "candidateFunc" | "modelClientStreaming">;

/** Python-style list text, as the default prompt was written for: ['a', 'b']. */
function listText(names: readonly string[]): string {
  return `[${names.map((name) => `'${name}'`).join(", ")}]`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * How often each participant name is mentioned in `text`, as whole words. A name with
 * underscores also matches with spaces ("Story writer") or escaped underscores ("Story\_writer").
 */
export function mentionedNames(text: string, names: readonly string[]): Map<string, number> {
  const mentions = new Map<string, number>();
  const padded = ` ${text} `;
  for (const name of names) {
    const forms = [...new Set([name, name.replaceAll("_", " "), name.replaceAll("_", "\\_")])].map(escapeRegExp);
    const count = padded.match(new RegExp(`(?<=\\W)(${forms.join("|")})(?=\\W)`, "g"))?.length ?? 0;
    if (count > 0) mentions.set(name, count);
  }
  return mentions;
}

/** OpenAI models take the prompt as a system message; many others need a user message to answer. */
function takesSystemPrompt(family: string): boolean {
  return /^(gpt|o\d|chatgpt)/i.test(family);
}

/** Picks the next speaker with a model (or a selector function), retrying with feedback on bad answers. */
export class SelectorGroupChatManager extends BaseGroupChatManager {
  readonly #settings: SelectorSettings;
  #previousSpeaker: string | null = null;

  constructor(config: GroupChatManagerConfig, settings: SelectorSettings) {
    super(config);
    this.#settings = settings;
  }

  async selectSpeaker(thread: readonly AgentMessage[], cancellationToken: CancellationToken): Promise<string> {
    const speaker = await this.#pick(thread, cancellationToken);
    this.#previousSpeaker = speaker;
    return speaker;
  }

  async #pick(thread: readonly AgentMessage[], token: CancellationToken): Promise<string> {
    const { selectorFunc, candidateFunc } = this.#settings;
    if (selectorFunc) {
      const chosen = await selectorFunc(thread);
      if (chosen !== null && chosen !== undefined) {
        if (!this.participantNames.includes(chosen))
          throw new UserError(
            `selectorFunc returned "${chosen}", which is not a participant; return one of ${this.participantNames.join(", ")}, or null to let the model choose.`,
          );
        return chosen;
      }
    }
    let candidates: string[];
    if (candidateFunc) {
      candidates = await candidateFunc(thread);
      if (!Array.isArray(candidates) || candidates.length === 0)
        throw new UserError(`candidateFunc returned no candidates; it must return a non-empty list of participant names (${this.participantNames.join(", ")}).`);
      const strangers = candidates.filter((name) => !this.participantNames.includes(name));
      if (strangers.length)
        throw new UserError(
          `candidateFunc returned ${strangers.map((name) => `"${name}"`).join(", ")}, not participants; return names among ${this.participantNames.join(", ")}.`,
        );
    } else if (this.#previousSpeaker !== null && !this.#settings.allowRepeatedSpeaker) {
      candidates = this.participantNames.filter((name) => name !== this.#previousSpeaker);
    } else {
      candidates = [...this.participantNames];
    }
    if (candidates.length === 1) return candidates[0]!;
    return this.#askModel(thread, candidates, token);
  }

  /** The prompt with roles, candidates and the conversation filled in. */
  selectorPromptFor(thread: readonly AgentMessage[], candidates: readonly string[]): string {
    const roles = this.participantNames
      .map((name, index) => `${name}: ${this.participantDescriptions[index] ?? ""}`.replace(/\s+/g, " ").trim())
      .join("\n");
    const history = thread
      .filter(isChatMessage)
      .map((message) => `${`${message.source}: ${messageToText(message)}`.trimEnd()}\n\n`)
      .join("\n");
    const values: Record<string, string> = { roles, participants: listText(candidates), history };
    return this.#settings.selectorPrompt.replace(/\{(roles|participants|history)\}/g, (_whole, key: string) => values[key]!);
  }

  async #askModel(thread: readonly AgentMessage[], candidates: string[], token: CancellationToken): Promise<string> {
    const { modelClient, maxSelectorAttempts, allowRepeatedSpeaker, candidateFunc } = this.#settings;
    const prompt = this.selectorPromptFor(thread, candidates);
    const messages: LLMMessage[] = [
      takesSystemPrompt(modelClient.modelInfo.family) ? { type: "SystemMessage", content: prompt } : { type: "UserMessage", content: prompt, source: "user" },
    ];
    for (let attempt = 1; attempt <= maxSelectorAttempts; attempt++) {
      const answer = await this.#callModel(messages, token);
      messages.push({ type: "AssistantMessage", content: answer, source: "selector" });
      // All names count as mentions, so that a pick outside the candidates gets its own feedback.
      const mentions = [...mentionedNames(answer, this.participantNames).keys()];
      let feedback: string;
      if (mentions.length === 0) feedback = `No valid name was mentioned. Please select from: ${listText(candidates)}.`;
      else if (mentions.length > 1) feedback = `Expected exactly one name to be mentioned. Please select only one from: ${listText(candidates)}.`;
      else if (!candidateFunc && !allowRepeatedSpeaker && mentions[0] === this.#previousSpeaker)
        feedback = `Repeated speaker is not allowed, please select a different name from: ${listText(candidates)}.`;
      else if (!candidates.includes(mentions[0]!)) feedback = `${mentions[0]} cannot speak now. Please select from: ${listText(candidates)}.`;
      else return mentions[0]!;
      messages.push({ type: "UserMessage", content: feedback, source: "user" });
    }
    // The model could not decide: keep the previous speaker when it may speak, else the first candidate.
    if (this.#previousSpeaker !== null && candidates.includes(this.#previousSpeaker)) return this.#previousSpeaker;
    return candidates[0]!;
  }

  async #callModel(messages: readonly LLMMessage[], token: CancellationToken): Promise<string> {
    const { modelClient, modelClientStreaming } = this.#settings;
    let result: CreateResult | undefined;
    if (!modelClientStreaming) {
      result = await token.race(tracedCreate(modelClient, messages, { cancellationToken: token }, { agentName: this.name }));
    } else {
      for await (const item of tracedCreateStream(modelClient, messages, { cancellationToken: token }, { agentName: this.name })) {
        token.throwIfCancelled();
        if (typeof item !== "string") result = item;
        else if (this.emitTeamEvents && item !== "")
          this.emitEvent(createMessage("ModelClientStreamingChunkEvent", { source: this.name, content: item }));
      }
    }
    // A tool call or a missing result counts as an answer naming nobody, so the model is asked again.
    return typeof result?.content === "string" ? result.content : "";
  }

  override async reset(): Promise<void> {
    await super.reset();
    this.#previousSpeaker = null;
  }

  override async saveState(): Promise<SelectorManagerState> {
    return { ...(await super.saveState()), type: "SelectorManagerState", previousSpeaker: this.#previousSpeaker };
  }

  override async loadState(state: Record<string, unknown>): Promise<void> {
    const previous = (state as Partial<SelectorManagerState>).previousSpeaker ?? null;
    if (previous !== null && !this.participantNames.includes(previous))
      throw new UserError(
        `The saved selector state names "${String(previous)}" as the previous speaker, who is not a participant; load it into a team with the same participants.`,
      );
    await super.loadState(state);
    this.#previousSpeaker = previous;
  }
}

/**
 * A team where a model picks who speaks next after every turn: it reads the participants'
 * names and descriptions and the conversation (the `selectorPrompt`, AutoGen's by default) and
 * names one of them. An answer that names nobody, several names, or a speaker who may not speak
 * now is sent back with feedback, up to `maxSelectorAttempts` times; then the previous speaker
 * goes on (when allowed) or the first candidate speaks. With `emitTeamEvents` every pick shows
 * up as a SelectSpeakerEvent.
 *
 * ```ts
 * const team = new SelectorGroupChat({
 *   participants: [planner, researcher, coder],
 *   modelClient,
 *   terminationCondition: new TextMentionTermination("TERMINATE"),
 * });
 * ```
 *
 * `selectorFunc(thread)` decides instead of the model whenever it returns a name (null leaves it
 * to the model). `candidateFunc(thread)` narrows whom the model may pick, which is how a fixed
 * speaker order or a table of allowed transitions is written. An allowed speaker order such as
 * `allowed_speaker_order=[user_proxy, coordinator, analyst]`:
 *
 * ```ts
 * const order = ["user_proxy", "coordinator", "analyst"];
 * const team = new SelectorGroupChat({
 *   participants: [userProxy, analyst, coordinator],
 *   modelClient,
 *   maxTurns: 15,
 *   // the one who follows the last speaker in the order (the first after the task)
 *   candidateFunc: (thread) => {
 *     const last = thread.findLast((message) => order.includes(message.source))?.source;
 *     return [order[last === undefined ? 0 : (order.indexOf(last) + 1) % order.length]!];
 *   },
 * });
 * ```
 *
 * A single candidate is picked without asking the model. Allowed transitions that leave the
 * model a choice among several:
 *
 * ```ts
 * const allowed: Record<string, string[]> = { user_proxy: ["coordinator"], coordinator: ["analyst", "user_proxy"], analyst: ["coordinator"] };
 * const candidateFunc = (thread: readonly AgentMessage[]) => allowed[thread.findLast(isChatMessage)!.source] ?? ["user_proxy"];
 * ```
 */
export class SelectorGroupChat extends BaseGroupChat {
  /** The model that picks the next speaker. */
  readonly modelClient: ChatCompletionClient;
  /** The selector prompt template. */
  readonly selectorPrompt: string;
  /** Whether the previous speaker may be picked again. */
  readonly allowRepeatedSpeaker: boolean;
  /** How many times the model is asked before falling back. */
  readonly maxSelectorAttempts: number;
  /** Picks the speaker instead of the model, when it returns a name. */
  readonly selectorFunc?: SelectorFunc;
  /** Narrows the candidates the model picks from. */
  readonly candidateFunc?: CandidateFunc;
  /** Whether the selector model's answer is streamed. */
  readonly modelClientStreaming: boolean;

  constructor(options: SelectorGroupChatOptions) {
    super(options, "SelectorGroupChatManager");
    if (this.participants.length < 2)
      throw new UserError("SelectorGroupChat needs at least two participants; with one, use RoundRobinGroupChat.");
    if (!options.modelClient || typeof options.modelClient.create !== "function")
      throw new UserError("SelectorGroupChat needs a modelClient to pick speakers (for example modelClientFromEnv(), or a ReplayChatCompletionClient offline).");
    const attempts = options.maxSelectorAttempts ?? 3;
    if (!Number.isInteger(attempts) || attempts < 1)
      throw new UserError(`maxSelectorAttempts must be a whole number of at least 1; got ${String(options.maxSelectorAttempts)}.`);
    if (options.selectorPrompt !== undefined && typeof options.selectorPrompt !== "string")
      throw new UserError("selectorPrompt must be a string with {roles}, {participants} and {history} where those go.");
    for (const key of ["selectorFunc", "candidateFunc"] as const)
      if (options[key] !== undefined && typeof options[key] !== "function")
        throw new UserError(`${key} must be a function of the thread.`);
    this.modelClient = options.modelClient;
    this.selectorPrompt = options.selectorPrompt ?? DEFAULT_SELECTOR_PROMPT;
    this.allowRepeatedSpeaker = options.allowRepeatedSpeaker ?? false;
    this.maxSelectorAttempts = attempts;
    this.selectorFunc = options.selectorFunc;
    this.candidateFunc = options.candidateFunc;
    this.modelClientStreaming = options.modelClientStreaming ?? false;
  }

  protected createGroupChatManager(config: GroupChatManagerConfig): SelectorGroupChatManager {
    return new SelectorGroupChatManager(config, {
      modelClient: this.modelClient,
      selectorPrompt: this.selectorPrompt,
      allowRepeatedSpeaker: this.allowRepeatedSpeaker,
      maxSelectorAttempts: this.maxSelectorAttempts,
      selectorFunc: this.selectorFunc,
      candidateFunc: this.candidateFunc,
      modelClientStreaming: this.modelClientStreaming,
    });
  }
}
