import { context, SpanKind, trace } from "@opentelemetry/api";
import type { AgentMessage, TaskResult } from "../messages/types.ts";
import { ATTR, EVENT, EVENT_ATTR, OPERATION } from "./semantic-conventions.ts";
import { runGeneratorInSpan } from "./span-generator.ts";
import { capturingContent, instrumentationEnabled } from "./telemetry-options.ts";
import { agentbookTracer } from "./tracer.ts";

/**
 * A team run (`run()`: the generator `run` makes) inside an `invoke_workflow {Team}` span. The
 * generator, and everything it starts (the runtime's message loop, agent turns, nested teams),
 * runs with that span active, so agent turns become its children.
 */
export function tracedTeamRun(
  team: { readonly constructor: { name: string }; readonly teamId?: string; readonly participants?: ReadonlyArray<{ name: string }> },
  run: () => AsyncGenerator<AgentMessage | TaskResult, void, undefined>,
): AsyncGenerator<AgentMessage | TaskResult, void, undefined> {
  if (!instrumentationEnabled()) return run();
  const name = team.constructor.name;
  const span = agentbookTracer().startSpan(`${OPERATION.invokeWorkflow} ${name}`, {
    kind: SpanKind.INTERNAL,
    attributes: {
      [ATTR.spanKind]: "team",
      [ATTR.operationName]: OPERATION.invokeWorkflow,
      [ATTR.workflowName]: name,
      ...(team.teamId ? { [ATTR.teamId]: team.teamId, [ATTR.conversationId]: team.teamId } : {}),
      ...(team.participants ? { [ATTR.teamParticipants]: team.participants.map((agent) => agent.name) } : {}),
    },
  });
  if (!span.isRecording()) {
    span.end();
    return run();
  }
  const source = context.with(trace.setSpan(context.active(), span), run);
  return runGeneratorInSpan(span, source, {
    onItem(item) {
      // A stop reason can quote an agent's StopMessage, so it counts as content.
      if (item.type === "TaskResult" && item.stopReason && capturingContent()) span.setAttribute(ATTR.teamStopReason, item.stopReason);
    },
  });
}

/** Record on the current team span that the group chat chose `speakers` to talk next. */
export function recordSpeakerSelection(speakers: readonly string[]): void {
  if (!instrumentationEnabled()) return;
  const span = trace.getActiveSpan();
  if (!span || !span.isRecording()) return;
  span.addEvent(EVENT.speakerSelection, { [EVENT_ATTR.speakers]: [...speakers] });
}
