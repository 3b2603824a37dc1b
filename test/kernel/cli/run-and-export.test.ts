// `agentbook run` and `agentbook export` on a notebook with state across cells, display(), a
// live transcript of a team on the replay model, and a parameter.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { TRANSCRIPT_MIME, type TranscriptPayload } from "agentbook";
import { CLI_PATH } from "../../../kernel/kernelspec.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

function cell(cell_type: "code" | "markdown", source: string, tags?: string[]) {
  return { cell_type, source, metadata: tags ? { tags } : {}, ...(cell_type === "code" ? { outputs: [], execution_count: null } : {}) };
}

const TRIP_NOTEBOOK = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: "agentbook", display_name: "TypeScript (agentbook)", language: "typescript" } },
  cells: [
    cell("markdown", "# Trip planner\nA planner agent on the offline replay model."),
    cell("code", 'const city = "Rome";\nconst days = 2;', ["parameters"]),
    cell(
      "code",
      [
        'import { AssistantAgent, MaxMessageTermination, ReplayChatCompletionClient, RoundRobinGroupChat } from "agentbook";',
        "const planner = new AssistantAgent({",
        '  name: "planner",',
        "  modelClient: new ReplayChatCompletionClient([`A ${days}-day plan for ${city}: museums first, then food.`], { chunkDelayMs: 5 }),",
        "  modelClientStream: true,",
        "});",
        "const team = new RoundRobinGroupChat({ participants: [planner], terminationCondition: new MaxMessageTermination(2) });",
      ].join("\n"),
    ),
    cell("markdown", "Run the team; the transcript updates live."),
    cell("code", "display(team.runStream({ task: `Plan ${days} days in ${city}.` }));"),
    cell("code", 'console.log("summary:", city, days);\ndisplay.markdown(`**${days} days** in ${city}`);\nconst total = days * 10;\ntotal'),
  ].map((entry, index) => ({ id: `cell-${index}`, ...entry })),
};

function agentbook(args: string[], cwd: string) {
  return spawnSync(process.execPath, [CLI_PATH, ...args], { cwd, encoding: "utf8", timeout: 180_000 });
}

