/**
 * Unit vectors packed in one growing Float32Array, searched exactly: the score of a row is its
 * dot product with the (unit) query, i.e. the cosine similarity. Rows are addressed by
 * position; removing one moves the last row into its place.
 */
export class PackedVectorIndex {
  readonly dimension: number;
  #data: Float32Array;
  #rows = 0;

  constructor(dimension: number, initialCapacity = 1024) {
    this.dimension = dimension;
    this.#data = new Float32Array(dimension * Math.max(1, initialCapacity));
  }

  /** Number of rows. */
  get size(): number {
    return this.#rows;
  }

  /** Append a unit vector; returns its row. */
  push(vector: Float32Array): number {
    if (vector.length !== this.dimension)
      throw new Error(`A vector of ${vector.length} numbers cannot go into an index of dimension ${this.dimension}.`);
    if ((this.#rows + 1) * this.dimension > this.#data.length) {
      const grown = new Float32Array(this.#data.length * 2);
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data.set(vector, this.#rows * this.dimension);
    return this.#rows++;
  }

  /** Row `row` (a view; copy it to keep it). */
  row(row: number): Float32Array {
    return this.#data.subarray(row * this.dimension, (row + 1) * this.dimension);
  }

  /** Remove `row` by moving the last row into it; returns the row that moved (or -1). */
  swapRemove(row: number): number {
    const last = this.#rows - 1;
    if (row !== last) this.#data.copyWithin(row * this.dimension, last * this.dimension, (last + 1) * this.dimension);
    this.#rows--;
    return row === last ? -1 : last;
  }

  clear(): void {
    this.#rows = 0;
  }

  /**
   * The `k` best rows for `query` (unit length), best first, among rows that `accept` (all
   * when omitted) and score at least `minScore`.
   */
  search(query: Float32Array, k: number, options: { accept?: (row: number) => boolean; minScore?: number } = {}): Array<{ row: number; score: number }> {
    if (k <= 0 || this.#rows === 0) return [];
    const { accept, minScore = -Infinity } = options;
    const dimension = this.dimension;
    const data = this.#data;
    const unrolled = dimension - (dimension % 4);
    // A min-heap of the best k so far, as parallel arrays.
    const heapRows = new Int32Array(k);
    const heapScores = new Float64Array(k);
    let heapSize = 0;
    for (let row = 0; row < this.#rows; row++) {
      if (accept && !accept(row)) continue;
      // Four running sums: about a third faster than one in V8, and this loop is the whole cost.
      const offset = row * dimension;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = 0;
      for (; i < unrolled; i += 4) {
        s0 += data[offset + i]! * query[i]!;
        s1 += data[offset + i + 1]! * query[i + 1]!;
        s2 += data[offset + i + 2]! * query[i + 2]!;
        s3 += data[offset + i + 3]! * query[i + 3]!;
      }
      for (; i < dimension; i++) s0 += data[offset + i]! * query[i]!;
      const score = s0 + s1 + s2 + s3;
      if (score < minScore) continue;
      if (heapSize < k) {
        let child = heapSize++;
        while (child > 0) {
          const parent = (child - 1) >> 1;
          if (heapScores[parent]! <= score) break;
          heapScores[child] = heapScores[parent]!;
          heapRows[child] = heapRows[parent]!;
          child = parent;
        }
        heapScores[child] = score;
        heapRows[child] = row;
      } else if (score > heapScores[0]!) {
        let parent = 0;
        for (;;) {
          let child = 2 * parent + 1;
          if (child >= k) break;
          if (child + 1 < k && heapScores[child + 1]! < heapScores[child]!) child++;
          if (heapScores[child]! >= score) break;
          heapScores[parent] = heapScores[child]!;
          heapRows[parent] = heapRows[child]!;
          parent = child;
        }
        heapScores[parent] = score;
        heapRows[parent] = row;
      }
    }
    const out: Array<{ row: number; score: number }> = [];
    for (let i = 0; i < heapSize; i++) out.push({ row: heapRows[i]!, score: heapScores[i]! });
    // Best first; ties keep the earlier row first so results are stable.
    return out.sort((a, b) => b.score - a.score || a.row - b.row);
  }
}
