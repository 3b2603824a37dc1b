import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import { CancellationToken, CancelledError, LocalCommandLineCodeExecutor, UserError } from "agentbook";
import { executorContract } from "./executor-contract.ts";

executorContract("LocalCommandLineCodeExecutor", {
  languages: ["python", "bash", "sh", "javascript", "typescript"],
  make: (options) => new LocalCommandLineCodeExecutor(options),
});

/** True while `pid` is a live process (a zombie waiting to be reaped counts as dead). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function pidsIn(output: string, label: string): number[] {
  return [...output.matchAll(new RegExp(`${label} (\\d+)`, "g"))].map((match) => Number(match[1]));
}

describe("LocalCommandLineCodeExecutor", () => {
  let workDir: string;
  const executors: LocalCommandLineCodeExecutor[] = [];
  const make = (options: ConstructorParameters<typeof LocalCommandLineCodeExecutor>[0] = {}) => {
    const executor = new LocalCommandLineCodeExecutor({ workDir, timeout: 1, ...options });
    executors.push(executor);
    return executor;
  };

  before(() => {
    workDir = mkdtempSync(join(tmpdir(), "agentbook-local-"));
  });
  afterEach(async () => {
    for (const executor of executors.splice(0)) await executor.stop();
  });
  after(() => rmSync(workDir, { recursive: true, force: true }));

  test("an endless JavaScript loop is stopped at the timeout", async () => {
    const result = await make().executeCodeBlocks([{ language: "javascript", code: "console.log('looping');\nwhile (true) {}" }]);
    assert.equal(result.exitCode, 124);
    assert.match(result.output, /looping\nTimeout: the code ran longer than 1 s, so it and every process it started were killed\./);
  });

  test("a timeout kills the whole tree: the shell, its sleep 1000 children, and one that left the session", async () => {
    const code = [
      'echo "shell $$"',
      'sleep 1000 & echo "child $!"',
      'setsid sleep 1000 & echo "child $!"',
      "while true; do sleep 1000 & echo \"child $!\"; wait; done",
    ].join("\n");
    const result = await make().executeCodeBlocks([{ language: "bash", code }]);
    assert.equal(result.exitCode, 124);
    assert.match(result.output, /Timeout/);
    const pids = [...pidsIn(result.output, "shell"), ...pidsIn(result.output, "child")];
    assert.equal(pids.length, 4, result.output);
    await waitFor(() => pids.every((pid) => !isRunning(pid)), 2000);
  });

  test("background processes a block leaves behind are killed when it exits", async () => {
    const result = await make().executeCodeBlocks([{ language: "bash", code: 'sleep 1000 & echo "child $!"\necho done' }]);
    assert.equal(result.exitCode, 0);
    const [child] = pidsIn(result.output, "child");
    await waitFor(() => !isRunning(child!), 2000);
  });

  test("cancellation kills the running tree and rejects with CancelledError", async () => {
    const executor = make({ timeout: 30 });
    const pidFile = join(workDir, "pids.txt");
    rmSync(pidFile, { force: true });
    const token = new CancellationToken();
    const started = Date.now();
    const running = executor.executeCodeBlocks(
      [{ language: "bash", code: `sleep 1000 & echo "child $!" >> pids.txt\necho "shell $$" >> pids.txt\nwait` }],
      token,
    );
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").includes("shell"), 5000);
    token.cancel();
    await assert.rejects(running, CancelledError);
    assert.ok(Date.now() - started < 10_000);
    const text = readFileSync(pidFile, "utf8");
    const pids = [...pidsIn(text, "shell"), ...pidsIn(text, "child")];
    assert.equal(pids.length, 2);
    await waitFor(() => pids.every((pid) => !isRunning(pid)), 2000);
  });

  test("stop() kills code that is still running", async () => {
    const executor = make({ timeout: 30 });
    const running = executor.executeCodeBlocks([{ language: "python", code: "import time\ntime.sleep(1000)" }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await executor.stop();
    await assert.rejects(running, CancelledError);
    assert.ok(Date.now() - started < 5000);
  });

  test("the code cannot see API keys or tokens, but PATH and HOME work", async () => {
    const secrets = {
      OPENAI_API_KEY: "sk-test-openai",
      AZURE_OPENAI_API_KEY: "azure-test-key",
      GITHUB_TOKEN: "ghp_testtoken",
      MY_SECRET: "hunter2",
      DATABASE_URL: "postgres://app:s3cret@db.example/app",
    };
    const saved = Object.fromEntries(Object.keys(secrets).map((name) => [name, process.env[name]]));
    Object.assign(process.env, secrets);
    try {
      const executor = make({ env: { GREETING: "passed on purpose" } });
      const code = [
        "import os, shutil",
        "for name in ['OPENAI_API_KEY', 'AZURE_OPENAI_API_KEY', 'GITHUB_TOKEN', 'MY_SECRET', 'DATABASE_URL']:",
        "    print(name, os.environ.get(name))",
        "print('HOME', os.environ['HOME'])",
        "print('GREETING', os.environ.get('GREETING'))",
        "print('ls on PATH', shutil.which('ls') is not None)",
      ].join("\n");
      const result = await executor.executeCodeBlocks([{ language: "python", code }]);
      assert.equal(result.exitCode, 0, result.output);
      for (const name of Object.keys(secrets)) assert.match(result.output, new RegExp(`^${name} None$`, "m"));
      for (const value of Object.values(secrets)) assert.ok(!result.output.includes(value));
      assert.match(result.output, new RegExp(`^HOME ${process.env.HOME}$`, "m"));
      assert.match(result.output, /^GREETING passed on purpose$/m);
      assert.match(result.output, /^ls on PATH True$/m);
      const shell = await executor.executeCodeBlocks([{ language: "bash", code: "env | grep -c -E 'sk-test|ghp_|hunter2' || true; ls / > /dev/null && echo ls-ok" }]);
      assert.equal(shell.output, "0\nls-ok\n");
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  test("absolute paths and symlinks that lead out of the working directory are refused", async () => {
    const outside = mkdtempSync(join(tmpdir(), "agentbook-outside-"));
    try {
      symlinkSync(outside, join(workDir, "link-out"));
      const executor = make();
      for (const name of [join(outside, "abs.py"), "link-out/escape.py"]) {
        const result = await executor.executeCodeBlocks([{ language: "python", code: `# filename: ${name}\nprint('escaped')` }]);
        assert.equal(result.exitCode, 1, name);
        assert.match(result.output, /outside the working directory/);
      }
      assert.deepEqual(readdirSync(outside), []);
      const javascript = await executor.executeCodeBlocks([{ language: "javascript", code: "// filename: ../../x.js\nconsole.log(1)" }]);
      assert.equal(javascript.exitCode, 1);
    } finally {
      rmSync(outside, { recursive: true, force: true });
      rmSync(join(workDir, "link-out"), { force: true });
    }
  });

  test("code saved under a generated name is deleted afterwards unless cleanupTempFiles is false", async () => {
    const dir = join(workDir, "cleanup");
    mkdirSync(dir);
    const cleaned = await make({ workDir: dir }).executeCodeBlocks([{ language: "python", code: "print(1)" }]);
    assert.equal(cleaned.codeFile, undefined);
    assert.deepEqual(readdirSync(dir), []);
    const kept = await make({ workDir: dir, cleanupTempFiles: false }).executeCodeBlocks([{ language: "python", code: "print(2)" }]);
    assert.match(kept.codeFile!, /tmp_code_[0-9a-f]{64}\.py$/);
    assert.equal(readFileSync(kept.codeFile!, "utf8"), "print(2)");
  });

  test("JavaScript runs as an ES module, or as CommonJS when it only uses require", async () => {
    const executor = make({ timeout: 10 });
    const esm = await executor.executeCodeBlocks([{ language: "js", code: "import { sep } from 'node:path';\nconsole.log(await Promise.resolve(sep));" }]);
    assert.equal(esm.output, "/\n");
    const cjs = await executor.executeCodeBlocks([{ language: "node", code: "const path = require('node:path');\nconsole.log(typeof module.exports, path.sep);" }]);
    assert.equal(cjs.output, "object /\n");
  });

  test("functions are importable from Python and JavaScript, and described for the model", async () => {
    function add(a: number, b: number): number {
      return a + b;
    }
    const executor = make({
      timeout: 10,
      functions: [add, { name: "multiply", language: "python", code: "def multiply(a: int, b: int) -> int:\n    return a * b", description: "Multiply two numbers." }],
    });
    const python = await executor.executeCodeBlocks([{ language: "python", code: "from functions import multiply\nprint(multiply(6, 7))" }]);
    assert.equal(python.output, "42\n");
    const javascript = await executor.executeCodeBlocks([{ language: "javascript", code: "import { add } from './functions.mjs';\nconsole.log(add(2, 3));" }]);
    assert.equal(javascript.output, "5\n");
    const prompt = executor.formatFunctionsForPrompt();
    assert.match(prompt, /from functions import multiply/);
    assert.match(prompt, /- multiply\(a: int, b: int\) -> int: Multiply two numbers\./);
    assert.match(prompt, /import \{ add \} from "\.\/functions\.mjs"/);
  });

  test("functions that do not load are reported as a UserError before any code runs", async () => {
    const executor = make({ timeout: 10, functions: [{ name: "broken", language: "python", code: "def broken(:\n    pass" }] });
    await assert.rejects(executor.executeCodeBlocks([{ language: "python", code: "print(1)" }]), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /Python functions given to LocalCommandLineCodeExecutor failed to load[\s\S]*SyntaxError/);
      return true;
    });
    assert.throws(() => make({ functions: [{ method() {} }.method] }), /cannot be copied into executed code/);
  });

  test("without a workDir it runs in a temporary directory that stop() removes; the timeout defaults to 60 s", async () => {
    const executor = new LocalCommandLineCodeExecutor();
    executors.push(executor);
    assert.equal(executor.timeout, 60);
    const result = await executor.executeCodeBlocks([{ language: "python", code: "import os\nprint(os.getcwd())" }]);
    const dir = result.output.trim();
    assert.equal(dir, executor.workDir);
    assert.ok(dir.startsWith(tmpdir()));
    await executor.stop();
    assert.equal(existsSync(dir), false);
  });

  test("bad options are refused with the option's name", () => {
    assert.throws(() => new LocalCommandLineCodeExecutor({ timeout: 0 }), /timeout \(seconds\) must be a positive number; got 0/);
    assert.throws(() => new LocalCommandLineCodeExecutor({ maxOutputChars: -1 }), /maxOutputChars/);
    assert.throws(() => new LocalCommandLineCodeExecutor({ functionsModule: "my-funcs" }), /functionsModule/);
  });

  test("a missing interpreter is reported, not thrown", async () => {
    const result = await make({ pythonCommand: "python-that-does-not-exist" }).executeCodeBlocks([{ language: "python", code: "print(1)" }]);
    assert.equal(result.exitCode, 127);
    assert.match(result.output, /Could not start the python interpreter: .*ENOENT.*Install it or put it on PATH/);
  });
});
