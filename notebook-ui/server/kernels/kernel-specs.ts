import { agentbookKernelSpec, KERNEL_NAME } from "../../../kernel/kernelspec.ts";
import type { KernelSpecFile } from "../../../kernel/protocol/messages.ts";

/** A kernelspec as /api/kernelspecs lists it. */
export interface KernelSpecModel {
  name: string;
  spec: KernelSpecFile;
  resources: Record<string, string>;
}

/** Name of the agentbook TypeScript kernel's spec. */
export const AGENTBOOK_KERNEL_NAME = KERNEL_NAME;

/** The kernelspecs this server can launch: the agentbook kernel, plus any given explicitly. */
export function loadKernelSpecs(extra: Record<string, KernelSpecFile> = {}): Map<string, KernelSpecFile> {
  return new Map([[AGENTBOOK_KERNEL_NAME, agentbookKernelSpec()], ...Object.entries(extra)]);
}
