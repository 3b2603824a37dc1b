import { Command } from "commander";
import { readFileSync } from "node:fs";
import { action, BAD_INPUT } from "./cli-errors.ts";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

const program = new Command()
  .name("agentbook")
  .description("TypeScript agents in the mould of AutoGen 0.4, and a notebook made for them.")
  .version(pkg.version);

program
  .command("demo")
  .description("run a short offline two-agent chat in the terminal")
  .action(async () => {
    const { runDemo } = await import("./demo.ts");
    await runDemo();
  });

const kernel = program.command("kernel").description("install or start the agentbook Jupyter kernel");
kernel
  .command("install")
  .description("write the kernelspec so Jupyter, VS Code and nbconvert can start the kernel (no Python needed)")
  .option("--user", "install for the current user (the default)")
  .option("--prefix <dir>", "install into <dir>/share/jupyter/kernels")
  .option("--sys-prefix", "install into the Python environment Jupyter runs in")
  .action(
    action(async (options: { user?: boolean; prefix?: string; sysPrefix?: boolean }) => {
      const { installCommand } = await import("./kernel-command.ts");
      installCommand(options);
    }),
  );
kernel
  .command("start")
  .description("start a kernel (front ends run this from kernel.json)")
  .requiredOption("-f, --connection-file <file>", "the connection file written by the front end")
  .option("--strict", "type errors stop a cell before it runs (also AGENTBOOK_STRICT=1)")
  .action(
    action(async (options: { connectionFile: string; strict?: boolean }) => {
      const { startCommand } = await import("./kernel-command.ts");
      startCommand(options);
    }),
  );

program.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : BAD_INPUT));
await program.parseAsync(process.argv);
