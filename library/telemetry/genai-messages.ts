/**
 * Model messages in the JSON shapes of the OpenTelemetry GenAI conventions
 * (`gen_ai.input.messages`, `gen_ai.output.messages`, `gen_ai.system_instructions`), for the
 * opt-in content attributes of `chat` spans. Image bytes are never copied, only their type.
 */
import type { CreateResult, FunctionCall, LLMMessage } from "../models/types.ts";

type Part =
  | { type: "text"; content: string }
  | { type: "blob"; modality: "image"; mime_type: string }
  | { type: "tool_call"; id: string; name: string; arguments: unknown }
  | { type: "tool_call_response"; id: string; result: string }
  | { type: "reasoning"; content: string };

interface GenAIMessage {
  role: "user" | "assistant" | "tool";
  parts: Part[];
  name?: string;
  finish_reason?: string;
}

function parsedArguments(call: FunctionCall): unknown {
  try {
    return JSON.parse(call.arguments);
  } catch {
    return call.arguments;
  }
}

function toolCallParts(calls: FunctionCall[]): Part[] {
  return calls.map((call) => ({ type: "tool_call", id: call.id, name: call.name, arguments: parsedArguments(call) }));
}

/** The system messages of `messages` as system instructions (text parts). */
export function systemInstructions(messages: readonly LLMMessage[]): Part[] {
  return messages.flatMap((message) => (message.type === "SystemMessage" ? [{ type: "text" as const, content: message.content }] : []));
}

/** Everything but the system messages, as GenAI input messages. */
export function inputMessages(messages: readonly LLMMessage[]): GenAIMessage[] {
  const out: GenAIMessage[] = [];
  for (const message of messages) {
    switch (message.type) {
      case "SystemMessage":
        break;
      case "UserMessage": {
        const parts: Part[] =
          typeof message.content === "string"
            ? [{ type: "text", content: message.content }]
            : message.content.map((part) =>
                typeof part === "string" ? { type: "text", content: part } : { type: "blob", modality: "image", mime_type: part.mimeType },
              );
        out.push({ role: "user", parts, name: message.source });
        break;
      }
      case "AssistantMessage": {
        const parts: Part[] = [];
        if (message.thought) parts.push({ type: "reasoning", content: message.thought });
        if (typeof message.content === "string") parts.push({ type: "text", content: message.content });
        else parts.push(...toolCallParts(message.content));
        out.push({ role: "assistant", parts, name: message.source });
        break;
      }
      case "FunctionExecutionResultMessage":
        out.push({
          role: "tool",
          parts: message.content.map((result) => ({ type: "tool_call_response", id: result.callId, result: result.content })),
        });
        break;
    }
  }
  return out;
}

/** A model's answer as the one GenAI output message. */
export function outputMessages(result: CreateResult): GenAIMessage[] {
  const parts: Part[] = [];
  if (result.thought) parts.push({ type: "reasoning", content: result.thought });
  if (typeof result.content === "string") parts.push({ type: "text", content: result.content });
  else parts.push(...toolCallParts(result.content));
  return [{ role: "assistant", parts, finish_reason: result.finishReason }];
}
