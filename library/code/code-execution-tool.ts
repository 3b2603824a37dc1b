import { z } from "zod";
import { UserError } from "../errors.ts";
import type { ToolSchema } from "../models/types.ts";
import { FunctionTool } from "../tools/function-tool.ts";
import type { Tool, ToolContext } from "../tools/tool.ts";
import type { CodeResult } from "./code-block.ts";
import type { CodeExecutor } from "./code-executor.ts";
import { tracedCodeExecution } from "../telemetry/code-execution-span.ts";

/** Options of CodeExecutionTool. */
export interface CodeExecutionToolOptions {
  /** Name the model calls the tool by (default "code_execution"). */
  name?: string;
  /** What the model is told the tool does; the default names the languages the executor runs. */
  description?: string;
  /** Language of code sent without one (default "python"). */
  defaultLanguage?: string;
}

/** The arguments the model sends. */
export interface CodeExecutionArguments {
  code: string;
  language?: string;
}

/**
 * Lets an AssistantAgent run code: the model calls `code_execution` with `{ code, language }`
 * and reads back the exit code and the output (and the images the code wrote). The code runs on
 * the given executor, with its timeout, output cap and environment.
 */
export class CodeExecutionTool implements Tool {
  readonly name: string;
  readonly description: string;
  /** Where the code runs. */
  readonly executor: CodeExecutor;
  readonly #tool: FunctionTool<CodeExecutionArguments, CodeResult>;

  constructor(executor: CodeExecutor, options: CodeExecutionToolOptions = {}) {
    if (!executor || typeof executor.executeCodeBlocks !== "function")
      throw new UserError("CodeExecutionTool needs a code executor, for example new CodeExecutionTool(new LocalCommandLineCodeExecutor()).");
    this.executor = executor;
    const defaultLanguage = options.defaultLanguage ?? "python";
    const languages = executor.supportedLanguages ? ` (${executor.supportedLanguages.join(", ")})` : "";
    this.name = options.name ?? "code_execution";
    this.description =
      options.description ??
      `Run a piece of code and return its exit code and everything it printed. Print the results you need. Languages${languages}; default ${defaultLanguage}.`;
    this.#tool = new FunctionTool<CodeExecutionArguments, CodeResult>(
      ({ code, language }, context) => {
        const blocks = [{ code, language: language ?? defaultLanguage }];
        return tracedCodeExecution(executor, blocks, () => executor.executeCodeBlocks(blocks, context.cancellationToken));
      },
      {
        name: this.name,
        description: this.description,
        parameters: z.object({
          code: z.string().describe("The complete program to run."),
          language: z.string().optional().describe(`Language of the code${languages}; default ${defaultLanguage}.`),
        }) as z.ZodType<CodeExecutionArguments>,
      },
    );
  }

  get schema(): ToolSchema {
    return this.#tool.schema;
  }

  /** Validate `{ code, language? }` and run the code; resolves with the CodeResult. */
  runJson(args: unknown, context: ToolContext): Promise<CodeResult> {
    return this.#tool.runJson(args, context);
  }

  /** `Exit code: N`, then the output, then the images the code wrote. */
  returnValueAsString(value: unknown): string {
    const result = value as CodeResult;
    if (!result || typeof result.exitCode !== "number") return this.#tool.returnValueAsString(value);
    const lines = [`Exit code: ${result.exitCode}`, "Output:", result.output.trim() === "" ? "(no output)" : result.output.replace(/\n$/, "")];
    if (result.files?.length) lines.push(`Images written: ${result.files.map((file) => file.name).join(", ")}`);
    return lines.join("\n");
  }
}
