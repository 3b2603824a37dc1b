/**
 * Translation between agentbook's LLM messages and the OpenAI chat-completions wire format,
 * shared by every OpenAI-speaking client (OpenAI, Azure, OpenAI-compatible servers).
 */
import { randomUUID } from "node:crypto";
import type OpenAI from "openai";
import { ModelBehaviorError, UserError } from "../errors.ts";
import type { FinishReason, FunctionCall, LLMMessage, ModelInfo, ToolChoice, ToolLike, ToolSchema } from "./types.ts";
import { toolSchemaOf } from "./types.ts";

type ChatMessageParam = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type ContentPart = OpenAI.Chat.Completions.ChatCompletionContentPart;
type ToolParam = OpenAI.Chat.Completions.ChatCompletionFunctionTool;
type ToolChoiceParam = OpenAI.Chat.Completions.ChatCompletionToolChoiceOption;

/** OpenAI accepts message names matching `^[a-zA-Z0-9_-]{1,64}$`. */
const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/** `source` as an OpenAI message name: other characters become "_", cut to 64; undefined when nothing is left. */
export function openAIMessageName(source: string): string | undefined {
  const name = source.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64);
  return name && !/^_+$/.test(name) ? name : undefined;
}

/** Options of `toOpenAIMessages`. */
export interface MessageMappingOptions {
  /** Send `name` (from `source`) on user and assistant messages. */
  includeName: boolean;
  modelInfo: ModelInfo;
  /** Model name, for error messages. */
  model: string;
}

/** Our LLM messages as OpenAI chat messages. Tool results become one `tool` message each. */
export function toOpenAIMessages(messages: readonly LLMMessage[], options: MessageMappingOptions): ChatMessageParam[] {
  const out: ChatMessageParam[] = [];
  const name = (source: string) => (options.includeName ? openAIMessageName(source) : undefined);
  for (const message of messages) {
    switch (message.type) {
      case "SystemMessage":
        out.push({ role: "system", content: message.content });
        break;
      case "UserMessage": {
        const userName = name(message.source);
        if (typeof message.content === "string") {
          out.push({ role: "user", content: message.content, ...(userName ? { name: userName } : {}) });
          break;
        }
        const parts: ContentPart[] = message.content.map((part) => {
          if (typeof part === "string") return { type: "text", text: part };
          if (!options.modelInfo.vision)
            throw new UserError(
              `Model "${options.model}" does not accept images (modelInfo.vision is false); remove the image or use a vision model such as gpt-4o.`,
            );
          return { type: "image_url", image_url: { url: `data:${part.mimeType};base64,${part.data}` } };
        });
        out.push({ role: "user", content: parts, ...(userName ? { name: userName } : {}) });
        break;
      }
      case "AssistantMessage": {
        const assistantName = name(message.source);
        if (typeof message.content === "string") {
          out.push({ role: "assistant", content: message.content, ...(assistantName ? { name: assistantName } : {}) });
          break;
        }
        out.push({
          role: "assistant",
          content: null,
          tool_calls: message.content.map((call) => ({
            id: call.id,
            type: "function" as const,
            function: { name: call.name, arguments: call.arguments },
          })),
          ...(assistantName ? { name: assistantName } : {}),
        });
        break;
      }
      case "FunctionExecutionResultMessage":
        for (const result of message.content) out.push({ role: "tool", tool_call_id: result.callId, content: result.content });
        break;
      default:
        throw new UserError(`Unknown LLM message type ${JSON.stringify((message as { type?: unknown }).type)}; use SystemMessage, UserMessage, AssistantMessage or FunctionExecutionResultMessage.`);
    }
  }
  if (options.modelInfo.multipleSystemMessages === false) return mergeSystemMessages(out);
  return out;
}

/** For models that take one system message: all system texts joined into the first one's place. */
function mergeSystemMessages(messages: ChatMessageParam[]): ChatMessageParam[] {
  const systems = messages.filter((message) => message.role === "system");
  if (systems.length <= 1) return messages;
  const merged: ChatMessageParam = { role: "system", content: systems.map((message) => message.content).join("\n") };
  const first = messages.indexOf(systems[0]!);
  const rest = messages.filter((message) => message.role !== "system");
  return [...rest.slice(0, first), merged, ...rest.slice(first)];
}

/** Tools as OpenAI function tools. */
export function toOpenAITools(tools: ReadonlyArray<ToolLike | ToolSchema>): ToolParam[] {
  return tools.map((tool) => {
    const schema = toolSchemaOf(tool);
    if (!schema || typeof schema.name !== "string" || !NAME_PATTERN.test(schema.name))
      throw new UserError(
        `Tool name ${JSON.stringify(schema?.name)} is not valid for OpenAI: use 1 to 64 letters, digits, "_" or "-".`,
      );
    return {
      type: "function",
      function: {
        name: schema.name,
        ...(schema.description !== undefined ? { description: schema.description } : {}),
        parameters: schema.parameters ?? { type: "object", properties: {} },
        ...(schema.strict !== undefined ? { strict: schema.strict } : {}),
      },
    };
  });
}

/** Our tool choice as OpenAI's; a named tool must be one of `tools`. */
export function toOpenAIToolChoice(choice: ToolChoice, tools: readonly ToolParam[]): ToolChoiceParam {
  if (choice === "auto" || choice === "required" || choice === "none") return choice;
  if (choice && typeof choice === "object" && typeof choice.name === "string") {
    if (!tools.some((tool) => tool.function.name === choice.name))
      throw new UserError(
        `toolChoice names "${choice.name}", which is not among the tools passed (${tools.map((tool) => tool.function.name).join(", ") || "none"}).`,
      );
    return { type: "function", function: { name: choice.name } };
  }
  throw new UserError(`toolChoice must be "auto", "required", "none" or { name }; got ${JSON.stringify(choice)}.`);
}

/** OpenAI's finish reason as ours. */
export function toFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    case "tool_calls":
    case "function_call":
      return "function_calls";
    case "content_filter":
      return "content_filter";
    default:
      return "unknown";
  }
}

/** A raw tool call (from a completion or assembled from stream deltas) as a FunctionCall. */
export function toFunctionCall(call: { id?: string | null; name?: string | null; arguments?: string | null }): FunctionCall {
  if (!call.name)
    throw new ModelBehaviorError("The model returned a tool call without a function name; retry, or use a model that supports tool calling.");
  return { id: call.id || `call_${randomUUID()}`, name: call.name, arguments: call.arguments ?? "" };
}

/**
 * Split reasoning out of text: some local models (DeepSeek-R1 on Ollama, for example) put it
 * in a leading `<think>...</think>` block instead of a separate field.
 */
export function splitThinkTags(text: string): { content: string; thought?: string } {
  const match = /^\s*<think>([\s\S]*?)<\/think>\s*/.exec(text);
  if (!match) return { content: text };
  return { content: text.slice(match[0].length), thought: match[1]!.trim() };
}

/** Reasoning text of a message or delta, under the names OpenAI-compatible servers use. */
export function reasoningOf(messageOrDelta: object | null | undefined): string | undefined {
  if (!messageOrDelta) return undefined;
  const record = messageOrDelta as Record<string, unknown>;
  const value = record.reasoning_content ?? record.reasoning;
  return typeof value === "string" && value ? value : undefined;
}

/** Thoughts from several sources joined, or undefined when there are none. */
export function joinThoughts(...parts: Array<string | undefined>): string | undefined {
  const present = parts.filter((part): part is string => typeof part === "string" && part.trim() !== "");
  return present.length > 0 ? present.join("\n") : undefined;
}
