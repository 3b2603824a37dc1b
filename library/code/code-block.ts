/** A fenced code block taken from a message. */
export interface CodeBlock {
  code: string;
  /** Language tag of the fence, for example "python", "bash", "typescript". */
  language: string;
}

/** A file the executed code wrote into the working directory (an image a notebook can show, for example). */
export interface GeneratedFile {
  /** Absolute path of the file. */
  path: string;
  /** Path relative to the executor's working directory, with "/" separators. */
  name: string;
  /** MIME type guessed from the extension, for example "image/png". */
  mimeType: string;
}

/** What running code blocks produced. */
export interface CodeResult {
  exitCode: number;
  /** Combined stdout and stderr, capped. */
  output: string;
  /** The file the last block was saved as, when the executor saves files and kept it (generated names are deleted unless `cleanupTempFiles` is false). */
  codeFile?: string;
  /** Images (png, svg, jpeg, gif, webp) the code created or changed in the working directory. */
  files?: GeneratedFile[];
}