describe("agentbook run and export", () => {
  let folder: string;
  before(() => {
    // A project folder as a user would have it: an ES module package with agentbook installed.
    folder = mkdtempSync(join(tmpdir(), "agentbook-cli-"));
    writeFileSync(join(folder, "package.json"), JSON.stringify({ name: "trip", private: true, type: "module" }));
    mkdirSync(join(folder, "node_modules"));
    symlinkSync(ROOT, join(folder, "node_modules", "agentbook"), "dir");
    writeFileSync(join(folder, "trip.ipynb"), JSON.stringify(TRIP_NOTEBOOK));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  test("run executes through the kernel with an injected parameter and writes nbformat 4 with outputs", () => {
    const run = agentbook(["run", "trip.ipynb", "--output", "out", "-p", 'city="Paris"', "-p", "days=3"], folder);
    assert.equal(run.status, 0, run.stderr);
    // Progress per cell (not a terminal here, so one line per cell).
    assert.match(run.stderr, /trip\.ipynb: cell 2 In\[1\] ok \(1\/5/);
    assert.match(run.stderr, /trip\.ipynb: cell 7 In\[5\] ok \(5\/5/);
    const executed = JSON.parse(readFileSync(join(folder, "out", "trip.ipynb"), "utf8"));
    assert.equal(executed.nbformat, 4);
    const injectedAt = executed.cells.findIndex((c: any) => c.metadata.tags?.includes("injected-parameters"));
    assert.equal(injectedAt, 2, "injected right after the parameters cell");
    assert.equal(executed.cells[injectedAt].source, '// Parameters\nconst city = "Paris";\nconst days = 3;');
    const code = executed.cells.filter((c: any) => c.cell_type === "code");
    assert.deepEqual(code.map((c: any) => c.execution_count), [1, 2, 3, 4, 5]);
    const transcript = code[3].outputs;
    assert.equal(transcript.length, 1);
    assert.equal(transcript[0].output_type, "display_data");
    const payload = transcript[0].data[TRANSCRIPT_MIME] as TranscriptPayload;
    assert.equal(payload.status, "done", "the saved output is the final state of the live display");
    assert.deepEqual(payload.entries.map((entry) => entry.message.source), ["user", "planner"]);
    assert.equal(payload.entries[1]!.message.content, "A 3-day plan for Paris: museums first, then food.");
    assert.match(transcript[0].data["text/html"], /A 3-day plan for Paris/);
    assert.match(transcript[0].data["text/plain"], /TextMessage \(planner\)/);
    assert.deepEqual(code[4].outputs, [
      { output_type: "stream", name: "stdout", text: "summary: Paris 3\n" },
      { output_type: "display_data", data: { "text/markdown": "**3 days** in Paris", "text/plain": "**3 days** in Paris" }, metadata: {} },
      { output_type: "execute_result", execution_count: 5, data: { "text/plain": "30" }, metadata: {} },
    ]);
  });

  test("run fails naming the notebook, cell and error, and keeps the outputs so far", () => {
    const failing = {
      ...TRIP_NOTEBOOK,
      cells: [cell("code", "const ok = 1;"), cell("code", "console.log('before');\nthrow new TypeError('no such city')"), cell("code", "console.log('never')")],
    };
    writeFileSync(join(folder, "failing.ipynb"), JSON.stringify(failing));
    const run = agentbook(["run", "failing.ipynb", "--inplace"], folder);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /agentbook: failing\.ipynb: cell 2 \(In\[2\]\) failed: TypeError: no such city/);
    const saved = JSON.parse(readFileSync(join(folder, "failing.ipynb"), "utf8"));
    assert.deepEqual(saved.cells[1].outputs[0], { output_type: "stream", name: "stdout", text: "before\n" });
    assert.equal(saved.cells[1].outputs[1].ename, "TypeError");
    assert.deepEqual(saved.cells[2].outputs, []);
    const allowed = agentbook(["run", "failing.ipynb", "--allow-errors", "--inplace"], folder);
    assert.equal(allowed.status, 0, allowed.stderr);
    assert.deepEqual(JSON.parse(readFileSync(join(folder, "failing.ipynb"), "utf8")).cells[2].outputs, [{ output_type: "stream", name: "stdout", text: "never\n" }]);
  });

  test("a cell that runs past --timeout is interrupted and reported", () => {
    writeFileSync(join(folder, "slow.ipynb"), JSON.stringify({ ...TRIP_NOTEBOOK, cells: [cell("code", "while (true) {}")] }));
    const run = agentbook(["run", "slow.ipynb", "--timeout", "1"], folder);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /cell 1 \(In\[1\]\) failed: CellTimeoutError: the cell ran longer than 1 s/);
  });

  test("bad input gets one line and exit code 2", () => {
    writeFileSync(join(folder, "notes.txt"), "not json");
    writeFileSync(join(folder, "python.ipynb"), JSON.stringify({ ...TRIP_NOTEBOOK, metadata: { kernelspec: { name: "python3", language: "python" } } }));
    for (const [args, message] of [
      [["run", "missing.ipynb"], /^agentbook: missing\.ipynb: no such file\.\n$/],
      [["run", "notes.txt"], /^agentbook: notes\.txt is not a notebook: it is not JSON/],
      [["run", "python.ipynb"], /^agentbook: python\.ipynb uses the kernel "python3" \(python\)/],
      [["export", "missing.ipynb"], /^agentbook: missing\.ipynb: no such file\.\n$/],
      [["run", "trip.ipynb", "-p", "not an identifier=1"], /^agentbook: -p not an identifier/],
    ] as const) {
      const run = agentbook([...args], folder);
      assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split("\n").length, 1);
    }
  });

  test("export writes a module that runs with tsx and does what the notebook does", () => {
    const exported = agentbook(["export", "trip.ipynb", "-o", "trip.ts"], folder);
    assert.equal(exported.status, 0, exported.stderr);
    const source = readFileSync(join(folder, "trip.ts"), "utf8");
    assert.match(source, /^\/\/ trip\.ipynb, exported by agentbook/);
    assert.match(source, /import \{ display \} from "agentbook";/);
    assert.match(source, /\/\/ # Trip planner\n\/\/ A planner agent on the offline replay model\./);
    assert.match(source, /await display\(team\.runStream/);
    assert.match(source, /await display\(total\)\n/);
    const script = spawnSync(TSX, ["trip.ts"], { cwd: folder, encoding: "utf8", timeout: 120_000 });
    assert.equal(script.status, 0, script.stderr);
    // The live transcript falls back to Console in a terminal.
    assert.match(script.stdout, /---------- TextMessage \(user\) ----------\nPlan 2 days in Rome\./);
    assert.match(script.stdout, /A 2-day plan for Rome: museums first, then food\./);
    assert.match(script.stdout, /summary: Rome 2\n\*\*2 days\*\* in Rome\n20\n/);
  });

  test("export turns a redeclaration in a later cell into an assignment", () => {
    const notebook = {
      ...TRIP_NOTEBOOK,
      cells: [cell("code", "const greeting = 'hi';"), cell("code", "const greeting: string = 'hello';\ngreeting.length"), cell("code", "console.log(greeting)")],
    };
    writeFileSync(join(folder, "redeclare.ipynb"), JSON.stringify(notebook));
    assert.equal(agentbook(["export", "redeclare.ipynb"], folder).status, 0);
    const source = readFileSync(join(folder, "redeclare.ts"), "utf8");
    assert.match(source, /let greeting = 'hi';/);
    assert.match(source, /\ngreeting = 'hello';\nawait display\(greeting\.length\)\n/);
    const script = spawnSync(TSX, ["redeclare.ts"], { cwd: folder, encoding: "utf8", timeout: 120_000 });
    assert.equal(script.status, 0, script.stderr);
    assert.equal(script.stdout, "5\nhello\n");
  });
});
