import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  AssistantAgent,
  AzureOpenAIChatCompletionClient,
  ChatCompletionCache,
  OpenAIChatCompletionClient,
  RoundRobinGroupChat,
  UserError,
  dumpComponent,
  loadComponent,
  type ComponentModel,
} from "agentbook";
import { startOpenAIServer, type OpenAIServer } from "../../fixtures/openai-server.ts";

const LITERAL_KEY = "sk-literal-SECRET-7f3a9c1e";
const ENV_KEY = "sk-from-env-SECRET-42d1";
const AZURE_KEY = "azure-literal-SECRET-b8e2";

function assertNoSecret(dump: ComponentModel, ...secrets: string[]): void {
  const text = JSON.stringify(dump);
  for (const secret of secrets) assert.ok(!text.includes(secret), `the dump must not contain ${secret}`);
}

describe("dumps never hold secrets", () => {
  let server: OpenAIServer;
  before(async () => {
    server = await startOpenAIServer({ apiKey: ENV_KEY });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => server.reset());

  it("a client built with a literal key records the variable that supplies it, and loading sends that variable's key", async () => {
    const client = new OpenAIChatCompletionClient({ model: "gpt-4o", baseURL: server.url, apiKey: LITERAL_KEY, maxRetries: 0 });
    const dump = dumpComponent(client);
    assertNoSecret(dump, LITERAL_KEY);
    assert.equal(dump.config.apiKeyEnv, "OPENAI_API_KEY");

    const loaded = loadComponent<OpenAIChatCompletionClient>(JSON.stringify(dump), { env: { OPENAI_API_KEY: ENV_KEY } });
    server.enqueue("hello from the server");
    const result = await loaded.create([{ type: "UserMessage", content: "hi", source: "user" }]);
    assert.equal(result.content, "hello from the server");
    assert.equal(server.chatRequests[0]!.headers.authorization, `Bearer ${ENV_KEY}`);
  });

  it("a variable named in the JSON is read, and a dump of the loaded client names it again", async () => {
    const json = { provider: "agentbook.OpenAIChatCompletionClient", config: { model: "gpt-4o", baseURL: server.url, apiKeyEnv: "TEAM_LLM_KEY" } };
    const loaded = loadComponent<OpenAIChatCompletionClient>(json, { env: { TEAM_LLM_KEY: ENV_KEY, OPENAI_API_KEY: "not-this-one" } });
    server.enqueue("ok");
    await loaded.create([{ type: "UserMessage", content: "hi", source: "user" }]);
    assert.equal(server.chatRequests[0]!.headers.authorization, `Bearer ${ENV_KEY}`);
    const dump = dumpComponent(loaded);
    assert.equal(dump.config.apiKeyEnv, "TEAM_LLM_KEY");
    assertNoSecret(dump, ENV_KEY);
  });

  it("loading says which variable to set when it is unset", () => {
    const dump = dumpComponent(new OpenAIChatCompletionClient({ model: "gpt-4o", apiKey: LITERAL_KEY, baseURL: "https://api.openai.com/v1" }));
    assert.throws(
      () => loadComponent(dump, { env: {} }),
      (error: Error) =>
        error instanceof UserError && /OPENAI_API_KEY is not set/.test(error.message) && /config\.apiKeyEnv/.test(error.message) && !error.message.includes(LITERAL_KEY),
    );
  });

  it("a JSON without apiKeyEnv does not send OPENAI_API_KEY to the server it names", async () => {
    const json = { provider: "agentbook.OpenAIChatCompletionClient", config: { model: "gpt-4o", baseURL: server.url, maxRetries: 0 } };
    const loaded = loadComponent<OpenAIChatCompletionClient>(json, { env: { OPENAI_API_KEY: ENV_KEY } });
    assert.equal(loaded.sendsApiKey, false);
    await assert.rejects(loaded.create([{ type: "UserMessage", content: "hi", source: "user" }]));
    assert.notEqual(server.requests[0]!.headers.authorization, `Bearer ${ENV_KEY}`);
  });

  it("api.openai.com without apiKeyEnv is refused with the field to add", () => {
    assert.throws(
      () => loadComponent({ provider: "agentbook.OpenAIChatCompletionClient", config: { model: "gpt-4o" } }, { env: { OPENAI_API_KEY: ENV_KEY } }),
      /config\.apiKeyEnv: is missing, and api\.openai\.com needs a key: add "apiKeyEnv": "OPENAI_API_KEY"/,
    );
  });

  it("Azure keys are recorded as AZURE_OPENAI_API_KEY", () => {
    const client = new AzureOpenAIChatCompletionClient({ azureEndpoint: server.origin, azureDeployment: "gpt-4o", apiKey: AZURE_KEY });
    const dump = dumpComponent(client);
    assertNoSecret(dump, AZURE_KEY);
    assert.equal(dump.config.apiKeyEnv, "AZURE_OPENAI_API_KEY");
    assert.throws(() => loadComponent(dump, { env: {} }), /AZURE_OPENAI_API_KEY is not set/);
  });

  it("credential headers and URL query strings are left out, with notes saying so", () => {
    const client = new OpenAIChatCompletionClient({
      model: "gpt-4o",
      baseURL: `${server.url}?api-key=${LITERAL_KEY}`,
      apiKey: LITERAL_KEY,
      defaultHeaders: { Authorization: `Bearer ${LITERAL_KEY}`, "X-Api-Key": LITERAL_KEY, "X-Request-Source": "notebook" },
    });
    const dump = dumpComponent(client);
    assertNoSecret(dump, LITERAL_KEY);
    assert.deepEqual(dump.config.defaultHeaders, { "X-Request-Source": "notebook" });
    assert.equal(dump.config.baseURL, server.url);
    assert.equal(dump.notes?.length, 2);
    assert.match(dump.notes![0]!, /Authorization, X-Api-Key left out/);
    assert.match(dump.notes![1]!, /query string was left out/);
  });

  it("a whole team with live clients, a cache and an Azure agent holds no key", () => {
    const openai = new OpenAIChatCompletionClient({ model: "gpt-4o", apiKey: LITERAL_KEY, baseURL: "https://api.openai.com/v1" });
    const azure = new AzureOpenAIChatCompletionClient({ azureEndpoint: server.origin, azureDeployment: "gpt-4o", apiKey: AZURE_KEY });
    const team = new RoundRobinGroupChat({
      participants: [
        new AssistantAgent({ name: "one", modelClient: new ChatCompletionCache(openai) }),
        new AssistantAgent({ name: "two", modelClient: azure }),
      ],
      maxTurns: 2,
    });
    const dump = dumpComponent(team);
    assertNoSecret(dump, LITERAL_KEY, AZURE_KEY);
    const text = JSON.stringify(dump);
    assert.match(text, /"apiKeyEnv":"OPENAI_API_KEY"/);
    assert.match(text, /"apiKeyEnv":"AZURE_OPENAI_API_KEY"/);
  });
});
