/** A fenced code block taken from a message. */
export interface CodeBlock {
  code: string;
  /** Language tag of the fence, for example "python", "bash", "typescript". */
  language: string;
}

/** What running code blocks produced. */
export interface CodeResult {
  exitCode: number;
  /** Combined stdout and stderr, capped. */
  output: string;
  /** The file the last block was written to, when the executor writes files. */
  codeFile?: string;
}
