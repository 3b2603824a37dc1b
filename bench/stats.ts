/** Small timing helpers shared by the benchmarks. */

/** Percentile (0..100) of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** A named thing to time. */
export interface Contender {
  name: string;
  run: () => Promise<unknown>;
}

/**
 * Time each contender `iterations` times after `warmup` unmeasured runs, interleaving them
 * (A, B, C, A, B, C, ...) so that drift in machine load hits all of them alike.
 */
export async function measureInterleaved(
  contenders: readonly Contender[],
  { warmup = 10, iterations = 100 } = {},
): Promise<Array<{ name: string; times: number[] }>> {
  for (let i = 0; i < warmup; i++) for (const contender of contenders) await contender.run();
  const results = contenders.map(({ name }) => ({ name, times: [] as number[] }));
  for (let i = 0; i < iterations; i++)
    for (const [index, contender] of contenders.entries()) {
      const start = performance.now();
      await contender.run();
      results[index]!.times.push(performance.now() - start);
    }
  return results;
}

/** One row of a results table. */
export interface BenchRow {
  name: string;
  p50: number;
  p95: number;
  /** p50 divided by the baseline's p50. */
  ratio: number;
}

/** Rows with ratios against the first entry (the baseline). */
export function compare(results: ReadonlyArray<{ name: string; times: number[] }>): BenchRow[] {
  const base = percentile(results[0]!.times, 50);
  return results.map(({ name, times }) => ({
    name,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    ratio: percentile(times, 50) / base,
  }));
}

/** Print a table of rows under a title. */
export function printTable(title: string, rows: readonly BenchRow[]): void {
  console.log(`\n${title}`);
  console.log(`${"".padEnd(28)}${"p50 ms".padStart(10)}${"p95 ms".padStart(10)}${"ratio".padStart(8)}`);
  for (const row of rows)
    console.log(`${row.name.padEnd(28)}${row.p50.toFixed(3).padStart(10)}${row.p95.toFixed(3).padStart(10)}${row.ratio.toFixed(2).padStart(8)}`);
}
