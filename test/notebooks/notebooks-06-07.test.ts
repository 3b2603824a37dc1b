// notebooks/06-memory-and-rag.ipynb and 07-monitoring.ipynb: run headless, then exported and run as
// scripts. What their outputs must show is registered here beside the other notebooks' expectations.
import assert from "node:assert/strict";
import { describe } from "node:test";
import { DASHBOARD_MIME, MEMORY_MIME, TRACE_MIME, TRANSCRIPT_MIME, type DashboardPayload, type MemoryPayload, type TracePayload, type TranscriptPayload } from "agentbook";
import { EXPECTATIONS, outputsOf, testNotebook, type NotebookJson } from "./notebook-checks.ts";

const text = (value: unknown) => (Array.isArray(value) ? value.join("") : String(value ?? ""));
const stdout = (notebook: NotebookJson) =>
  outputsOf(notebook)
    .filter((output) => output.name === "stdout")
    .map((output) => text(output.text))
    .join("");
const payloads = <T>(notebook: NotebookJson, mime: string) => outputsOf(notebook).flatMap((output) => (output.data?.[mime] ? [output.data[mime] as T] : []));
const memoryView = (notebook: NotebookJson, memory: string, query: string) => {
  const found = payloads<MemoryPayload>(notebook, MEMORY_MIME).filter((payload) => payload.memory === memory && payload.query === query);
  assert.ok(found.length > 0, `a memory view of ${memory} for "${query}"`);
  return found;
};
const transcriptStartingWith = (notebook: NotebookJson, task: string) => {
  const found = payloads<TranscriptPayload>(notebook, TRANSCRIPT_MIME).find((transcript) => transcript.entries[0]?.message.content === task);
  assert.ok(found, `a transcript of the run "${task}"`);
  return found.entries.map((entry) => entry.message);
};

