/**
 * A local OTLP/HTTP trace receiver for tests: accepts `POST /v1/traces` with JSON bodies on
 * 127.0.0.1 (only with the expected Authorization header), keeps the raw bodies and decodes
 * the spans.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** An attribute as OTLP JSON encodes it. */
interface OtlpAnyValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpAnyValue[] };
}

/** A span as the receiver decoded it. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
  status: { code?: number; message?: string };
  scope: string;
  resource: Record<string, unknown>;
}

export interface OtlpReceiver {
  readonly url: string;
  /** Every request body, as received. */
  readonly bodies: string[];
  /** Every span decoded so far. */
  readonly spans: ReceivedSpan[];
  /** Requests refused for a missing or wrong Authorization header. */
  readonly refused: number;
  close(): Promise<void>;
}

function decodeValue(value: OtlpAnyValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(decodeValue);
  return undefined;
}

function decodeAttributes(list: Array<{ key: string; value: OtlpAnyValue }> | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, decodeValue(value)]));
}

/** Start a receiver that only accepts requests carrying `Authorization: <authorization>`. */
export async function startOtlpReceiver(authorization: string): Promise<OtlpReceiver> {
  const bodies: string[] = [];
  const spans: ReceivedSpan[] = [];
  let refused = 0;
  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on("data", (part: Buffer) => parts.push(part));
    request.on("end", () => {
      if (request.method !== "POST" || request.url !== "/v1/traces") {
        response.writeHead(404).end();
        return;
      }
      if (request.headers.authorization !== authorization) {
        refused++;
        response.writeHead(401).end();
        return;
      }
      const body = Buffer.concat(parts).toString("utf8");
      bodies.push(body);
      const decoded = JSON.parse(body) as {
        resourceSpans?: Array<{
          resource?: { attributes?: Array<{ key: string; value: OtlpAnyValue }> };
          scopeSpans?: Array<{ scope?: { name?: string }; spans?: Array<Record<string, any>> }>;
        }>;
      };
      for (const resourceSpans of decoded.resourceSpans ?? []) {
        const resource = decodeAttributes(resourceSpans.resource?.attributes);
        for (const scopeSpans of resourceSpans.scopeSpans ?? [])
          for (const span of scopeSpans.spans ?? [])
            spans.push({
              traceId: span.traceId,
              spanId: span.spanId,
              ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
              name: span.name,
              kind: span.kind,
              startTimeUnixNano: String(span.startTimeUnixNano),
              endTimeUnixNano: String(span.endTimeUnixNano),
              attributes: decodeAttributes(span.attributes),
              events: (span.events ?? []).map((event: any) => ({ name: event.name, attributes: decodeAttributes(event.attributes) })),
              status: span.status ?? {},
              scope: scopeSpans.scope?.name ?? "",
              resource,
            });
      }
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    bodies,
    spans,
    get refused() {
      return refused;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
