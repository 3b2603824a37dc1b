import { createHash } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CancellationToken } from "../core/cancellation-token.ts";
import { CancelledError, UserError } from "../errors.ts";
import type { CodeBlock, CodeResult } from "./code-block.ts";
import { fileNameFromCode, pathInside } from "./code-file-name.ts";
import { type CodeLanguage, fileExtension, normalizeLanguage } from "./code-languages.ts";
import { changedImages, snapshotImages } from "./generated-files.ts";
import type { ProcessOutcome } from "./process-tree.ts";

/** Runs one saved code file and reports how it ended. */
export type CodeFileRunner = (file: { path: string; language: CodeLanguage }, cancellationToken: CancellationToken) => Promise<ProcessOutcome>;

/** What the command-line executors share: where files go and how one file runs. */
export interface CodeFileExecution {
  workDir: string;
  /** Seconds, for the timeout message. */
  timeout: number;
  /** Delete the files saved under generated names once the blocks ran. */
  cleanupTempFiles: boolean;
  /** Languages the runner can run. */
  languages: readonly CodeLanguage[];
  run: CodeFileRunner;
  cancellationToken: CancellationToken;
  /** Who runs the code, for error messages ("LocalCommandLineCodeExecutor"). */
  executorName: string;
}

/**
 * Save each block to a file in the working directory (under its `# filename:` name when it
 * gives one, contained to the directory) and run it; stop at the first block that fails, as
 * AutoGen does. Images the code wrote are reported in `files`.
 */
export async function executeBlocksAsFiles(blocks: readonly CodeBlock[], execution: CodeFileExecution): Promise<CodeResult> {
  const { workDir, cancellationToken } = execution;
  cancellationToken.throwIfCancelled();
  const imagesBefore = snapshotImages(workDir);
  const temporaryFiles: string[] = [];
  let output = "";
  let exitCode = 0;
  let codeFile: string | undefined;
  try {
    for (const block of blocks) {
      const language = normalizeLanguage(block.language);
      if (!language || !execution.languages.includes(language)) {
        output += `Unsupported language ${JSON.stringify(block.language)}: ${execution.executorName} runs ${execution.languages.join(", ")}.\n`;
        exitCode = 1;
        break;
      }
      const requestedName = fileNameFromCode(block.code);
      const path = requestedName
        ? pathInside(workDir, requestedName)
        : join(workDir, `tmp_code_${createHash("sha256").update(block.code).digest("hex")}.${fileExtension(language, block.code)}`);
      if (!path) {
        output += `Refused to save the code as ${JSON.stringify(requestedName)}: that path is outside the working directory ${workDir}. Use a file name inside it, such as "# filename: script.py".\n`;
        exitCode = 1;
        break;
      }
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, block.code);
      if (!requestedName) temporaryFiles.push(path);
      codeFile = path;

      const outcome = await execution.run({ path, language }, cancellationToken);
      output += outcome.output;
      if (outcome.cancelled || cancellationToken.isCancelled)
        throw new CancelledError("Code execution was cancelled; the running code and every process it started were killed.");
      exitCode = outcome.exitCode;
      if (outcome.spawnError) {
        output += `Could not start the ${language} interpreter: ${outcome.spawnError.message}. Install it or put it on PATH.\n`;
        break;
      }
      if (outcome.timedOut) {
        output += `${output.endsWith("\n") || output === "" ? "" : "\n"}Timeout: the code ran longer than ${execution.timeout} s, so it and every process it started were killed.\n`;
        break;
      }
      if (exitCode !== 0) break;
    }
  } finally {
    if (execution.cleanupTempFiles) for (const file of temporaryFiles) rmSync(file, { force: true });
  }
  const files = changedImages(workDir, imagesBefore);
  return {
    exitCode,
    output,
    ...(codeFile && existsSync(codeFile) ? { codeFile } : {}),
    ...(files.length > 0 ? { files } : {}),
  };
}

/** Throws a UserError unless `value` is a positive number. */
export function requirePositive(value: number, option: string, owner: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
    throw new UserError(`${owner} option ${option} must be a positive number; got ${JSON.stringify(value)}.`);
  return value;
}
