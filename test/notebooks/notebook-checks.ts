// What each bundled notebook must show, and how the tests run it: `agentbook run` headless on the
// offline replay model (type errors fail it too), then `agentbook export` and the script it makes.
// The notebooks run in place from notebooks/ (their relative paths, such as data/prices.csv, are
// relative to it); the executed copies go to a temporary folder, the exported scripts to a
// git-ignored folder inside notebooks/ so that they resolve "agentbook" as the notebooks do.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { TRANSCRIPT_MIME, type AgentMessage, type TranscriptPayload } from "agentbook";
import { CLI_PATH } from "../../kernel/kernelspec.ts";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");
export const NOTEBOOKS = join(ROOT, "notebooks");
const NO_HUMAN = fileURLToPath(new URL("./no-human-input.ts", import.meta.url));
/** Live model variables are overridden: the tests always run the scripted offline model. */
const OFFLINE_ENV = { ...process.env, AGENTBOOK_MODEL_PROVIDER: "offline" };

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}
interface Cell {
  cell_type: string;
  source: string | string[];
  metadata: { tags?: string[] };
  outputs?: Output[];
  execution_count?: number | null;
}
export interface NotebookJson {
  metadata: { kernelspec?: { name: string; display_name: string; language: string }; language_info?: { name: string } };
  cells: Cell[];
}

const joined = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join("") : (value ?? ""));
export const outputsOf = (notebook: NotebookJson) => notebook.cells.flatMap((cell) => cell.outputs ?? []);
const stdoutOf = (notebook: NotebookJson) =>
  outputsOf(notebook)
    .filter((output) => output.output_type === "stream" && output.name === "stdout")
    .map((output) => joined(output.text))
    .join("");
const transcriptsOf = (notebook: NotebookJson) =>
  outputsOf(notebook)
    .filter((output) => output.data?.[TRANSCRIPT_MIME])
    .map((output) => output.data![TRANSCRIPT_MIME] as TranscriptPayload);
const messagesOf = (transcript: TranscriptPayload): AgentMessage[] => transcript.entries.map((entry) => entry.message);
/** The transcript whose run started with this task text. */
function transcriptOf(notebook: NotebookJson, task: string | RegExp): TranscriptPayload {
  const found = transcriptsOf(notebook).filter((transcript) => {
    const first = transcript.entries[0]?.message;
    return first !== undefined && typeof first.content === "string" && (typeof task === "string" ? first.content === task : task.test(first.content));
  });
  assert.equal(found.length, 1, `one transcript of the run with the task ${task}`);
  return found[0]!;
}
const ofType = <T extends AgentMessage["type"]>(messages: AgentMessage[], type: T) =>
  messages.filter((message): message is Extract<AgentMessage, { type: T }> => message.type === type);
