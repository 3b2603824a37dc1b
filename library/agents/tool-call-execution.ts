import type { CancellationToken } from "../core/cancellation-token.ts";
import type { FunctionCall, FunctionExecutionResult } from "../models/types.ts";
import { tracedToolCall } from "../telemetry/tool-call-span.ts";
import { errorTypeOf } from "../telemetry/tracer.ts";
import { parseToolArguments } from "../tools/parse-tool-arguments.ts";
import type { Tool } from "../tools/tool.ts";
import { ToolArgumentsError } from "../tools/tool-arguments-error.ts";

function errorResult(call: FunctionCall, content: string): FunctionExecutionResult {
  return { callId: call.id, name: call.name, content, isError: true };
}

/**
 * Run one tool call the model asked for. Never throws for the model's or the tool's mistakes:
 * an unknown tool, arguments that are not JSON or do not validate, and a tool that throws all
 * become an error result the model can read and act on. Only cancellation propagates.
 */
export async function executeToolCall(
  call: FunctionCall,
  tools: ReadonlyMap<string, Tool>,
  cancellationToken: CancellationToken,
): Promise<FunctionExecutionResult> {
  cancellationToken.throwIfCancelled();
  return tracedToolCall(call, (reportError) => runToolCall(call, tools, cancellationToken, reportError));
}

async function runToolCall(
  call: FunctionCall,
  tools: ReadonlyMap<string, Tool>,
  cancellationToken: CancellationToken,
  reportError: (errorType: string) => void,
): Promise<FunctionExecutionResult> {
  const tool = tools.get(call.name);
  if (!tool) {
    reportError("tool_not_found");
    const names = [...tools.keys()];
    return errorResult(
      call,
      names.length > 0
        ? `Error: there is no tool named "${call.name}". The available tools are: ${names.join(", ")}. Call one of them, or answer without a tool.`
        : `Error: there is no tool named "${call.name}"; no tools are available, so answer without one.`,
    );
  }
  try {
    const args = parseToolArguments(tool.name, call.arguments, tool.schema.parameters);
    const value = await cancellationToken.race(
      Promise.resolve().then(() => tool.runJson(args, { cancellationToken, callId: call.id })),
    );
    return { callId: call.id, name: call.name, content: tool.returnValueAsString(value), isError: false };
  } catch (error) {
    if (cancellationToken.isCancelled) throw error;
    reportError(errorTypeOf(error));
    if (error instanceof ToolArgumentsError) return errorResult(call, `Error: ${error.message}`);
    const message = error instanceof Error ? error.message : String(error);
    return errorResult(call, `Error: tool "${call.name}" failed: ${message}`);
  }
}
