import { Command } from "commander";
import { readFileSync } from "node:fs";

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

await program.parseAsync(process.argv);
