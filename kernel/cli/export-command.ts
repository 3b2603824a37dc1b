/**
 * `agentbook export <notebook> [-o file.ts]`: the notebook as a TypeScript module for `npx tsx`.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
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
  process.stderr.write(`Wrote ${output}; run it with: npx tsx ${output}\n`);
  if (!loadsAsModule(output))
    process.stderr.write(`Note: ${output} uses top-level await; put it under a package.json with "type": "module", or name it .mts.\n`);
}
