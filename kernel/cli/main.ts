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
      await startCommand(options);
    }),
  );

program
  .command("run")
  .description("execute notebooks headless through the kernel; exits non-zero naming the notebook, cell and error")
  .argument("<notebooks...>", ".ipynb files")
  .option("--output <dir>", "write the executed notebooks into <dir>")
  .option("--inplace", "write the outputs back into the notebooks")
  .option("-p, --parameter <name=value>", "a parameter for the cell tagged `parameters` (repeatable; JSON values)", (value: string, list: string[] = []) => [...list, value])
  .option("--timeout <seconds>", "interrupt a cell that runs longer than this")
  .option("--allow-errors", "keep running after a failing cell")
  .option("--strict", "type errors stop a cell before it runs")
  .action(
    action(async (notebooks: string[], options: import("./run-command.ts").RunCommandOptions) => {
      const { runCommand } = await import("./run-command.ts");
      await runCommand(notebooks, options);
    }),
  );

program
  .command("export")
  .description("turn a notebook into a TypeScript module that runs with `npx tsx`")
  .argument("<notebook>", "an .ipynb file")
  .option("-o, --output <file>", "the .ts file to write (default: next to the notebook)")
  .action(
    action(async (notebook: string, options: { output?: string }) => {
      const { exportCommand } = await import("./export-command.ts");
      exportCommand(notebook, options);
    }),
  );

program
  .command("open")
  .description("serve the notebook UI on 127.0.0.1 with a token, and open it in a browser")
  .argument("[dir]", "the folder of notebooks to serve (default: the current folder)")
  .option("--port <port>", "port to listen on (default 8888, or the next free one)")
  .option("--no-browser", "do not open a browser; just print the address")
  .option("--jupyter-url <url>", "use a running Jupyter server for kernels and files instead")
  .option("--jupyter-token <token>", "that server's token (default: JUPYTER_TOKEN)")
  .action(
    action(async (dir: string | undefined, options: import("./open.ts").OpenCommandOptions) => {
      const { openCommand } = await import("./open.ts");
      await openCommand(dir, options);
    }),
  );

program.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : BAD_INPUT));
await program.parseAsync(process.argv);
