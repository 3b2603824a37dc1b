/**
 * The agentbook kernelspec: what Jupyter, VS Code and the agentbook server read to start the
 * kernel, and how `agentbook kernel install` writes it without Python.
 */
import { existsSync, mkdirSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../library/errors.ts";
import type { KernelSpecFile } from "./protocol/messages.ts";

/** The kernel's directory name under `kernels/`, and the name front ends select it by. */
export const KERNEL_NAME = "agentbook";

/** The `agentbook` command (a plain .mjs file, so any node can start it). */
export const CLI_PATH = fileURLToPath(new URL("./cli/agentbook.mjs", import.meta.url));

/**
 * kernel.json contents: the current node binary runs `agentbook kernel start -f {connection_file}`.
 * Paths are absolute so front ends that do not share our PATH (VS Code, a Jupyter server) can launch it.
 */
export function agentbookKernelSpec(): KernelSpecFile {
  return {
    argv: [process.execPath, CLI_PATH, "kernel", "start", "-f", "{connection_file}"],
    display_name: "TypeScript (agentbook)",
    language: "typescript",
    // The kernel answers interrupt_request on the control channel even while a cell spins in a
    // synchronous loop, and it also honours SIGINT; message mode works on every platform.
    interrupt_mode: "message",
    metadata: { debugger: false },
  };
}

/** Where to install: one of the three places Jupyter looks, as `jupyter kernelspec install` names them. */
export interface InstallKernelSpecOptions {
  /** The per-user data dir (`JUPYTER_DATA_DIR`, else the platform's default). This is the default. */
  user?: boolean;
  /** `<prefix>/share/jupyter/kernels`, for a prefix Jupyter was told about (JUPYTER_PATH or its sys.prefix). */
  prefix?: string;
  /** The prefix of the Python environment Jupyter runs in (CONDA_PREFIX, VIRTUAL_ENV, or where `jupyter` lives). */
  sysPrefix?: boolean;
  /** Environment to read JUPYTER_DATA_DIR, XDG_DATA_HOME, CONDA_PREFIX, VIRTUAL_ENV and PATH from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Jupyter's per-user data directory, computed as jupyter_core does. */
export function jupyterUserDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  if (process.platform === "darwin") return join(homedir(), "Library", "Jupyter");
  if (process.platform === "win32") return join(env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "jupyter");
  return join(env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "jupyter");
}

/** The prefix of the Python environment that runs `jupyter`, found without running Python. */
export function jupyterSysPrefix(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CONDA_PREFIX) return env.CONDA_PREFIX;
  if (env.VIRTUAL_ENV) return env.VIRTUAL_ENV;
  for (const folder of (env.PATH ?? "").split(delimiter)) {
    if (!folder) continue;
    const candidate = join(folder, process.platform === "win32" ? "jupyter.exe" : "jupyter");
    if (existsSync(candidate)) {
      // <prefix>/bin/jupyter on POSIX, <prefix>\Scripts\jupyter.exe on Windows.
      return dirname(dirname(realpathSync(candidate)));
    }
  }
  throw new UserError(
    "--sys-prefix needs the Python environment Jupyter runs in, but CONDA_PREFIX and VIRTUAL_ENV are unset and no `jupyter` is on PATH; " +
      "activate that environment, or use --user or --prefix DIR.",
  );
}

/**
 * Write `kernels/agentbook/kernel.json` into the chosen Jupyter data directory and return the
 * kernel directory. The file is written atomically (temp file + rename).
 */
export function installKernelSpec(options: InstallKernelSpecOptions = {}): string {
  const env = options.env ?? process.env;
  const chosen = [options.user, options.prefix !== undefined, options.sysPrefix].filter(Boolean).length;
  if (chosen > 1) throw new UserError("Choose one of --user, --prefix DIR and --sys-prefix.");
  let dataDir: string;
  if (options.prefix !== undefined) {
    if (!options.prefix) throw new UserError("--prefix needs a directory, for example --prefix /usr/local.");
    dataDir = join(options.prefix, "share", "jupyter");
  } else if (options.sysPrefix) {
    dataDir = join(jupyterSysPrefix(env), "share", "jupyter");
  } else {
    dataDir = jupyterUserDataDir(env);
  }
  const kernelDir = join(dataDir, "kernels", KERNEL_NAME);
  mkdirSync(kernelDir, { recursive: true });
  const target = join(kernelDir, "kernel.json");
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(agentbookKernelSpec(), null, 2)}\n`);
  renameSync(temporary, target);
  return kernelDir;
}
