/**
 * Message throughput of the core runtime (SingleThreadedAgentRuntime) against a plain Node
 * EventEmitter doing the same dispatch, the floor no runtime can beat, interleaved in one run:
 *  1. publish: messages published to a topic with N subscribing agents (N = 1, 10, 100), in
 *     batches of 2,000 deliveries (2,000 / N messages), timed until every agent handled every
 *     message;
 *  2. send/reply: batches of 1,000 sequential request/response round trips to one agent.
 * Each iteration is one batch; the tables give batch times and the ratio to the floor, then
 * messages and deliveries per second.
 */
import { EventEmitter } from "node:events";
import { AgentId, RoutedAgent, SingleThreadedAgentRuntime, TopicId, TypeSubscription } from "agentbook";
import { compare, measureInterleaved, percentile, printTable } from "./stats.ts";
import type { Contender } from "./stats.ts";

const iterations = Number(process.env.BENCH_ITERATIONS ?? 60);
const DELIVERIES = 2_000;
const ROUND_TRIPS = 1_000;

interface Ping {
  type: "Ping";
  n: number;
}

/** Counts what it receives and tells the batch when the expected number arrived. */
class Counter {
  count = 0;
  target = 0;
  #done?: () => void;

  expect(target: number): Promise<void> {
    this.count = 0;
    this.target = target;
    return new Promise((resolve) => (this.#done = resolve));
  }

  hit(): void {
    if (++this.count === this.target) this.#done?.();
  }
}

class SinkAgent extends RoutedAgent {
  constructor(counter: Counter) {
    super("counts what it hears");
    this.handle<Ping>("Ping", () => counter.hit());
  }
}

class EchoAgent extends RoutedAgent {
  constructor() {
    super("answers every ping");
    this.handle<Ping>("Ping", (message) => ({ type: "Pong", n: message.n }), { kind: "rpc" });
  }
}

// ---- 1. publish to N subscribers --------------------------------------------------------------

async function publishContenders(subscribers: number): Promise<{ contenders: Contender[]; stop: () => Promise<void> }> {
  const runtimeCounter = new Counter();
  const runtime = new SingleThreadedAgentRuntime();
  const topic = new TopicId("news", "default");
  for (let index = 0; index < subscribers; index++) {
    const type = `sink_${index}`;
    await runtime.registerFactory(type, () => new SinkAgent(runtimeCounter));
    await runtime.addSubscription(new TypeSubscription({ topicType: "news", agentType: type }));
  }
  runtime.start();

  const emitterCounter = new Counter();
  const emitter = new EventEmitter();
  emitter.setMaxListeners(subscribers + 1);
  for (let index = 0; index < subscribers; index++) emitter.on("news", () => emitterCounter.hit());

  const messages = DELIVERIES / subscribers;
  const contenders: Contender[] = [
    {
      name: `EventEmitter, ${subscribers} sub`,
      run: async () => {
        const done = emitterCounter.expect(DELIVERIES);
        for (let n = 0; n < messages; n++) emitter.emit("news", { type: "Ping", n });
        await done;
      },
    },
    {
      name: `runtime publish, ${subscribers} sub`,
      run: async () => {
        const done = runtimeCounter.expect(DELIVERIES);
        for (let n = 0; n < messages; n++) await runtime.publishMessage({ type: "Ping", n } satisfies Ping, topic);
        await done;
      },
    },
  ];
  return { contenders, stop: () => runtime.stop() };
}

// ---- 2. send and reply ---------------------------------------------------------------------

async function sendContenders(): Promise<{ contenders: Contender[]; stop: () => Promise<void> }> {
  const runtime = new SingleThreadedAgentRuntime();
  await runtime.registerFactory("echo", () => new EchoAgent());
  const echo = new AgentId("echo", "default");
  runtime.start();

  const emitter = new EventEmitter();
  emitter.on("ping", (message: Ping, reply: (answer: unknown) => void) => reply({ type: "Pong", n: message.n }));
  const request = (message: Ping) => new Promise((resolve) => emitter.emit("ping", message, resolve));

  const contenders: Contender[] = [
    {
      name: "EventEmitter request/reply",
      run: async () => {
        for (let n = 0; n < ROUND_TRIPS; n++) await request({ type: "Ping", n });
      },
    },
    {
      name: "runtime sendMessage",
      run: async () => {
        for (let n = 0; n < ROUND_TRIPS; n++) await runtime.sendMessage({ type: "Ping", n } satisfies Ping, echo);
      },
    },
  ];
  return { contenders, stop: () => runtime.stop() };
}

/** Rates at the median batch time, one column per count of things a batch does. */
function printRates(results: ReadonlyArray<{ name: string; times: number[] }>, perBatch: Record<string, number>): void {
  console.log(`${"".padEnd(28)}${Object.keys(perBatch).map((label) => label.padStart(16)).join("")}`);
  for (const { name, times } of results) {
    const seconds = percentile(times, 50) / 1000;
    const cells = Object.values(perBatch).map((count) => Math.round(count / seconds).toLocaleString("en-US").padStart(16));
    console.log(`${name.padEnd(28)}${cells.join("")}`);
  }
}

console.log(`${iterations} iterations each, Node ${process.version}.`);
for (const subscribers of [1, 10, 100]) {
  const { contenders, stop } = await publishContenders(subscribers);
  const results = await measureInterleaved(contenders, { warmup: 5, iterations });
  await stop();
  printTable(`publish to ${subscribers} subscriber${subscribers === 1 ? "" : "s"} (ms per ${DELIVERIES / subscribers} messages)`, compare(results));
  printRates(results, { "messages/s": DELIVERIES / subscribers, "deliveries/s": DELIVERIES });
}
{
  const { contenders, stop } = await sendContenders();
  const results = await measureInterleaved(contenders, { warmup: 5, iterations });
  await stop();
  printTable(`send and reply (ms per ${ROUND_TRIPS} sequential round trips)`, compare(results));
  printRates(results, { "round trips/s": ROUND_TRIPS });
}
