import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { FunctionCall, FunctionExecutionResult } from "../models/types.ts";
import { ATTR, OPERATION } from "./semantic-conventions.ts";
import { capturingContent, instrumentationEnabled } from "./telemetry-options.ts";
import { agentbookTracer, contentText, recordError } from "./tracer.ts";

/**
 * Run one tool call (`run`, which turns the call into a result) inside an `execute_tool {name}`
 * span: tool name and call id, sizes of the arguments and the result, and for an error result
 * its kind (`errorType`: "tool_not_found", "ToolArgumentsError", the class of what the tool
 * threw). The arguments and the result themselves are recorded only with content capture.
 */
export async function tracedToolCall(
  call: FunctionCall,
  run: (report: (errorType: string) => void) => Promise<FunctionExecutionResult>,
): Promise<FunctionExecutionResult> {
  if (!instrumentationEnabled()) return run(() => {});
  const span = agentbookTracer().startSpan(`${OPERATION.executeTool} ${call.name}`, {
    kind: SpanKind.INTERNAL,
    attributes: {
      [ATTR.spanKind]: "tool",
      [ATTR.operationName]: OPERATION.executeTool,
      [ATTR.toolName]: call.name,
      [ATTR.toolType]: "function",
      [ATTR.toolCallId]: call.id,
      [ATTR.toolArgumentsSize]: call.arguments.length,
    },
  });
  if (!span.isRecording()) {
    span.end();
    return run(() => {});
  }
  if (capturingContent()) span.setAttribute(ATTR.toolCallArguments, contentText(call.arguments));
  let errorType: string | undefined;
  try {
    const result = await context.with(trace.setSpan(context.active(), span), () => run((type) => (errorType = type)));
    span.setAttribute(ATTR.toolResultSize, result.content.length);
    span.setAttribute(ATTR.toolIsError, result.isError);
    if (capturingContent()) span.setAttribute(ATTR.toolCallResult, contentText(result.content));
    if (result.isError) {
      const type = errorType ?? "tool_error";
      span.setAttribute(ATTR.errorType, type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: capturingContent() ? result.content : type });
    }
    return result;
  } catch (error) {
    recordError(span, error);
    throw error;
  } finally {
    span.end();
  }
}
