import type { Row, SqlValue } from '../table.js';
import { compareValues } from '../values.js';
import { checkHeld, rowCap, type OperatorLimits } from './row-budget.js';

export interface SortKey {
  /** Index of the key's value in the rows being sorted. */
  index: number;
  descending: boolean;
  nullsFirst: boolean;
}

/**
 * Orders rows by the keys; stable (Array.prototype.sort is), NULL placement per key. With
 * `keep` (LIMIT + OFFSET) only the first `keep` rows are needed: see SortBuffer.
 */
export async function* sortRows(input: AsyncIterable<Row>, keys: readonly SortKey[], keep?: number, limits?: OperatorLimits): AsyncGenerator<Row> {
  const buffer = new SortBuffer(keys, keep, rowCap(limits));
  const signal = limits?.signal;
  for await (const row of input) {
    signal?.throwIfAborted();
    buffer.add(row);
  }
  yield* emit(buffer.finish(), signal);
}

/**
 * sortRows over a batched source: each batch is turned into rows (projected, filtered) and
 * buffered in one synchronous loop, so a million-row sort makes no async step per row.
 */
export async function* sortBatches(
  input: AsyncIterable<Row[]>,
  toRows: (batch: Row[]) => Row[],
  keys: readonly SortKey[],
  keep: number | undefined,
  limits?: OperatorLimits,
): AsyncGenerator<Row> {
  const buffer = new SortBuffer(keys, keep, rowCap(limits));
  const signal = limits?.signal;
  for await (const batch of input) {
    signal?.throwIfAborted();
    for (const row of toRows(batch)) buffer.add(row);
  }
  yield* emit(buffer.finish(), signal);
}

/** The sorted rows, one at a time, stopping when the caller cancels. */
function* emit(rows: Row[], signal: AbortSignal | undefined): Generator<Row> {
  for (const row of rows) {
    signal?.throwIfAborted();
    yield row;
  }
}

/**
 * Collects rows to sort. With `keep`, the buffer is cut back to the best `keep` rows whenever
 * it doubles — O(n log keep), bounded memory — and after the first cut a row that does not
 * beat the keep-th best is dropped with one comparison (the common case for ORDER BY … LIMIT
 * over many rows). Stability holds: survivors stay ahead of later rows with equal keys, so an
 * equal later row can never displace them. Under a cap on rows held (MaxIntermediateRows) the
 * buffer is cut back before it passes the cap, so only a sort that must keep more rows than
 * the cap (no LIMIT, or a LIMIT above it) stops.
 */
export class SortBuffer {
  private rows: Row[] = [];
  private readonly compare: (a: Row, b: Row) => number;
  private readonly threshold: number;
  private cutoff: Row | undefined;

  constructor(keys: readonly SortKey[], private readonly keep?: number, private readonly cap = Infinity) {
    this.compare = rowComparator(keys);
    this.threshold = keep === undefined ? Infinity : Math.min(Math.max(2 * keep, 1024), cap);
  }

  add(row: Row): void {
    if (this.cutoff !== undefined && this.compare(row, this.cutoff) >= 0) return;
    this.rows.push(row);
    checkHeld('Sort', this.rows.length, this.cap);
    if (this.rows.length >= this.threshold) this.cut();
  }

  finish(): Row[] {
    this.rows.sort(this.compare);
    if (this.keep !== undefined && this.rows.length > this.keep) this.rows.length = this.keep;
    return this.rows;
  }

  private cut(): void {
    this.rows = this.rows.sort(this.compare).slice(0, this.keep);
    if (this.keep !== undefined && this.keep > 0 && this.rows.length === this.keep) this.cutoff = this.rows[this.keep - 1];
  }
}

export function rowComparator(keys: readonly SortKey[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const key of keys) {
      const c = compareForSort(a[key.index] ?? null, b[key.index] ?? null, key);
      if (c !== 0) return c;
    }
    return 0;
  };
}

function compareForSort(a: SqlValue, b: SqlValue, key: SortKey): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === key.nullsFirst ? -1 : 1;
  }
  // Values of one column share a kind; mixed kinds (rare) order by kind name to stay total.
  const c = compareValues(a, b) ?? (typeof a < typeof b ? -1 : typeof a > typeof b ? 1 : 0);
  return key.descending ? -c : c;
}
