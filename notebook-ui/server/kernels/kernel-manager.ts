import type { KernelSpecFile } from "../../../kernel/protocol/messages.ts";
import { HttpError } from "../http-error.ts";
import { KernelProcess, type KernelModel } from "./kernel-process.ts";
import { AGENTBOOK_KERNEL_NAME, type KernelSpecModel } from "./kernel-specs.ts";

/** The running kernels of one server, by id. */
export class KernelManager {
  #specs: Map<string, KernelSpecFile>;
  #kernels = new Map<string, KernelProcess>();
  #defaultCwd: string;

  constructor(specs: Map<string, KernelSpecFile>, defaultCwd: string) {
    this.#specs = specs;
    this.#defaultCwd = defaultCwd;
  }

  /** /api/kernelspecs. */
  specsModel(): { default: string; kernelspecs: Record<string, KernelSpecModel> } {
    const kernelspecs: Record<string, KernelSpecModel> = {};
    for (const [name, spec] of this.#specs) kernelspecs[name] = { name, spec, resources: {} };
    const first = this.#specs.keys().next().value;
    return { default: this.#specs.has(AGENTBOOK_KERNEL_NAME) ? AGENTBOOK_KERNEL_NAME : (first ?? ""), kernelspecs };
  }

  /** Start a kernel of spec `name` in `cwd`. */
  async start(name: string | undefined, cwd = this.#defaultCwd): Promise<KernelProcess> {
    const specName = name || this.specsModel().default;
    const spec = this.#specs.get(specName);
    if (!spec) throw new HttpError(404, `No kernelspec named ${JSON.stringify(specName)}; known: ${[...this.#specs.keys()].join(", ")}.`);
    const kernel = await KernelProcess.launch({ name: specName, spec, cwd }).catch((error: Error) => {
      throw new HttpError(500, error.message);
    });
    this.#kernels.set(kernel.id, kernel);
    return kernel;
  }

  /** The kernel with `id`, or a 404 naming it. */
  get(id: string): KernelProcess {
    const kernel = this.#kernels.get(id);
    if (!kernel) throw new HttpError(404, `No kernel with id ${id}; list running kernels with GET /api/kernels.`);
    return kernel;
  }

  /** Whether a kernel with `id` is running (or dead but not shut down). */
  has(id: string): boolean {
    return this.#kernels.has(id);
  }

  /** Models of every kernel. */
  list(): KernelModel[] {
    return [...this.#kernels.values()].map((kernel) => kernel.model());
  }

  /** Shut one kernel down and forget it. */
  async shutdown(id: string): Promise<void> {
    const kernel = this.get(id);
    this.#kernels.delete(id);
    await kernel.shutdown();
  }

  /** Shut every kernel down (server exit). */
  async shutdownAll(): Promise<void> {
    const kernels = [...this.#kernels.values()];
    this.#kernels.clear();
    await Promise.all(kernels.map((kernel) => kernel.shutdown().catch(() => {})));
  }
}
