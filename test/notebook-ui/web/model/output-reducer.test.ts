import assert from "node:assert/strict";
import { test } from "node:test";
import { CellModel } from "../../../../notebook-ui/web/src/model/cell-model.ts";
import { NotebookModel } from "../../../../notebook-ui/web/src/model/notebook-model.ts";
import { OutputReducer, type DisplayEvent } from "../../../../notebook-ui/web/src/model/output-reducer.ts";

const msg = (msg_type: string, content: Record<string, unknown>) => ({ header: { msg_type }, content });
/** A display_data or update_display_data of plain `text` under `displayId`. */
const displayMsg = (msg_type: "display_data" | "update_display_data", text: string, displayId: string) =>
  msg(msg_type, { data: { "text/plain": text }, metadata: {}, transient: { display_id: displayId } });
/** The data of a cell's first output. */
const firstData = (cell: CellModel) => (cell.outputs[0]!.json as { data: unknown }).data;

test("consecutive stream text of one stream merges into one output", () => {
  const cell = new CellModel("code");
  const reducer = new OutputReducer();
  reducer.apply(cell, msg("stream", { name: "stdout", text: "a\n" }));
  reducer.apply(cell, msg("stream", { name: "stdout", text: "b\n" }));
  reducer.apply(cell, msg("stream", { name: "stderr", text: "oops\n" }));
  reducer.apply(cell, msg("stream", { name: "stdout", text: "c\n" }));
  assert.deepEqual(
    cell.outputs.map((o) => o.json),
    [
      { output_type: "stream", name: "stdout", text: "a\nb\n" },
      { output_type: "stream", name: "stderr", text: "oops\n" },
      { output_type: "stream", name: "stdout", text: "c\n" },
    ],
  );
});

test("update_display_data replaces every output with the display id, in any cell, in place", () => {
  const first = new CellModel("code");
  const second = new CellModel("code");
  const reducer = new OutputReducer();
  reducer.apply(first, displayMsg("display_data", "0%", "progress"));
  reducer.apply(second, displayMsg("display_data", "0%", "progress"));
  const original = first.outputs[0]!;
  const version = original.version;
  let changes = 0;
  first.addEventListener("change", () => changes++);
  reducer.apply(first, displayMsg("update_display_data", "100%", "progress"));
  assert.equal(first.outputs[0], original, "the same output object, so views keep their element");
  assert.equal(original.version, version + 1);
  assert.deepEqual(firstData(first), { "text/plain": "100%" });
  assert.deepEqual(firstData(second), { "text/plain": "100%" });
  assert.equal(changes, 1);
  assert.equal(first.toJSON().outputs![0]!.output_type, "display_data");
  assert.ok(!("transient" in first.toJSON().outputs![0]!), "display ids are not saved");
});

test("a display update needs no cell: it reaches the output after its run ended, from wherever it comes", () => {
  const shown = new CellModel("code");
  const later = new CellModel("code");
  const reducer = new OutputReducer();
  reducer.apply(shown, displayMsg("display_data", "live", "dash"));
  reducer.apply(later, msg("stream", { name: "stdout", text: "another cell runs\n" }));
  reducer.update(displayMsg("update_display_data", "ended", "dash"));
  assert.deepEqual(firstData(shown), { "text/plain": "ended" });
  assert.equal(later.outputs.length, 1, "the cell that happens to run gets nothing");
  reducer.update(displayMsg("update_display_data", "?", "unknown"));
  assert.deepEqual(firstData(shown), { "text/plain": "ended" }, "an unknown display id changes nothing");
});

test("showing a display id again updates the outputs already showing it", () => {
  const first = new CellModel("code");
  const second = new CellModel("code");
  const reducer = new OutputReducer();
  reducer.apply(first, displayMsg("display_data", "v1", "d"));
  reducer.apply(second, displayMsg("display_data", "v2", "d"));
  assert.deepEqual(firstData(first), { "text/plain": "v2" });
  assert.equal(second.outputs.length, 1);
});

test("every rich output shown or replaced is announced as a DisplayEvent; stream text is not", () => {
  const cell = new CellModel("code");
  const reducer = new OutputReducer();
  const seen: unknown[] = [];
  reducer.addEventListener("display", (event) => seen.push((event as DisplayEvent).output.json));
  reducer.apply(cell, msg("stream", { name: "stdout", text: "x" }));
  reducer.apply(cell, displayMsg("display_data", "1", "d"));
  reducer.update(displayMsg("update_display_data", "2", "d"));
  reducer.apply(cell, msg("execute_result", { data: { "text/plain": "3" }, metadata: {}, execution_count: 1 }));
  assert.deepEqual(
    seen.map((json) => (json as { data: Record<string, string> }).data["text/plain"]),
    ["1", "2", "3"],
  );
});

test("clear_output(wait) clears only when the next output arrives", () => {
  const cell = new CellModel("code");
  const reducer = new OutputReducer();
  reducer.apply(cell, msg("stream", { name: "stdout", text: "frame 1" }));
  reducer.apply(cell, msg("clear_output", { wait: true }));
  assert.equal(cell.outputs.length, 1, "nothing disappears yet (no flicker)");
  reducer.apply(cell, msg("stream", { name: "stdout", text: "frame 2" }));
  assert.deepEqual(cell.outputs.map((o) => o.json), [{ output_type: "stream", name: "stdout", text: "frame 2" }]);
  reducer.apply(cell, msg("clear_output", { wait: false }));
  assert.equal(cell.outputs.length, 0);
});

test("results and errors become nbformat outputs; a notebook round-trips through JSON", () => {
  const cell = new CellModel("code", "1 + 1");
  const reducer = new OutputReducer();
  reducer.apply(cell, msg("execute_result", { data: { "text/plain": "2" }, metadata: {}, execution_count: 3 }));
  reducer.apply(cell, msg("error", { ename: "Error", evalue: "boom", traceback: ["Error: boom"] }));
  assert.equal(reducer.apply(cell, msg("status", { execution_state: "idle" })), false);
  cell.executionCount = 3;
  const notebook = new NotebookModel([cell, new CellModel("markdown", "# Title")]);
  const json = JSON.parse(JSON.stringify(notebook.toJSON()));
  const back = NotebookModel.fromJSON(json);
  assert.deepEqual(back.toJSON(), notebook.toJSON());
  assert.equal(json.nbformat_minor, 5);
  assert.equal(json.cells[0].outputs[1].ename, "Error");
});

test("cells read from files with duplicate ids get their own", () => {
  const cell = { cell_type: "code" as const, id: "same", source: ["a\n", "b"], metadata: {}, outputs: [], execution_count: null };
  const notebook = NotebookModel.fromJSON({ nbformat: 4, nbformat_minor: 4, metadata: {}, cells: [cell, cell] });
  assert.notEqual(notebook.cells[0]!.id, notebook.cells[1]!.id);
  assert.equal(notebook.cells[0]!.source, "a\nb", "line lists are joined");
});

test("editing marks the notebook dirty; moving and removing cells too", () => {
  const notebook = new NotebookModel([new CellModel("code", "a"), new CellModel("code", "b")]);
  assert.equal(notebook.dirty, false);
  notebook.cells[0]!.setSource("a2");
  assert.equal(notebook.dirty, true);
  notebook.dirty = false;
  notebook.move(0, 1);
  assert.deepEqual(notebook.cells.map((c) => c.source), ["b", "a2"]);
  assert.equal(notebook.dirty, true);
  notebook.dirty = false;
  notebook.remove([0]);
  assert.equal(notebook.cells.length, 1);
  assert.equal(notebook.dirty, true);
});
