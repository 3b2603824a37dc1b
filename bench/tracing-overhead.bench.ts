/**
 * What tracing costs on one agent turn with one tool call (the agent-overhead workload, against
 * the local OpenAI-compatible server), interleaved in one run:
 *  - instrumentation switched off (`setTelemetryOptions({ enabled: false })`): the baseline;
 *  - no tracer provider: the library's spans are OpenTelemetry no-ops (the default);
 *  - an in-process session recording every span and deriving its events;
 *  - OTLP/HTTP export (batched, JSON) to a local receiver.
 * The ratio column is p50 over the baseline's p50. Aim: under 1.03 with no provider.
 */
import {
  OpenAIChatCompletionClient,
  addSpanProcessor,
  otlpSpanProcessor,
  removeSpanProcessor,
  setTelemetryOptions,
  startSession,
  tracingState,
} from "agentbook";
import { startOpenAIServer } from "../test/fixtures/openai-server.ts";
import { startOtlpReceiver } from "../test/library/telemetry/otlp-receiver.ts";
import { agentbookTurn, MODEL, toolResponder } from "./agent-turn.ts";
import { compare, measureInterleaved, printTable } from "./stats.ts";

const iterations = Number(process.env.BENCH_ITERATIONS ?? 300);
const server = await startOpenAIServer({ responder: toolResponder });
const receiver = await startOtlpReceiver("Bearer bench");
const client = new OpenAIChatCompletionClient({ model: MODEL, apiKey: "sk-bench", baseURL: server.url, maxRetries: 0 });
const turn = agentbookTurn(client);
const otlp = await otlpSpanProcessor({ url: receiver.url, headers: { Authorization: "Bearer bench" }, scheduledDelayMillis: 200 });

/** Spans of one turn: the agent, two model calls, one tool. */
const SPANS_PER_TURN = 4;

const contenders = [
  {
    name: "instrumentation off",
    run: async () => {
      setTelemetryOptions({ enabled: false });
      try {
        await turn();
      } finally {
        setTelemetryOptions({ enabled: true });
      }
    },
  },
  {
    name: "no provider (default)",
    run: async () => {
      if (tracingState() !== "off") throw new Error(`tracing is ${tracingState()}, expected off`);
      await turn();
    },
  },
  {
    name: "in-process session",
    run: async () => {
      const session = startSession();
      await turn();
      session.end();
      if (session.spans.length !== SPANS_PER_TURN) throw new Error(`the session recorded ${session.spans.length} spans`);
    },
  },
  {
    name: "OTLP export (local)",
    run: async () => {
      addSpanProcessor(otlp);
      try {
        await turn();
      } finally {
        removeSpanProcessor(otlp);
      }
    },
  },
];

const results = await measureInterleaved(contenders, { warmup: 20, iterations });
printTable(`Tracing overhead on one agent turn with one tool call (2 model calls), ${iterations} runs`, compare(results));

await otlp.forceFlush();
const expected = (iterations + 20) * SPANS_PER_TURN;
console.log(`OTLP receiver got ${receiver.spans.length} spans (expected ${expected}) in ${receiver.bodies.length} requests.`);
if (receiver.spans.length !== expected) process.exitCode = 1;
await otlp.shutdown();
await receiver.close();
await server.close();
await client.close();
