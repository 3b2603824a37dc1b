import { context, SpanKind, trace } from "@opentelemetry/api";
import type { CodeBlock, CodeResult } from "../code/code-block.ts";
import { ATTR, OPERATION } from "./semantic-conventions.ts";
import { capturingContent, instrumentationEnabled } from "./telemetry-options.ts";
import { agentbookTracer, contentText, recordError } from "./tracer.ts";

/**
 * Code blocks running on an executor (`run`: `executor.executeCodeBlocks(...)`) inside an
 * `execute_code {executor}` span: languages, number of blocks, exit code, output size. The code
 * and its output are recorded only with content capture. A non-zero exit code is a result the
 * agent reads, not a failed span; a throw (timeout, cancellation, a broken executor) is.
 */
export async function tracedCodeExecution(
  executor: { readonly constructor: { name: string } },
  blocks: readonly CodeBlock[],
  run: () => Promise<CodeResult>,
  caller: { agentName?: string } = {},
): Promise<CodeResult> {
  if (!instrumentationEnabled()) return run();
  const executorName = executor.constructor.name;
  const span = agentbookTracer().startSpan(`${OPERATION.executeCode} ${executorName}`, {
    kind: SpanKind.INTERNAL,
    attributes: {
      [ATTR.spanKind]: "code",
      [ATTR.operationName]: OPERATION.executeCode,
      [ATTR.codeExecutor]: executorName,
      [ATTR.codeLanguages]: [...new Set(blocks.map((block) => block.language))],
      [ATTR.codeBlocks]: blocks.length,
      ...(caller.agentName ? { [ATTR.agentName]: caller.agentName } : {}),
    },
  });
  if (!span.isRecording()) {
    span.end();
    return run();
  }
  if (capturingContent()) span.setAttribute(ATTR.codeContent, contentText(blocks.map((block) => block.code).join("\n\n")));
  try {
    const result = await context.with(trace.setSpan(context.active(), span), run);
    span.setAttribute(ATTR.codeExitCode, result.exitCode);
    span.setAttribute(ATTR.codeOutputSize, result.output.length);
    if (capturingContent()) span.setAttribute(ATTR.codeOutput, contentText(result.output));
    return result;
  } catch (error) {
    recordError(span, error);
    throw error;
  } finally {
    span.end();
  }
}
