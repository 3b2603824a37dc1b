import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { DockerCommandLineCodeExecutor, dockerEngineStatus, UserError } from "agentbook";
import { executorContract } from "./executor-contract.ts";

const status = await dockerEngineStatus();
const image = process.env.AGENTBOOK_TEST_DOCKER_IMAGE ?? "python:3-slim";

executorContract("DockerCommandLineCodeExecutor", {
  skip: status.available ? false : `no Docker engine answers here (${status.reason})`,
  languages: ["python", "bash", "sh"],
  make: (options) => new DockerCommandLineCodeExecutor({ image, ...options }),
});

describe("DockerCommandLineCodeExecutor", () => {
  test("construction does not touch Docker", () => {
    const executor = new DockerCommandLineCodeExecutor({ dockerCommand: "docker-client-that-does-not-exist", timeout: 5 });
    assert.equal(executor.image, "python:3-slim");
    assert.equal(executor.timeout, 5);
    assert.match(executor.containerName, /^agentbook-code-[0-9a-f]{8}$/);
  });

  test("start() fails with a clear message when no Docker engine answers", { skip: status.available ? "a Docker engine answers here" : false }, async () => {
    const workDir = mkdtempSync(join(tmpdir(), "agentbook-docker-"));
    const executor = new DockerCommandLineCodeExecutor({ workDir });
    try {
      await assert.rejects(executor.start(), (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(error.message, /^DockerCommandLineCodeExecutor needs a running Docker engine, and none answered \(/);
        assert.match(error.message, /Cannot connect to the Docker daemon/i);
        assert.match(error.message, /Start Docker .* DOCKER_HOST .* LocalCommandLineCodeExecutor/);
        return true;
      });
      // executeCodeBlocks starts the container itself, so it reports the same problem.
      await assert.rejects(executor.executeCodeBlocks([{ language: "python", code: "print(1)" }]), /needs a running Docker engine/);
    } finally {
      await executor.stop();
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  test("a missing docker client is named in the message", async () => {
    const executor = new DockerCommandLineCodeExecutor({ dockerCommand: "docker-client-that-does-not-exist" });
    try {
      await assert.rejects(executor.start(), /none answered \(the docker-client-that-does-not-exist command was not found \(ENOENT\)\)/);
    } finally {
      await executor.stop();
    }
  });
});
