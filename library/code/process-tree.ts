import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { constants } from "node:os";
import type { CancellationToken } from "../core/cancellation-token.ts";
import { CappedOutput } from "./capped-output.ts";

/** How to run one command. */
export interface ProcessGroupOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** Kill the whole tree after this many milliseconds. */
  timeoutMs: number;
  /** Keep at most this many characters of combined stdout and stderr. */
  maxOutputChars: number;
  cancellationToken?: CancellationToken;
}

/** How a command ended. */
export interface ProcessOutcome {
  /** The exit code, 128 + signal number when a signal ended it, 124 on timeout, 125 on cancellation. */
  exitCode: number;
  /** stdout and stderr interleaved as they arrived, capped. */
  output: string;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when the command could not be started at all (not found, not executable). */
  spawnError?: NodeJS.ErrnoException;
}

interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
  zombie: boolean;
}

function readProcTable(): ProcStat[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return undefined;
  }
  const table: ProcStat[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name is in parentheses and may contain spaces; fields after it are fixed.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      table.push({
        pid: Number(entry),
        zombie: fields[0] === "Z",
        ppid: Number(fields[1]),
        pgrp: Number(fields[2]),
        session: Number(fields[3]),
      });
    } catch {
      // The process ended while we were reading.
    }
  }
  return table;
}

/** Processes that belong to the tree started as `rootPid`: its group and session, and every descendant. */
function treeMembers(rootPid: number): number[] {
  const table = readProcTable();
  if (!table) return [];
  const members = new Set<number>();
  for (const proc of table) if (proc.pgrp === rootPid || proc.session === rootPid) members.add(proc.pid);
  // Descendants that moved to a group or session of their own are still found through their parents.
  let grew = true;
  while (grew) {
    grew = false;
    for (const proc of table)
      if (!members.has(proc.pid) && members.has(proc.ppid)) {
        members.add(proc.pid);
        grew = true;
      }
  }
  members.delete(process.pid);
  return table.filter((proc) => members.has(proc.pid) && !proc.zombie).map((proc) => proc.pid);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/**
 * Kill the process tree started as `rootPid` (which leads its own process group): freeze it so
 * it cannot fork any more, find every member, then SIGKILL them all.
 */
export function killProcessTree(rootPid: number): void {
  signal(-rootPid, "SIGSTOP");
  const frozen = new Set<number>();
  for (let round = 0; round < 3; round++) {
    const fresh = treeMembers(rootPid).filter((pid) => !frozen.has(pid));
    if (fresh.length === 0) break;
    for (const pid of fresh) {
      signal(pid, "SIGSTOP");
      frozen.add(pid);
    }
  }
  signal(-rootPid, "SIGKILL");
  for (const pid of frozen) signal(pid, "SIGKILL");
}

/** How long to wait for the output pipes to close after the tree was killed. */
const PIPE_CLOSE_GRACE_MS = 2000;

/**
 * Run a command as the leader of a new process group, with its output captured and capped.
 * A timeout or a cancellation kills the whole tree; so does the command's own exit, so nothing
 * it started in the background outlives it.
 */
export function runInProcessGroup(options: ProcessGroupOptions): Promise<ProcessOutcome> {
  const output = new CappedOutput(options.maxOutputChars);
  return new Promise((resolve) => {
    let timedOut = false;
    let cancelled = false;
    let settled = false;
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const kill = () => {
      if (child.pid !== undefined) killProcessTree(child.pid);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    const removeCancel = options.cancellationToken?.addCallback(() => {
      cancelled = true;
      kill();
    });
    const finish = (outcome: ProcessOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      removeCancel?.();
      resolve(outcome);
    };
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => output.append(chunk));
    }
    child.on("error", (error: NodeJS.ErrnoException) => {
      finish({ exitCode: 127, output: output.toString(), timedOut, cancelled, spawnError: error });
    });
    child.on("exit", (code, signalName) => {
      kill();
      let closed = 0;
      const done = () => {
        const exitCode = timedOut
          ? 124
          : cancelled
            ? 125
            : (code ?? (signalName ? 128 + (constants.signals[signalName] ?? 0) : 1));
        finish({ exitCode, output: output.toString(), timedOut, cancelled });
      };
      const grace = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        done();
      }, PIPE_CLOSE_GRACE_MS);
      const onClose = () => {
        if (++closed < 2) return;
        clearTimeout(grace);
        done();
      };
      for (const stream of [child.stdout, child.stderr]) {
        if (stream.closed) onClose();
        else stream.once("close", onClose);
      }
    });
  });
}
