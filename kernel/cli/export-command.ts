/**
 * `agentbook export <notebook> [-o file.ts]`: the notebook as a TypeScript module for `npx tsx`.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { readNotebook } from "../notebook/notebook-file.ts";
import { exportNotebook } from "../notebook/notebook-export.ts";

/** True when `file` would load as an ES module (top-level await needs that): .mts, or a "type": "module" package. */
function loadsAsModule(file: string): boolean {
  if (extname(file) === ".mts") return true;
  for (let folder = dirname(resolve(file)); ; folder = dirname(folder)) {
    const manifest = join(folder, "package.json");
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, "utf8")) as { type?: string }).type === "module";
      } catch {
        return false;
      }
    }
    if (dirname(folder) === folder) return false;
  }
}

export function exportCommand(notebook: string, options: { output?: string }): void {
  const parsed = readNotebook(notebook);
  const output = options.output ?? join(dirname(notebook), `${basename(notebook, extname(notebook))}.ts`);
  const temporary = `${output}.${process.pid}.tmp`;
  writeFileSync(temporary, exportNotebook(parsed, basename(notebook)));
  renameSync(temporary, output);
  // The notebook's relative paths (data files, working folders) are relative to its own folder,
  // where its kernel ran; the script reads them from where it is started.
  const folder = dirname(resolve(notebook));
  const from = (base: string, path: string) => (relative(base, path).startsWith("..") ? path : relative(base, path));
  const command = folder === process.cwd() ? `npx tsx ${output}` : `cd ${from(process.cwd(), folder)} && npx tsx ${from(folder, resolve(output))}`;
  process.stderr.write(`Wrote ${output}; run it from the notebook's folder: ${command}\n`);
  if (!loadsAsModule(output))
    process.stderr.write(`Note: ${output} uses top-level await; put it under a package.json with "type": "module", or name it .mts.\n`);
}
