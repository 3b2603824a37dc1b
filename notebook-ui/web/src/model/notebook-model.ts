import { CellModel, type CellJson, type CellType } from "./cell-model.ts";

/** A notebook as nbformat 4 stores it. */
export interface NotebookJson {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: CellJson[];
}

/**
 * The notebook being edited: an ordered list of cells and the metadata. Fires "cells" when
 * cells are added, removed or moved, and "dirty" when the unsaved state changes.
 */
export class NotebookModel extends EventTarget {
  /** The cells in order. */
  cells: CellModel[];
  /** Notebook metadata (kernelspec, language_info, ...). */
  metadata: Record<string, unknown>;
  /** nbformat minor version (at least 5, which has cell ids). */
  nbformatMinor: number;
  #dirty = false;

  constructor(cells: CellModel[] = [], metadata: Record<string, unknown> = {}, nbformatMinor = 5) {
    super();
    this.cells = cells;
    this.metadata = metadata;
    this.nbformatMinor = Math.max(5, nbformatMinor);
    for (const cell of cells) this.#watch(cell);
  }

  /** Read nbformat JSON. */
  static fromJSON(json: NotebookJson): NotebookModel {
    const cells = (json.cells ?? []).map((cell) => CellModel.fromJSON(cell));
    const seen = new Set<string>();
    // Files written by old tools can repeat ids; every cell needs its own.
    const unique = cells.map((cell) => {
      if (!seen.has(cell.id) && cell.id) {
        seen.add(cell.id);
        return cell;
      }
      const copy = cell.clone();
      seen.add(copy.id);
      return copy;
    });
    return new NotebookModel(unique, json.metadata ?? {}, json.nbformat_minor ?? 5);
  }

  /** nbformat 4.5 JSON. */
  toJSON(): NotebookJson {
    return { nbformat: 4, nbformat_minor: this.nbformatMinor, metadata: this.metadata, cells: this.cells.map((cell) => cell.toJSON()) };
  }

  /** Whether there are unsaved changes. */
  get dirty(): boolean {
    return this.#dirty;
  }

  set dirty(value: boolean) {
    if (value === this.#dirty) return;
    this.#dirty = value;
    this.dispatchEvent(new Event("dirty"));
  }

  #watch(cell: CellModel): void {
    const mark = () => (this.dirty = true);
    cell.addEventListener("source", mark);
    cell.addEventListener("change", mark);
  }

  #cellsChanged(): void {
    this.dirty = true;
    this.dispatchEvent(new Event("cells"));
  }

  /** Insert `cell` (or a new empty cell of `type`) at `index`; returns it. */
  insert(index: number, cell: CellModel | CellType = "code"): CellModel {
    const model = typeof cell === "string" ? new CellModel(cell) : cell;
    this.#watch(model);
    this.cells.splice(Math.max(0, Math.min(index, this.cells.length)), 0, model);
    this.#cellsChanged();
    return model;
  }

  /** Remove the cells at `indexes`; returns them in order. */
  remove(indexes: number[]): CellModel[] {
    const sorted = [...new Set(indexes)].filter((i) => i >= 0 && i < this.cells.length).sort((a, b) => a - b);
    const removed = sorted.map((i) => this.cells[i]!);
    for (const i of sorted.reverse()) this.cells.splice(i, 1);
    if (removed.length) this.#cellsChanged();
    return removed;
  }

  /** Move the cell at `from` to `to`. */
  move(from: number, to: number): void {
    if (from === to || from < 0 || to < 0 || from >= this.cells.length || to >= this.cells.length) return;
    const [cell] = this.cells.splice(from, 1);
    this.cells.splice(to, 0, cell!);
    this.#cellsChanged();
  }

  /** Index of a cell, or -1. */
  indexOf(cell: CellModel): number {
    return this.cells.indexOf(cell);
  }
}
