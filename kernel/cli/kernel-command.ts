/**
 * `agentbook kernel install` and `agentbook kernel start`.
 */
import { join } from "node:path";
import { installKernelSpec } from "../kernelspec.ts";
import { startKernel } from "../start-kernel.ts";

/** Options of `agentbook kernel install`. */
export interface InstallOptions {
  user?: boolean;
  prefix?: string;
  sysPrefix?: boolean;
}

/** Write kernel.json and say where. */
export function installCommand(options: InstallOptions): void {
  const directory = installKernelSpec({ user: options.user, prefix: options.prefix, sysPrefix: options.sysPrefix });
  process.stdout.write(`Installed the agentbook kernel ("TypeScript (agentbook)") in ${join(directory, "kernel.json")}\n`);
}

/** Start a kernel for a front end. */
export async function startCommand(options: { connectionFile: string; strict?: boolean }): Promise<void> {
  await startKernel({ connectionFile: options.connectionFile, strict: options.strict });
}
