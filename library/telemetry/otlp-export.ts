import { createRequire } from "node:module";
import type { SpanProcessor } from "@opentelemetry/sdk-trace";
import { UserError } from "../errors.ts";
import { addSpanProcessor, openTelemetrySdk, removeSpanProcessor } from "./tracing-setup.ts";

const require = createRequire(import.meta.url);

/** Where and how to send traces over OTLP/HTTP (JSON encoding). */
export interface OtlpExportOptions {
  /**
   * The traces endpoint, for example "http://localhost:4318/v1/traces" (Jaeger, Phoenix, an
   * OpenTelemetry Collector) or "https://cloud.langfuse.com/api/public/otel/v1/traces". Default:
   * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else `OTEL_EXPORTER_OTLP_ENDPOINT` + "/v1/traces", else
   * http://localhost:4318/v1/traces.
   */
  url?: string;
  /** Headers of every export request (an Authorization header for a hosted backend). Never logged. */
  headers?: Record<string, string>;
  /** Milliseconds one export may take (default 10000). */
  timeoutMillis?: number;
  /** Milliseconds between batches (default 1000). */
  scheduledDelayMillis?: number;
  /** Spans per request (default 512). */
  maxExportBatchSize?: number;
}

/** A running export: spans go out in batches until `stop()`. */
export interface TraceExport {
  /** The batching span processor (already attached). */
  readonly processor: SpanProcessor;
  /** Send what is waiting now. */
  flush(): Promise<void>;
  /** Send what is waiting, detach and shut the exporter down. */
  stop(): Promise<void>;
}

function checkUrl(url: string | undefined): void {
  if (url === undefined) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`The OTLP url ${JSON.stringify(url)} is not a URL; use one like http://localhost:4318/v1/traces.`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new UserError(`The OTLP url must be http or https; got ${parsed.protocol}. OTLP over HTTP looks like http://localhost:4318/v1/traces.`);
  if (parsed.username || parsed.password)
    throw new UserError("The OTLP url carries a user name or password; pass credentials as headers (for example { Authorization: \"Basic ...\" }) instead.");
}

/**
 * A batching span processor that sends spans over OTLP/HTTP with JSON encoding, for
 * `addSpanProcessor` or a tracer provider of your own. The exporter package is loaded on first use.
 */
export async function otlpSpanProcessor(options: OtlpExportOptions = {}): Promise<SpanProcessor> {
  checkUrl(options.url);
  // The same (CommonJS) copy of the SDK as the tracer provider, loaded on first use.
  const { OTLPTraceExporter } = require("@opentelemetry/exporter-trace-otlp-http") as typeof import("@opentelemetry/exporter-trace-otlp-http");
  const { BatchSpanProcessor } = openTelemetrySdk().trace;
  const exporter = new OTLPTraceExporter({
    ...(options.url ? { url: options.url } : {}),
    ...(options.headers ? { headers: { ...options.headers } } : {}),
    timeoutMillis: options.timeoutMillis ?? 10_000,
  });
  return new BatchSpanProcessor({
    exporter,
    scheduledDelayMillis: options.scheduledDelayMillis ?? 1000,
    maxExportBatchSize: options.maxExportBatchSize ?? 512,
    exportTimeoutMillis: options.timeoutMillis ?? 10_000,
  });
}

/**
 * Send every agentbook span to an OTLP/HTTP endpoint (Jaeger, Langfuse, Phoenix, AgentOps, an
 * OpenTelemetry Collector) until `stop()`. Works alongside sessions: both see the same spans.
 *
 * ```ts
 * const traces = await exportTraces({ url: "http://localhost:4318/v1/traces" });
 * await team.run({ task });
 * await traces.stop();
 * ```
 */
export async function exportTraces(options: OtlpExportOptions = {}): Promise<TraceExport> {
  const processor = await otlpSpanProcessor(options);
  addSpanProcessor(processor);
  let stopped = false;
  return {
    processor,
    flush: () => processor.forceFlush(),
    async stop() {
      if (stopped) return;
      stopped = true;
      removeSpanProcessor(processor);
      await processor.forceFlush();
      await processor.shutdown();
    },
  };
}
