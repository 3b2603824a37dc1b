// Continue a team in a child process: the state goes through a file as JSON, the child builds a
// new team (team-builders.ts, "resumed" scripts), loads it, runs on and reports back.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { LLMMessage, TeamState } from "agentbook";
import type { TeamKind } from "./team-builders.ts";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const script = fileURLToPath(new URL("./fixtures/resume-team.ts", import.meta.url));

export interface FreshProcessOutcome {
  messages: Array<[string, unknown]>;
  stopReason?: string;
  /** What each model was shown, by model name. */
  contexts: Record<string, LLMMessage[][]>;
}

export async function continueInFreshProcess(kind: TeamKind, state: TeamState): Promise<FreshProcessOutcome> {
  const dir = await mkdtemp(join(tmpdir(), "agentbook-team-state-"));
  try {
    const file = join(dir, "team.json");
    await writeFile(file, JSON.stringify(state));
    const { stdout } = await run(process.execPath, ["--import", "tsx", script, kind, file], { cwd: repoRoot, timeout: 60_000 });
    return JSON.parse(stdout) as FreshProcessOutcome;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
