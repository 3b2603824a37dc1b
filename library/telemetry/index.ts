export { setTelemetryOptions, getTelemetryOptions } from "./telemetry-options.ts";
export type { TelemetryOptions } from "./telemetry-options.ts";
export { DEFAULT_MODEL_PRICES, findModelPrice, costOf } from "./model-prices.ts";
export type { ModelPrice, PriceTable } from "./model-prices.ts";
export {
  ATTR as TELEMETRY_ATTRIBUTES,
  EVENT as TELEMETRY_EVENTS,
  EVENT_ATTR as TELEMETRY_EVENT_ATTRIBUTES,
  OPERATION as TELEMETRY_OPERATIONS,
  TRACER_NAME,
} from "./semantic-conventions.ts";
export type { AgentbookSpanKind } from "./semantic-conventions.ts";
export { tracedCreate, tracedCreateStream, recordModelResponse, describeModelClient, MODEL_CLIENT_TELEMETRY } from "./model-call-span.ts";
export type { ModelCallInfo, ModelClientTelemetry } from "./model-call-span.ts";
export { tracedAgentTurn } from "./agent-turn-span.ts";
export type { TracedAgent } from "./agent-turn-span.ts";
export { tracedTeamRun, recordSpeakerSelection } from "./team-run-span.ts";
export { tracedToolCall } from "./tool-call-span.ts";
export { tracedMemoryQuery } from "./memory-query-span.ts";
export { tracedCodeExecution } from "./code-execution-span.ts";
export {
  enableTracing,
  disableTracing,
  tracingState,
  agentbookSpanProcessor,
  addSpanProcessor,
  removeSpanProcessor,
} from "./tracing-setup.ts";
export type { EnableTracingOptions, TracingState } from "./tracing-setup.ts";
export { exportTraces, otlpSpanProcessor } from "./otlp-export.ts";
export type { OtlpExportOptions, TraceExport } from "./otlp-export.ts";
export type { RecordedSpan, RecordedSpanEvent, RecordedAttributeValue } from "./recorded-span.ts";
export type * from "./session-events.ts";
export type { SessionRecord } from "./session-jsonl.ts";
export { Session, startSession, loadSession } from "./session.ts";
export type { SessionOptions, ReplayOptions, FeedOptions } from "./session.ts";
export type { SessionSummary, LatencyStats, TokenStats, ToolStats, MemoryStats, ProvenanceEntry, ThoughtEntry } from "./session-stats.ts";
export { tracePayload, traceMimeBundle } from "./trace-display.ts";
export { SessionDashboard } from "./session-dashboard.ts";
export type { SessionDashboardOptions } from "./session-dashboard.ts";
export { DashboardState, DEFAULT_LATENCY_THRESHOLDS } from "./dashboard-state.ts";
export type { LatencyThresholds, DashboardStateOptions } from "./dashboard-state.ts";
export { dashboardBundle, dashboardHtml, dashboardText } from "./dashboard-display.ts";
