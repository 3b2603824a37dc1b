import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TextMessage } from "agentbook";
import {
  AssistantAgent,
  BM25Retriever,
  DISPLAY,
  MEMORY_MIME,
  RetrievalAssistantAgent,
  RetrievalMemory,
  RetrieveUserProxyAgent,
  ReplayChatCompletionClient,
  RoundRobinGroupChat,
  UserError,
} from "agentbook";

const knowledge = new BM25Retriever({
  chunks: [
    { text: "Qubits hold a superposition of 0 and 1 until measured.", metadata: { source: "quantum.md", chunkIndex: 0, chunkCount: 2, section: "Basics" } },
    { text: "Entanglement links qubits so that measuring one tells about the other.", metadata: { source: "quantum.md", chunkIndex: 1, chunkCount: 2 } },
    { text: "Classical bits are either 0 or 1.", metadata: { source: "classical.md", chunkIndex: 0, chunkCount: 1 } },
  ],
});

describe("RetrievalAssistantAgent", () => {
  it("answers from numbered sources and ends with the sources it cited", async () => {
    const model = new ReplayChatCompletionClient(["Entangled qubits are linked [3]; a qubit can be 0 and 1 at once [2], unlike a classical bit [1]."]);
    const agent = new RetrievalAssistantAgent({ name: "librarian", modelClient: model, retriever: knowledge, k: 3 });
    const result = await agent.run({ task: "How do qubits differ from classical bits?" });

    const answer = result.messages.at(-1) as TextMessage;
    assert.equal(answer.type, "TextMessage");
    // BM25 ranked the sources [1] classical.md, [2] quantum.md#0, [3] quantum.md#1 for this question.
    assert.deepEqual(agent.retrievalMemory.lastSources.map((chunk) => `${chunk.metadata.source}#${chunk.metadata.chunkIndex}`), [
      "classical.md#0",
      "quantum.md#0",
      "quantum.md#1",
    ]);
    // The footer lists cited sources in the order the answer first mentions them.
    assert.match(answer.content, /bit \[1\]\.\n\nSources:\n\[3\] quantum\.md#1\n\[2\] quantum\.md#0 \(Basics\)\n\[1\] classical\.md$/);
    assert.deepEqual(JSON.parse(answer.metadata.citations!), [
      { number: 3, citation: "quantum.md#1" },
      { number: 2, citation: "quantum.md#0 (Basics)" },
      { number: 1, citation: "classical.md" },
    ]);
    assert.ok(result.messages.some((message) => message.type === "MemoryQueryEvent"), "the retrieval shows as a MemoryQueryEvent");
    assert.equal(agent.retrievalMemory.lastSources.length, 3);
  });

  it("adds no footer when the answer cites nothing, and ignores numbers that are not sources", async () => {
    const model = new ReplayChatCompletionClient(["The sources do not say [9]."]);
    const agent = new RetrievalAssistantAgent({ name: "librarian", modelClient: model, retriever: knowledge });
    const answer = (await agent.run({ task: "Who won the 1998 World Cup?" })).messages.at(-1) as TextMessage;
    assert.equal(answer.content, "The sources do not say [9].");
    assert.equal(answer.metadata.citations, "[]");
  });
});

describe("RetrievalMemory on an AssistantAgent", () => {
  it("shows the model numbered sources with instructions to cite them", async () => {
    const memory = new RetrievalMemory({ retriever: knowledge, k: 2 });
    const model = new ReplayChatCompletionClient(["Entangled qubits are linked [1]."]);
    const agent = new AssistantAgent({ name: "writer", modelClient: model, memory });
    await agent.run({ task: "What is entanglement?" });
    const state = (await agent.saveState()) as { llmContext: { messages: Array<{ type: string; content: string }> } };
    const system = state.llmContext.messages.find((m) => m.type === "SystemMessage" && m.content.includes("Sources:"));
    assert.ok(system, "the sources reached the model's context");
    assert.match(system.content, /Cite each fact with its source number/);
    assert.match(system.content, /\[1\] \(quantum\.md#1\) Entanglement links qubits/);
    const shown = await memory.query("entanglement");
    assert.equal((shown as any)[DISPLAY]()[MEMORY_MIME].hits[0].source, "quantum.md");
    await assert.rejects(memory.add(), UserError);
  });
});

describe("RetrieveUserProxyAgent + writer (the retriever and writer pattern)", () => {
  it("passes the writer the retrieved context and the question, in a round-robin team", async () => {
    const retriever = new RetrieveUserProxyAgent({ name: "Retriever", retriever: knowledge, k: 2 });
    const writerModel = new ReplayChatCompletionClient(["Quantum computers use qubits, which can be 0 and 1 at once [1]."]);
    const writer = new AssistantAgent({ name: "Writer", modelClient: writerModel, systemMessage: "Synthesize retrieved information" });
    const team = new RoundRobinGroupChat({ participants: [retriever, writer], maxTurns: 2 });
    const result = await team.run({ task: "Explain quantum computing basics: what are qubits?" });

    const texts = result.messages.filter((m): m is TextMessage => m.type === "TextMessage");
    assert.deepEqual(texts.map((m) => m.source), ["user", "Retriever", "Writer"]);
    const context = texts[1]!.content;
    assert.match(context, /Context:\n\[1\] \(quantum\.md#0 \(Basics\)\) Qubits hold a superposition/);
    assert.match(context, /Question: Explain quantum computing basics: what are qubits\?$/);
    assert.deepEqual(JSON.parse(texts[1]!.metadata.sources!), ["quantum.md#0 (Basics)", "quantum.md#1"]);
    assert.match(texts[2]!.content, /\[1\]/);
  });

  it("says plainly when nothing was found", async () => {
    const retriever = new RetrieveUserProxyAgent({ name: "Retriever", retriever: knowledge });
    const result = await retriever.run({ task: "zebra migration" });
    assert.match((result.messages.at(-1) as TextMessage).content, /\(nothing relevant was found\)/);
  });
});