const chatText = (messages: AgentMessage[], source: string) =>
  messages.filter((message) => message.source === source && typeof message.content === "string" && !message.type.endsWith("Event")).map((message) => message.content as string);

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a command in its own process group; past `timeoutMs` the whole group (kernel included) is killed. */
function runProcess(command: string, args: string[], options: { cwd: string; timeoutMs: number }): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: OFFLINE_ENV, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${options.timeoutMs} ms]`;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** What each notebook's outputs must show, and what its exported script must print. */
interface NotebookExpectations {
  outputs: (notebook: NotebookJson) => void;
  script: RegExp[];
  /** The exported script asks `input()`; preload a front end with nobody to answer, as under `agentbook run`. */
  noHuman?: boolean;
}

export const EXPECTATIONS: Record<string, NotebookExpectations> = {
  "01-first-agents.ipynb": {
    outputs(notebook) {
      const stdout = stdoutOf(notebook);
      assert.match(stdout, /The environment selects: offline\nagentbook model: offline replay/);

      const chat = messagesOf(transcriptOf(notebook, "Plot a chart of NVDA and TESLA stock price change YTD."));
      assert.deepEqual(chat.filter((message) => message.type !== "UserInputRequestedEvent").map((message) => message.source), [
        "user_proxy",
        "assistant",
        "user_proxy",
        "assistant",
        "user_proxy",
      ]);
      assert.equal(ofType(chat, "UserInputRequestedEvent").length, 2, "the human is asked on each of its turns");
      assert.deepEqual(chatText(chat, "user_proxy").slice(1), ["Should the chart show prices or percentage change?", "Clear, thank you. TERMINATE"]);

      const chunks = Number(/the (\d+) chunks are not kept/.exec(stdout)?.[1]);
      assert.ok(chunks > 10, `the caption streamed in many chunks (${chunks})`);
      assert.match(stdout, /---------- Summary ----------\nNumber of messages: 5\nFinish reason: Text 'APPROVE' mentioned/);
      const live = transcriptsOf(notebook).find((transcript) => transcript.title === "poet and critic");
      assert.equal(live?.status, "done", "the live transcript is saved in its final state");
      assert.deepEqual(messagesOf(live!).map((message) => message.source), ["user", "poet", "critic", "poet", "critic"]);

      const pipeline = messagesOf(transcriptOf(notebook, "Start."));
      assert.deepEqual(chatText(pipeline, "custom_processor"), ["Processed: This is a custom reply from the agent."]);

      const state = outputsOf(notebook).find((output) => output.data?.["application/json"])?.data!["application/json"] as {
        type: string;
        llmContext: { messages: Array<{ content: string }> };
      };
      assert.equal(state.type, "AssistantAgentState");
      assert.equal(state.llmContext.messages[0]!.content, "Remember this: my favourite ticker is NVDA.");
      assert.ok(stdout.includes("RoundRobinGroupChat: 7 messages in the thread"));
    },
    script: [/Processed: This is a custom reply from the agent\./, /Finish reason: Text 'APPROVE' mentioned/, /Clear, thank you\. TERMINATE/],
  },

  "02-tools.ipynb": {
    outputs(notebook) {
      const stdout = stdoutOf(notebook);
      assert.ok(stdout.includes("The current weather in Paris is 18°C and Overcast."), "the tool called directly reached the API");

      // The tool really called the weather API, and its answer reached the model as the call's result.
      const newYork = messagesOf(transcriptOf(notebook, "What's the weather like in New York today?"));
      assert.deepEqual(ofType(newYork, "ToolCallRequestEvent")[0]!.content.map((call) => [call.name, JSON.parse(call.arguments)]), [
        ["get_weather", { location: "New York" }],
      ]);
      const [result] = ofType(newYork, "ToolCallExecutionEvent")[0]!.content;
      assert.deepEqual(result, { callId: "call_1_get_weather", name: "get_weather", content: "The current weather in New York is 22°C and Partly cloudy.", isError: false });
      assert.equal(newYork.at(-1)!.type, "TextMessage", "the model answered after reading the result");

      const parallel = ofType(messagesOf(transcriptOf(notebook, "Compare the weather in New York, London and Tokyo.")), "ToolCallExecutionEvent")[0]!;
      assert.deepEqual(parallel.content.map((call) => call.content), [
        "The current weather in New York is 22°C and Partly cloudy.",
        "The current weather in London is 14°C and Light rain.",
        "The current weather in Tokyo is 26°C and Sunny.",
      ]);
      assert.match(stdout, /3 calls answered in \d+ ms \(250 ms each at the API\); the API was answering 3 requests at once/);

      const failures = ofType(messagesOf(transcriptOf(notebook, /Atlantis/)), "ToolCallExecutionEvent")[0]!.content;
      assert.deepEqual(failures.map((call) => call.isError), [true, true]);
      assert.equal(failures[0]!.content, 'Error: tool "get_weather" failed: No matching location found.', "the API's own error message");
      assert.match(failures[1]!.content, /unit: expected one of "celsius", "fahrenheit", got the string "kelvin"/);

      const summary = messagesOf(transcriptOf(notebook, "Weather in Paris, and in Tokyo in fahrenheit?")).at(-1)!;
      assert.equal(summary.type, "ToolCallSummaryMessage");
      assert.equal(
        summary.content,
        'get_weather({"location":"Paris"}) -> The current weather in Paris is 18°C and Overcast.\n' +
          'get_weather({"location":"Tokyo","unit":"fahrenheit"}) -> The current weather in Tokyo is 79°F and Sunny.',
      );

      const [oneRound, chained] = transcriptsOf(notebook).filter((transcript) => transcript.entries[0]!.message.content === "What's the weather where our user Ada lives?");
      assert.equal(messagesOf(oneRound!).at(-1)!.content, '[{"id":1,"name":"Ada","city":"London"}]', "one round: the summary of the user lookup");
      assert.deepEqual(
        ofType(messagesOf(chained!), "ToolCallExecutionEvent").map((event) => event.content[0]!.content),
        ['[{"id":1,"name":"Ada","city":"London"}]', "The current weather in London is 14°C and Light rain."],
      );
      assert.equal(messagesOf(chained!).at(-1)!.type, "TextMessage");

      const report = messagesOf(transcriptOf(notebook, "Weather report for London."));
      assert.equal(ofType(report, "ToolCallExecutionEvent")[0]!.content[0]!.content, "The current weather in London is 14°C and Light rain.");
      assert.deepEqual(ofType(report, "StructuredMessage")[0]!.content, { city: "London", temperatureC: 14, condition: "Light rain", packUmbrella: true });
      assert.match(stdout, /London: 14°C\. Take an umbrella\.\n[\s\S]*weather API stopped/);
    },
    script: [/The current weather in New York is 22°C and Partly cloudy\./, /3 calls answered in \d+ ms/, /London: 14°C\. Take an umbrella\./, /weather API stopped/],
  },

  "03-code-execution.ipynb": {
    outputs(notebook) {
      const stdout = stdoutOf(notebook);
      assert.match(stdout, /exit code 0\nHello, World!\n5 \+ 3 = 8/);

      const chart = messagesOf(transcriptOf(notebook, /^Plot a chart of the NVDA and TSLA/));
      assert.deepEqual(chart.filter((message) => message.type !== "CodeExecutionEvent").map((message) => message.source), ["user", "coder", "executor", "coder"]);
      const [execution] = ofType(chart, "CodeExecutionEvent");
      assert.equal(execution!.result.exitCode, 0);
      assert.match(execution!.result.output, /NVDA: \+142\.9% from 2024-01-05 to 2024-06-28\nTSLA: \+7\.3% from 2024-01-05 to 2024-06-28/);
      assert.deepEqual(execution!.result.files?.map((file) => [file.name, file.mimeType]), [["ytd_change.svg", "image/svg+xml"]]);
      const svg = outputsOf(notebook).find((output) => output.data?.["image/svg+xml"])?.data!["image/svg+xml"];
      assert.equal(typeof svg, "string", "the chart is shown as an SVG output");
      assert.equal((svg as string).match(/<polyline/g)?.length, 2, "one line per ticker");
      assert.ok((svg as string).includes("NVDA +142.9%"));

      assert.match(stdout, /exit code 124 after \d+\.\d s\npolling forever\.\.\.\nTimeout: the code ran longer than 2 s/);
      assert.ok(stdout.includes("DEMO_API_KEY is not visible to the code"));
      const denied = messagesOf(transcriptOf(notebook, /^Clean up the old charts/));
      assert.deepEqual(chatText(denied, "executor"), ["Code execution was not approved. Reason: the code uses rmSync, which can delete files or start processes"]);
      assert.equal(chatText(messagesOf(transcriptOf(notebook, /NVDA: /)), "executor")[0]!.trim(), "NVDA: 142.9%");
      assert.match(stdout, /Skipped the Docker run/);
      assert.match(stdout, /executors stopped/);
    },
    script: [/Hello, World!/, /NVDA: \+142\.9% from 2024-01-05/, /Code execution was not approved/, /executors stopped/],
  },

  "04-group-chat.ipynb": {
    outputs(notebook) {
      const stdout = stdoutOf(notebook);
      assert.ok(stdout.includes("user_proxy -> researcher -> coder -> reviewer -> user_proxy\n"), "the manager's picks");
      const managed = transcriptsOf(notebook).find((transcript) => transcript.title === "group chat with a manager")!;
      assert.deepEqual(ofType(messagesOf(managed), "SelectSpeakerEvent").map((event) => event.content), [["researcher"], ["coder"], ["reviewer"], ["user_proxy"]]);
      assert.ok(stdout.includes("user_proxy -> researcher -> coder -> reviewer -> coder -> reviewer -> user_proxy\n"), "the allowed order, one revision");
      assert.ok(stdout.includes("user_proxy -> researcher -> coder -> reviewer -> coder -> reviewer\nstop reason: The graph is complete"), "the review loop as a graph");
      assert.deepEqual(
        messagesOf(transcriptOf(notebook, /^Start task: summarise our Q2 report/)).map((message) => message.source),
        ["agent1", "agent2", "agent3", "agent1"],
      );
      assert.ok(stdout.includes("user -> coordinator -> specialist_0 -> coordinator -> specialist_1 -> coordinator -> specialist_2 -> coordinator\n"));
      assert.ok(stdout.includes("steps: coordinator  |  specialist_0 + specialist_1 + specialist_2  |  coordinator"), "the specialists speak in one step");
      assert.ok(stdout.includes("user -> agent_0 -> agent_1 -> agent_2 -> agent_0\n"), "routed by what each message is about");

      const swarm = messagesOf(transcriptsOf(notebook).find((transcript) => transcript.title === "swarm")!);
      assert.deepEqual(ofType(swarm, "HandoffMessage").map((handoff) => [handoff.source, handoff.target]), [["triage", "billing"]]);
      const lookup = ofType(swarm, "ToolCallExecutionEvent").find((event) => event.content[0]!.name === "lookup_invoice")!;
      assert.deepEqual(JSON.parse(lookup.content[0]!.content), { invoiceId: "1042", amountEur: 49, status: "paid", refundable: true });
      assert.ok(stdout.includes("user -> triage -> billing\n"));

      assert.match(stdout, /stopped because: Token usage limit reached/);
      assert.deepEqual(
        messagesOf(transcriptOf(notebook, "I need to analyze sentiment in tweets about climate change.")).map((message) => message.source),
        ["user_proxy", "planner", "executor"],
      );
      const handedOver = messagesOf(transcriptOf(notebook, /^Here's the plan:\n1\. Collect a sample of tweets/));
      assert.equal(handedOver[1]!.source, "executor");
    },
    script: [/user_proxy -> researcher -> coder -> reviewer -> user_proxy/, /steps: coordinator {2}\| {2}specialist_0 \+ specialist_1 \+ specialist_2/, /user -> triage -> billing/],
  },

  "05-human-in-the-loop.ipynb": {
    outputs(notebook) {
      const stdout = stdoutOf(notebook);
      const review = messagesOf(transcriptsOf(notebook).find((transcript) => transcript.title === "human review")!);
      assert.equal(ofType(review, "UserInputRequestedEvent").length, 2);
      assert.deepEqual(chatText(review, "reviewer"), ["Shorter, and mention that it fits on a desk.", "APPROVE"]);
      assert.match(stdout, /Enter your response: APPROVE {4}<- scripted: no one can answer here \(input\(\) needs a front end/);

      const paused = transcriptOf(notebook, "Book me a hotel room in Lisbon.");
      assert.equal(paused.stopReason, "Handoff to user from travel_agent detected.");
      const resumed = messagesOf(transcriptOf(notebook, "From 12 to 15 March, for two people."));
      assert.deepEqual([resumed[0]!.type, resumed[0]!.source], ["HandoffMessage", "user"]);
      assert.match(chatText(resumed, "travel_agent")[0]!, /^Booked: .*TERMINATE$/);

      const stopped = transcriptsOf(notebook).find((transcript) => transcript.title === "stopped from outside")!;
      assert.match(stopped.stopReason ?? "", /External termination requested/);
      assert.match(stdout, /continued with: critic, [a-z, ]+; stopped because: Maximum number of messages 6 reached/);

      const words = Number(/The operation was cancelled\. The answer had reached (\d+) words/.exec(stdout)?.[1]);
      assert.ok(words < 60, `the essay was cut off before its end (${words} words streamed)`);
      assert.deepEqual(chatText(messagesOf(transcriptOf(notebook, "In one sentence, then.")), "essayist"), ["Grinders went from hand mills to quiet electric burr grinders."]);
    },
    script: [/<- scripted: no one can answer here/, /Booked: a double room/, /stopped because: External termination requested/, /The operation was cancelled\./],
    noHuman: true,
  },
};

/** What no saved output may contain: where this machine keeps the project, its temp files and its home. */
const MACHINE_PATHS = [ROOT, tmpdir(), homedir()].filter((path) => path.length > 1);

export function assertCleanOutputs(notebook: NotebookJson, where: string): void {
  for (const cell of notebook.cells.filter((cell) => cell.cell_type === "code")) {
    assert.equal(typeof cell.execution_count, "number", `${where}: every code cell ran (${joined(cell.source).split("\n")[0]})`);
    for (const output of cell.outputs ?? []) {
      assert.notEqual(output.output_type, "error", `${where}: ${output.ename}: ${output.evalue}`);
      assert.notEqual(output.name, "stderr", `${where}: nothing on stderr: ${joined(output.text)}`);
    }
  }
  const saved = JSON.stringify(outputsOf(notebook));
  for (const path of MACHINE_PATHS) assert.ok(!saved.includes(path), `${where}: an output names the machine path ${path}`);
  assert.ok(!saved.includes("sk-demo"), `${where}: a secret reached an output`);
  for (const output of outputsOf(notebook).filter((output) => output.data?.[TRANSCRIPT_MIME])) {
    assert.equal(typeof output.data!["text/html"], "string", `${where}: transcripts carry an HTML fallback`);
    assert.equal(typeof output.data!["text/plain"], "string", `${where}: transcripts carry a text fallback`);
  }
}

/**
 * Register the test of one notebook: run it headless (to a temporary folder, never in place), check
 * its outputs, then export it and run the script. One file per notebook, so each gets the test
 * runner's per-file time budget and a notebook can be tested on its own (`node test/run.mjs 03-code`).
 */
export function testNotebook(name: string): void {
  const expectations = EXPECTATIONS[name];
  if (!expectations) throw new Error(`No expectations for ${name}; add them to EXPECTATIONS.`);
  let executedDir: string;
  let exportDir: string;
  before(() => {
    executedDir = mkdtempSync(join(tmpdir(), "agentbook-notebook-"));
    exportDir = mkdtempSync(join(NOTEBOOKS, ".exported-"));
  });
  after(() => {
    rmSync(executedDir, { recursive: true, force: true });
    rmSync(exportDir, { recursive: true, force: true });
  });

  test(`${name} runs headless with the outputs its prose promises`, { timeout: 170_000 }, async (t) => {
    const started = performance.now();
    const run = await runProcess(process.execPath, [CLI_PATH, "run", "--strict", "--timeout", "120", "--output", executedDir, join(NOTEBOOKS, name)], {
      cwd: ROOT,
      timeoutMs: 160_000,
    });
    t.diagnostic(`agentbook run: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    assert.equal(run.code, 0, `agentbook run ${name} failed:\n${run.stderr}`);
    const executed = JSON.parse(readFileSync(join(executedDir, name), "utf8")) as NotebookJson;
    assertCleanOutputs(executed, name);
    expectations.outputs(executed);
  });

  test(`${name} exported runs as a script with the same results`, { timeout: 120_000 }, async (t) => {
    const started = performance.now();
    const scriptPath = join(exportDir, name.replace(/\.ipynb$/, ".ts"));
    const exported = await runProcess(process.execPath, [CLI_PATH, "export", join(NOTEBOOKS, name), "-o", scriptPath], { cwd: ROOT, timeoutMs: 60_000 });
    assert.equal(exported.code, 0, exported.stderr);
    const preload = expectations.noHuman ? ["--import", NO_HUMAN] : [];
    const script = await runProcess(process.execPath, ["--import", "tsx", ...preload, scriptPath], { cwd: NOTEBOOKS, timeoutMs: 100_000 });
    t.diagnostic(`export and script: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    assert.equal(script.code, 0, `the exported ${name} failed:\n${script.stderr}`);
    for (const expected of expectations.script) assert.match(script.stdout, expected, `the exported ${name} prints ${expected}`);
  });
}