EXPECTATIONS["06-memory-and-rag.ipynb"] = {
  outputs(notebook) {
    const out = stdout(notebook);
    assert.deepEqual(memoryView(notebook, "preferences", "unit preferences")[0]!.hits.map((hit) => hit.content), ["User prefers metric units", "User is vegetarian"]);
    const dinner = transcriptStartingWith(notebook, "Suggest a dinner recipe for four, with quantities.");
    assert.deepEqual(dinner.map((message) => message.type), ["TextMessage", "MemoryQueryEvent", "TextMessage"], "the memory look-up is in the transcript");
    assert.deepEqual((dinner[1]!.content as Array<{ content: string }>).map((item) => item.content), ["User prefers metric units", "User is vegetarian"]);

    // Search by meaning: "food allergies" finds the shellfish allergy (no shared word), in the embedded store and in Chroma.
    const [allergies, filtered] = memoryView(notebook, "user_prefs", "food allergies");
    assert.equal(allergies!.hits[0]!.content, "Allergic to shellfish");
    assert.ok(filtered!.hits.every((hit) => hit.metadata?.category === "medical" && hit.metadata.priority === "high"), "the filter kept only urgent medical facts");
    assert.match(out, /4 items after reopening; best match for "medication": Takes ibuprofen for migraines/);
    assert.deepEqual(memoryView(notebook, "chromadb_user_prefs", "food allergies")[0]!.hits.map((hit) => hit.content), ["Allergic to shellfish"]);

    const purchases = memoryView(notebook, "sqlite_memory", "laptop sleeve")[0]!;
    assert.equal(purchases.hits[0]!.content, "Purchase history: 2025-01-15 - Laptop sleeve");
    const sqlRows = outputsOf(notebook).find((output) => text(output.data?.["text/plain"]).includes("item: 'Desk chair'"));
    assert.match(text(sqlRows?.data?.["text/plain"]), /\{ item: 'Laptop', amount: 1299 \}, \{ item: 'Desk chair', amount: 1049 \}/);

    assert.match(out, /MemoryQueryEvent: The quarterly report is due on the last Friday of the quarter\./, "the custom memory reached the agent");
    assert.match(out, /evicted \(capacity\): Budget review on Tuesday/, "LRU: the queried item survived, the least recently used went");
    assert.match(out, /alex reads: \[ 'Q3 target: grow EMEA revenue by 12%' \]\nrefused: alex \(roles: analysts\) may not write memory "team_memory"/);
    assert.match(out, /maria wrote "Q3 target: grow EMEA revenue by 12%"/);
    assert.match(out, /join: \[\n {2}\{ '\?city': 'Paris', '\?country': 'France' \},\n {2}\{ '\?city': 'Berlin', '\?country': 'Germany' \}\n\]/);

    assert.match(out, /indexed: 6 added, 10 chunks\n[\s\S]*again: 6 unchanged, 0 added/);
    assert.match(out, /I can't remember my password\n {2}vector\(knowledge_base\) +account\.md#2[^\n]*\n {2}bm25\(knowledge_base\) +account\.md#1 \(Account help > Reset your password\)\n {2}hybrid[^\n]* account\.md#1 \(Account help > Reset/);
    assert.match(out, /hybrid alone: api-limits\.html/);
    assert.match(out, /expanded: +[^\n]*billing\.md#2 \(Billing > Refunds\)/, "query expansion found the refunds section");
    assert.match(out, /reranked: +billing\.md#2 \(Billing > Refunds\) \|/);
    assert.match(out, /hop 1: [^\n]*-> billing\.md#2 \(Billing > Refunds\)\nhop 2: "lead of the Billing Operations team" -> teams\.json#0\nstopped: enough/);

    const cited = transcriptStartingWith(notebook, "Who leads the team that handles refunds, and when are they available?").at(-1)!;
    assert.match(String(cited.content), /Sources:\n\[1\] billing\.md#2 \(Billing > Refunds\)\n\[2\] teams\.json#0$/);
    const rag = transcriptStartingWith(notebook, "Explain the API rate limits");
    assert.deepEqual(rag.filter((message) => message.type === "TextMessage").map((message) => message.source), ["user", "Retriever", "Writer"]);
    assert.match(String(rag.find((message) => message.source === "Retriever" && message.type === "TextMessage")!.content), /\[1\] \(api-limits\.html/);
    assert.match(out, /scratch folder removed/);
  },
  script: [/evicted \(capacity\): Budget review on Tuesday/, /stopped: enough/, /Sources:\n\[1\] billing\.md#2/, /scratch folder removed/],
};

EXPECTATIONS["07-monitoring.ipynb"] = {
  outputs(notebook) {
    const out = stdout(notebook);
    assert.match(out, /stop reason: Text 'TERMINATE' mentioned/);
    assert.match(out, /live events: [^\n]*\bmodel_call\b[^\n]*\btool_call\b/, "the live feed saw model and tool calls");
    assert.match(out, /FinancialAnalyst: I need both companies' latest quarter before comparing; fetch them in parallel\.\nFinancialAnalyst: Revenue ratio/);
    // The summary counts exactly the tokens the run's messages report.
    const counted = /model calls: 4, tokens: (\d+) in \+ (\d+) out\ntokens the run's messages report: (\d+)/.exec(out);
    assert.ok(counted, "the token summary is printed");
    assert.equal(Number(counted[1]) + Number(counted[2]), Number(counted[3]));
    assert.ok(Number(counted[3]) > 0);
    assert.match(out, /FinancialAnalyst: 1 turns, p50 \d+\.\d ms/);
    assert.match(out, /tools: 2 calls, error rate 0/);
    assert.match(out, /TextMessage from ResearchCoordinator -> FinancialAnalyst\nTextMessage from FinancialAnalyst -> ResearchCoordinator/);

    // The live dashboard ended with the session, holding the whole conversation, the thoughts and the same tokens.
    const [live, replayed, ...more] = payloads<DashboardPayload>(notebook, DASHBOARD_MIME);
    assert.ok(live && replayed && more.length === 0, "the live dashboard and its replay");
    assert.deepEqual([live.status, live.endState, live.counters.modelCalls, live.counters.toolCalls], ["ended", "Success", 4, 2]);
    assert.equal(live.counters.inputTokens + live.counters.outputTokens, Number(counted[3]));
    assert.deepEqual(live.conversation.map((message) => message.from), ["user", "ResearchCoordinator", "FinancialAnalyst", "ResearchCoordinator"]);
    assert.ok(live.events.some((event) => event.level === "thought" && /fetch them in parallel/.test(event.text)));
    assert.deepEqual(live.series.tokensByAgent.map((row) => row.agent).sort(), ["FinancialAnalyst", "ResearchCoordinator"]);
    assert.deepEqual([replayed.title, replayed.status], ["NVDA vs AMD (replay)", "ended"]);
    assert.deepEqual(replayed.counters, live.counters, "the replay adds up to what happened live");
    assert.match(out, /replayed into the dashboard: 4 messages/);

    const [trace] = payloads<TracePayload>(notebook, TRACE_MIME);
    assert.ok(trace, "the session renders as a trace");
    const names = trace.spans.map((span) => span.name);
    for (const name of ["invoke_workflow RoundRobinGroupChat", "invoke_agent FinancialAnalyst", "execute_tool get_financials"]) assert.ok(names.includes(name), `the trace has ${name}`);
    assert.equal(names.filter((name) => name === "execute_tool get_financials").length, 2);

    assert.match(out, /loaded "NVDA vs AMD" tagged financial-analysis, tutorial: (\d+) tokens, as live: true/);
    assert.equal(Number(/tagged financial-analysis, tutorial: (\d+) tokens/.exec(out)![1]), Number(counted[3]));
    assert.match(out, /replayed \d+ events: session_start, /);
    assert.match(out, /the receiver got 3 spans: [^\n]*execute_tool get_financials[^\n]*\nreceiver stopped/);
  },
  script: [/session NVDA vs AMD: ended \(Success\)/, /as live: true/, /replayed into the dashboard: 4 messages/, /the receiver got 3 spans/, /receiver stopped/],
};

describe("06-memory-and-rag.ipynb", () => testNotebook("06-memory-and-rag.ipynb"));
describe("07-monitoring.ipynb", () => testNotebook("07-monitoring.ipynb"));
