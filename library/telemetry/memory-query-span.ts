import { context, SpanKind, trace } from "@opentelemetry/api";
import type { UpdateContextResult } from "../memory/memory.ts";
import { ATTR, OPERATION } from "./semantic-conventions.ts";
import { capturingContent, instrumentationEnabled } from "./telemetry-options.ts";
import { agentbookTracer, contentText, recordError } from "./tracer.ts";

/**
 * An agent consulting a memory before its model call (`run`: `memory.updateContext(...)`) inside
 * a `retrieval {memory}` span: how many items it injected (`agentbook.memory.hits`) and how long
 * it took. The items themselves are recorded only with content capture.
 */
export async function tracedMemoryQuery(
  memory: { readonly name?: string; readonly constructor: { name: string } },
  agentName: string,
  run: () => Promise<UpdateContextResult>,
): Promise<UpdateContextResult> {
  if (!instrumentationEnabled()) return run();
  const name = typeof memory.name === "string" && memory.name ? memory.name : memory.constructor.name;
  const span = agentbookTracer().startSpan(`${OPERATION.retrieval} ${name}`, {
    kind: SpanKind.INTERNAL,
    attributes: {
      [ATTR.spanKind]: "memory",
      [ATTR.operationName]: OPERATION.retrieval,
      [ATTR.dataSourceId]: name,
      [ATTR.agentName]: agentName,
    },
  });
  if (!span.isRecording()) {
    span.end();
    return run();
  }
  try {
    const update = await context.with(trace.setSpan(context.active(), span), run);
    const results = update?.memories?.results ?? [];
    span.setAttribute(ATTR.memoryHits, results.length);
    if (capturingContent())
      span.setAttribute("agentbook.memory.results", contentText(results.map((item) => item.content)));
    return update;
  } catch (error) {
    recordError(span, error);
    throw error;
  } finally {
    span.end();
  }
}
