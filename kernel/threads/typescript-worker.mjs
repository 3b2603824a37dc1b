// Entry of the kernel's worker threads: TypeScript sources load through tsx here too.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
