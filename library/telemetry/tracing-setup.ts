/**
 * The tracer provider agentbook registers when a session or an exporter needs spans. Without
 * them nothing is registered and every agentbook span is OpenTelemetry's no-op span.
 */
import { createRequire } from "node:module";
import { context, ProxyTracerProvider, trace } from "@opentelemetry/api";
import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

/** The OpenTelemetry SDK packages, loaded on first use: importing agentbook stays fast for programs that never trace. */
export interface OpenTelemetrySdk {
  trace: typeof import("@opentelemetry/sdk-trace");
  contextAsyncHooks: typeof import("@opentelemetry/context-async-hooks");
  resources: typeof import("@opentelemetry/resources");
}

const require = createRequire(import.meta.url);
let sdk: OpenTelemetrySdk | undefined;

/** Load the SDK (synchronously, once). */
export function openTelemetrySdk(): OpenTelemetrySdk {
  return (sdk ??= {
    trace: require("@opentelemetry/sdk-trace") as OpenTelemetrySdk["trace"],
    contextAsyncHooks: require("@opentelemetry/context-async-hooks") as OpenTelemetrySdk["contextAsyncHooks"],
    resources: require("@opentelemetry/resources") as OpenTelemetrySdk["resources"],
  });
}

/** Hands every span to the processors attached at the time (sessions, exporters). */
class FanOutSpanProcessor implements SpanProcessor {
  readonly #processors = new Set<SpanProcessor>();

  add(processor: SpanProcessor): void {
    this.#processors.add(processor);
  }

  remove(processor: SpanProcessor): boolean {
    return this.#processors.delete(processor);
  }

  get size(): number {
    return this.#processors.size;
  }

  onStart(span: Span, parentContext: Context): void {
    for (const processor of this.#processors) {
      try {
        processor.onStart(span, parentContext);
      } catch {
        // One failing consumer must not cost the others their spans, nor break the run.
      }
    }
  }

  onEnd(span: ReadableSpan): void {
    for (const processor of this.#processors) {
      try {
        processor.onEnd(span);
      } catch {
        // As above.
      }
    }
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.#processors].map((processor) => processor.forceFlush()));
  }

  /** The attached processors belong to whoever attached them; they are not shut down here. */
  async shutdown(): Promise<void> {}
}

const fanOut = new FanOutSpanProcessor();
/** What the API answers with when no provider is registered. */
const NO_PROVIDER = new ProxyTracerProvider().getDelegate();
let provider: TracerProvider | undefined;
let registeredProvider = false;
let registeredContext = false;
/** True when tracing was switched on for a session or exporter, not by `enableTracing()`. */
let enabledForConsumers = false;
let warnedForeign = false;

/** Options of `enableTracing`. */
export interface EnableTracingOptions {
  /** `service.name` of the resource the spans come from (default "agentbook"); applies to the first call. */
  serviceName?: string;
}

/** Where agentbook's spans go: nowhere, agentbook's own provider, or a provider registered by someone else. */
export type TracingState = "off" | "agentbook" | "foreign";

function register(options: EnableTracingOptions): TracingState {
  if (registeredProvider) return "agentbook";
  const { trace: sdkTrace, contextAsyncHooks, resources } = openTelemetrySdk();
  provider ??= new sdkTrace.TracerProvider({
    resource: resources.resourceFromAttributes({ "service.name": options.serviceName ?? "agentbook" }),
    spanProcessors: [fanOut],
  });
  if (!registeredContext) registeredContext = context.setGlobalContextManager(new contextAsyncHooks.AsyncLocalStorageContextManager());
  registeredProvider = trace.setGlobalTracerProvider(provider);
  if (registeredProvider) return "agentbook";
  if (!warnedForeign) {
    warnedForeign = true;
    process.emitWarning(
      "Another OpenTelemetry tracer provider is already registered, so agentbook's spans go to it. For agentbook sessions to see them, " +
        "add agentbookSpanProcessor() to that provider's span processors.",
    );
  }
  return "foreign";
}

/**
 * Register agentbook's tracer provider and an AsyncLocalStorage context manager (so parent and
 * child spans link across `await`, parallel tool calls and nested teams), and keep them until
 * `disableTracing()`. Sessions and exporters switch tracing on by themselves, and off again when
 * the last of them ends, so you only need this to keep spans flowing to processors of your own.
 * When the program already registered a provider (the OpenTelemetry Node SDK, say), that one
 * stays, and sessions only see spans if `agentbookSpanProcessor()` is one of its span processors.
 */
export function enableTracing(options: EnableTracingOptions = {}): TracingState {
  enabledForConsumers = false;
  return register(options);
}

/** Unregister what agentbook registered: its spans become no-ops again. Sessions and exporters stay attached. */
export function disableTracing(): void {
  if (registeredProvider) trace.disable();
  if (registeredContext) context.disable();
  registeredProvider = false;
  registeredContext = false;
  enabledForConsumers = false;
}

/** Where spans go now. */
export function tracingState(): TracingState {
  if (registeredProvider) return "agentbook";
  const global = trace.getTracerProvider();
  const delegate = global instanceof ProxyTracerProvider ? global.getDelegate() : global;
  return delegate === NO_PROVIDER ? "off" : "foreign";
}

/**
 * The span processor that feeds agentbook sessions and exporters. Add it to your own tracer
 * provider when your program registers one: `new NodeTracerProvider({ spanProcessors: [agentbookSpanProcessor()] })`.
 */
export function agentbookSpanProcessor(): SpanProcessor {
  return fanOut;
}

/**
 * Send every agentbook span to `processor` from now on (a BatchSpanProcessor with an exporter of
 * your choice, say). Switches tracing on if nothing else did.
 */
export function addSpanProcessor(processor: SpanProcessor): void {
  fanOut.add(processor);
  if (tracingState() === "off") {
    register({});
    enabledForConsumers = true;
  }
}

/**
 * Stop sending spans to `processor` (it is not shut down); true if it was attached. When it was
 * the last one and tracing was on only for such processors, tracing goes off again.
 */
export function removeSpanProcessor(processor: SpanProcessor): boolean {
  const removed = fanOut.remove(processor);
  if (removed && fanOut.size === 0 && enabledForConsumers) disableTracing();
  return removed;
}
