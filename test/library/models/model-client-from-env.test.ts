import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  AzureOpenAIChatCompletionClient,
  modelClientFromEnv,
  modelProviderFromEnv,
  OpenAIChatCompletionClient,
  ReplayChatCompletionClient,
  UserError,
} from "agentbook";
import type { LLMMessage } from "agentbook";
import { startOpenAIServer, type OpenAIServer } from "../../fixtures/openai-server.ts";

const ask: LLMMessage[] = [{ type: "UserMessage", content: "hi", source: "user" }];
const OPENAI_KEY = "sk-env-SECRET-1111111111";
const AZURE_KEY = "azure-env-SECRET-2222222222";

/** Collects printed lines; a fresh printer per test, since each printer hears a choice once. */
function printer() {
  const lines: string[] = [];
  return { lines, print: (line: string) => lines.push(line) };
}

describe("modelClientFromEnv", () => {
  let server: OpenAIServer;
  before(async () => {
    server = await startOpenAIServer();
  });
  after(async () => {
    await server.close();
  });

  it("runs offline on the scripted responses when nothing is configured, and says so", async () => {
    const out = printer();
    const client = modelClientFromEnv({ env: {}, offline: ["scripted"], print: out.print });
    assert.ok(client instanceof ReplayChatCompletionClient);
    assert.equal((await client.create(ask)).content, "scripted");
    assert.deepEqual(out.lines, [
      "agentbook model: offline replay (set OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT or OPENAI_BASE_URL for a live model)",
    ]);
  });

  it("prints a choice once per output, and nothing when quiet", () => {
    const out = printer();
    modelClientFromEnv({ env: {}, offline: ["a"], print: out.print });
    modelClientFromEnv({ env: {}, offline: ["b"], print: out.print });
    assert.equal(out.lines.length, 1);
    const silent = printer();
    modelClientFromEnv({ env: {}, offline: ["a"], print: silent.print, quiet: true });
    assert.deepEqual(silent.lines, []);
  });

  it("explains what to set when offline has no responses", () => {
    assert.throws(
      () => modelClientFromEnv({ env: {}, print: () => {} }),
      (error: Error) => error instanceof UserError && /OPENAI_API_KEY/.test(error.message) && /offline/.test(error.message),
    );
  });

  it("picks OpenAI with OPENAI_API_KEY, gpt-4o-mini unless AGENTBOOK_MODEL or the model option say otherwise", () => {
    const out = printer();
    const client = modelClientFromEnv({ env: { OPENAI_API_KEY: OPENAI_KEY }, print: out.print });
    assert.ok(client instanceof OpenAIChatCompletionClient);
    assert.equal(client.model, "gpt-4o-mini");
    assert.deepEqual(out.lines, ["agentbook model: OpenAI gpt-4o-mini"]);
    assert.equal((modelClientFromEnv({ env: { OPENAI_API_KEY: OPENAI_KEY }, model: "gpt-4.1", quiet: true }) as OpenAIChatCompletionClient).model, "gpt-4.1");
    const chosen = modelClientFromEnv({ env: { OPENAI_API_KEY: OPENAI_KEY, AGENTBOOK_MODEL: "o4-mini" }, model: "gpt-4.1", quiet: true });
    assert.equal((chosen as OpenAIChatCompletionClient).model, "o4-mini");
    assert.deepEqual(JSON.parse(JSON.stringify(chosen)).baseURL, "https://api.openai.com/v1");
  });

  it("picks an OpenAI-compatible server with OPENAI_BASE_URL and AGENTBOOK_MODEL, capable by default", async () => {
    server.enqueue("from the local model");
    const out = printer();
    const client = modelClientFromEnv({ env: { OPENAI_BASE_URL: server.url, AGENTBOOK_MODEL: "llama3.2" }, print: out.print });
    assert.ok(client instanceof OpenAIChatCompletionClient);
    assert.equal(client.modelInfo.functionCalling, true);
    assert.equal(client.modelInfo.family, "unknown");
    assert.equal((await client.create(ask)).content, "from the local model");
    assert.equal(server.chatRequests.at(-1)!.body.model, "llama3.2");
    assert.deepEqual(out.lines, [`agentbook model: OpenAI-compatible server at ${server.url}, model llama3.2`]);
  });

  it("requires AGENTBOOK_MODEL with OPENAI_BASE_URL", () => {
    assert.throws(() => modelClientFromEnv({ env: { OPENAI_BASE_URL: server.url }, print: () => {} }), /set AGENTBOOK_MODEL/);
  });

  it("picks Azure with AZURE_OPENAI_ENDPOINT and key, and reaches the deployment", async () => {
    server.enqueue("from azure");
    const out = printer();
    const client = modelClientFromEnv({
      env: { AZURE_OPENAI_ENDPOINT: server.origin, AZURE_OPENAI_API_KEY: AZURE_KEY, AZURE_OPENAI_DEPLOYMENT: "prod-chat", AZURE_OPENAI_API_VERSION: "2025-01-01-preview" },
      print: out.print,
    });
    assert.ok(client instanceof AzureOpenAIChatCompletionClient);
    assert.equal((await client.create(ask)).content, "from azure");
    const sent = server.chatRequests.at(-1)!;
    assert.equal(sent.path, "/openai/deployments/prod-chat/chat/completions");
    assert.equal(sent.query["api-version"], "2025-01-01-preview");
    assert.equal(sent.headers["api-key"], AZURE_KEY);
    assert.deepEqual(out.lines, [`agentbook model: Azure OpenAI deployment prod-chat at ${server.origin} (api-version 2025-01-01-preview)`]);
  });

  it("names the missing Azure variable", () => {
    assert.throws(() => modelClientFromEnv({ env: { AZURE_OPENAI_ENDPOINT: server.origin }, print: () => {} }), /AZURE_OPENAI_API_KEY is not/);
    assert.throws(
      () => modelClientFromEnv({ env: { AZURE_OPENAI_ENDPOINT: server.origin, AZURE_OPENAI_API_KEY: AZURE_KEY }, print: () => {} }),
      /AZURE_OPENAI_DEPLOYMENT/,
    );
  });

  it("follows the documented precedence: provider override, base URL, Azure, OpenAI key, offline", () => {
    const all = {
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: server.url,
      AZURE_OPENAI_ENDPOINT: server.origin,
      AZURE_OPENAI_API_KEY: AZURE_KEY,
    };
    assert.equal(modelProviderFromEnv(all), "openai-compatible");
    assert.equal(modelProviderFromEnv({ ...all, OPENAI_BASE_URL: "" }), "azure");
    assert.equal(modelProviderFromEnv({ OPENAI_API_KEY: OPENAI_KEY, AZURE_OPENAI_ENDPOINT: server.origin, AZURE_OPENAI_API_KEY: AZURE_KEY }), "azure");
    assert.equal(modelProviderFromEnv({ OPENAI_API_KEY: OPENAI_KEY }), "openai");
    assert.equal(modelProviderFromEnv({}), "offline");
    assert.equal(modelProviderFromEnv({ ...all, AGENTBOOK_MODEL_PROVIDER: "openai" }), "openai");
    assert.equal(modelProviderFromEnv({ ...all, AGENTBOOK_MODEL_PROVIDER: "offline" }), "offline");
    assert.throws(() => modelProviderFromEnv({ AGENTBOOK_MODEL_PROVIDER: "bedrock" }), /use one of openai, azure, openai-compatible, offline/);
    const client = modelClientFromEnv({ env: { ...all, AGENTBOOK_MODEL: "llama3.2" }, quiet: true });
    assert.ok(client instanceof OpenAIChatCompletionClient);
  });

  it("sends OPENAI_API_KEY to the compatible server but never prints a key", async () => {
    server.enqueue("ok");
    const out = printer();
    const client = modelClientFromEnv({
      env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: OPENAI_KEY, AGENTBOOK_MODEL: "qwen2.5" },
      print: out.print,
    });
    const azure = printer();
    modelClientFromEnv({
      env: { AZURE_OPENAI_ENDPOINT: server.origin, AZURE_OPENAI_API_KEY: AZURE_KEY, AZURE_OPENAI_DEPLOYMENT: "gpt-4o" },
      print: azure.print,
    });
    await client.create(ask);
    assert.equal(server.chatRequests.at(-1)!.headers.authorization, `Bearer ${OPENAI_KEY}`);
    assert.equal(out.lines.length, 1);
    assert.equal(azure.lines.length, 1);
    const printed = [...out.lines, ...azure.lines].join("\n");
    assert.ok(!printed.includes("SECRET"), printed);
  });

  it("refuses a base URL with a password, without repeating the password", () => {
    const withCredentials = server.url.replace("http://", "http://user:pa55word@");
    assert.throws(
      () => modelClientFromEnv({ env: { OPENAI_BASE_URL: withCredentials, AGENTBOOK_MODEL: "qwen2.5" }, print: () => {} }),
      (error: Error) => error instanceof UserError && /user name or password/.test(error.message) && !error.message.includes("pa55word"),
    );
  });
});
