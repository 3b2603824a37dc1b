/**
 * The behaviour every command-line code executor shares, as one suite run against each
 * implementation (the local one always, the Docker one where an engine answers).
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { CodeExecutor } from "agentbook";

export interface ContractExecutorOptions {
  workDir: string;
  timeout: number;
  maxOutputChars?: number;
}

export interface ContractOptions {
  /** Why the suite cannot run here, to skip it with that reason. */
  skip?: string | false;
  /** Languages the executor's environment has interpreters for. */
  languages: string[];
  make(options: ContractExecutorOptions): CodeExecutor;
}

/** A 1x1 PNG, so tests can write an image without a plotting library. */
export const TINY_PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

const PROGRAMS: Record<string, (text: string, code: number) => string> = {
  python: (text, code) => `import sys\nprint(${JSON.stringify(text)})\nsys.exit(${code})`,
  bash: (text, code) => `echo ${JSON.stringify(text)}\nexit ${code}`,
  sh: (text, code) => `echo ${JSON.stringify(text)}\nexit ${code}`,
  javascript: (text, code) => `console.log(${JSON.stringify(text)});\nprocess.exit(${code});`,
  typescript: (text, code) => `const message: string = ${JSON.stringify(text)};\nconsole.log(message);\nprocess.exit(${code} as number);`,
};

export function executorContract(name: string, options: ContractOptions): void {
  describe(`${name} (shared executor contract)`, { skip: options.skip || false }, () => {
    let workDir: string;
    let executor: CodeExecutor;

    before(async () => {
      workDir = mkdtempSync(join(tmpdir(), "agentbook-contract-"));
      executor = options.make({ workDir, timeout: 2, maxOutputChars: 10_000 });
      await executor.start();
    });
    after(async () => {
      await executor?.stop();
      rmSync(workDir, { recursive: true, force: true });
    });

    for (const language of options.languages) {
      test(`a ${language} block prints and exits with its exit code`, async () => {
        const ok = await executor.executeCodeBlocks([{ language, code: PROGRAMS[language]!(`hello from ${language}`, 0) }]);
        assert.equal(ok.exitCode, 0);
        assert.equal(ok.output.trim(), `hello from ${language}`);
        const failed = await executor.executeCodeBlocks([{ language, code: PROGRAMS[language]!("then failing", 3) }]);
        assert.equal(failed.exitCode, 3);
        assert.match(failed.output, /then failing/);
      });
    }

    test("an endless python loop is stopped at the timeout and the output says so", async () => {
      const started = Date.now();
      const result = await executor.executeCodeBlocks([{ language: "python", code: "print('spinning', flush=True)\nwhile True:\n    pass" }]);
      const elapsed = Date.now() - started;
      assert.equal(result.exitCode, 124);
      assert.match(result.output, /spinning/);
      assert.match(result.output, /Timeout: the code ran longer than 2 s/);
      assert.ok(elapsed >= 1900 && elapsed < 9000, `took ${elapsed} ms`);
    });

    test("blocks run in order and stop at the first that fails", async () => {
      const result = await executor.executeCodeBlocks([
        { language: "python", code: "print('first')" },
        { language: "sh", code: "echo second; exit 2" },
        { language: "python", code: "print('third')" },
      ]);
      assert.equal(result.exitCode, 2);
      assert.match(result.output, /first\n[\s\S]*second/);
      assert.doesNotMatch(result.output, /third/);
    });

    test("a block in a language the executor does not run fails with a message naming the languages", async () => {
      const result = await executor.executeCodeBlocks([{ language: "cobol", code: "DISPLAY 'HI'." }]);
      assert.equal(result.exitCode, 1);
      assert.match(result.output, /Unsupported language "cobol"/);
      assert.match(result.output, /python/);
    });

    test("# filename: saves the block under that name inside the working directory", async () => {
      const result = await executor.executeCodeBlocks([{ language: "python", code: "# filename: scripts/hello.py\nprint('named')" }]);
      assert.equal(result.exitCode, 0);
      assert.equal(result.output.trim(), "named");
      assert.equal(result.codeFile, join(workDir, "scripts", "hello.py"));
      assert.match(readFileSync(join(workDir, "scripts", "hello.py"), "utf8"), /print\('named'\)/);
    });

    test("# filename: ../escape.py is refused and nothing is written or run", async () => {
      const outside = join(workDir, "..", "escape.py");
      rmSync(outside, { force: true });
      const result = await executor.executeCodeBlocks([{ language: "python", code: "# filename: ../escape.py\nprint('escaped')" }]);
      assert.equal(result.exitCode, 1);
      assert.match(result.output, /Refused to save the code as "\.\.\/escape\.py".*outside the working directory/);
      assert.doesNotMatch(result.output, /escaped\n/);
      assert.equal(existsSync(outside), false);
    });

    test("output beyond the cap is cut, keeping the start and the end", async () => {
      const result = await executor.executeCodeBlocks([
        { language: "python", code: "print('START')\nfor i in range(20000):\n    print('x' * 50)\nprint('END')" },
      ]);
      assert.equal(result.exitCode, 0);
      assert.ok(result.output.length < 10_200, `kept ${result.output.length} characters`);
      assert.match(result.output, /^START\n/);
      assert.match(result.output, /characters of output omitted \(limit 10000\)/);
      assert.match(result.output, /END\n$/);
    });

    test("images the code writes are reported in files; unchanged ones are not", async () => {
      writeFileSync(join(workDir, "old.png"), Buffer.from(TINY_PNG_BASE64, "base64"));
      const code = [
        "import base64",
        `open('chart.png', 'wb').write(base64.b64decode('${TINY_PNG_BASE64}'))`,
        "open('diagram.svg', 'w').write('<svg xmlns=\"http://www.w3.org/2000/svg\"/>')",
        "print('drawn')",
      ].join("\n");
      const result = await executor.executeCodeBlocks([{ language: "python", code }]);
      assert.equal(result.exitCode, 0);
      assert.deepEqual(
        result.files?.map((file) => [file.name, file.mimeType, file.path]),
        [
          ["chart.png", "image/png", join(workDir, "chart.png")],
          ["diagram.svg", "image/svg+xml", join(workDir, "diagram.svg")],
        ],
      );
      const again = await executor.executeCodeBlocks([{ language: "python", code: "print('no drawing')" }]);
      assert.equal(again.files, undefined);
    });
  });
}
