import type { Row, SqlValue } from '../table.js';
import { compareValues } from '../values.js';
import type { Evaluator } from '../expressions.js';
import { chunks, type Batches, type RowTest } from './batches.js';
import { projector } from './project.js';
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
export async function* sortBatches(input: Batches, keys: readonly SortKey[], keep: number | undefined, limits?: OperatorLimits): AsyncGenerator<Row[]> {
  const buffer = new SortBuffer(keys, keep, rowCap(limits));
  const signal = limits?.signal;
  for await (const batch of input) {
    signal?.throwIfAborted();
    for (let i = 0; i < batch.length; i++) buffer.add(batch[i]!);
  }
  yield* chunks(buffer.finish(), signal);
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
  /** Once the buffer has been cut: the keep-th best row, which a new row must beat. */
  cutoff: Row | undefined;

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

/**
 * ORDER BY … LIMIT over a projection of plain columns: the sort keys are read from the input
 * row and compared with the current cutoff first, and only a row that beats it is projected
 * (a copy made) and buffered, so a top-10 of a million rows makes about as many copies as
 * there are new leaders. Used only where projecting has no effect but the copy (every output a
 * column or a constant), so no error a dropped row would have raised goes missing.
 */
export async function* topBatches(
  input: Batches,
  test: RowTest | undefined,
  outputs: readonly Evaluator[],
  keys: readonly SortKey[],
  keep: number,
  limits?: OperatorLimits,
): AsyncGenerator<Row[]> {
  const buffer = new SortBuffer(keys, keep, rowCap(limits));
  const signal = limits?.signal;
  const project = projector(outputs);
  const beats = beatsCutoff(keys, outputs);
  for await (const batch of input) {
    signal?.throwIfAborted();
    for (let i = 0; i < batch.length; i++) {
      const row = batch[i]!;
      if (test && !test(row)) continue;
      const cutoff = buffer.cutoff;
      if (cutoff !== undefined && !beats(row, cutoff)) continue;
      buffer.add(project(row));
    }
  }
  yield* chunks(buffer.finish(), signal);
}

/** Whether an input row sorts strictly before the cutoff (an output row), keys read from the input. */
export function beatsCutoff(keys: readonly SortKey[], outputs: readonly Evaluator[]): (row: Row, cutoff: Row) => boolean {
  const values = keys.map((k) => outputs[k.index]!);
  const compares = keys.map(valueComparator);
  const indexes = keys.map((k) => k.index);
  const count = keys.length;
  return (row, cutoff) => {
    for (let k = 0; k < count; k++) {
      const c = compares[k]!(values[k]!(row), cutoff[indexes[k]!] ?? null);
      if (c !== 0) return c < 0;
    }
    return false;
  };
}

/** Orders rows by the keys, each key's comparison specialised (numbers compared inline). */
export function rowComparator(keys: readonly SortKey[]): (a: Row, b: Row) => number {
  const compares = keys.map(valueComparator);
  if (keys.length === 1) {
    const [index] = keys.map((k) => k.index) as [number];
    const [compare] = compares as [(a: SqlValue, b: SqlValue) => number];
    return (a, b) => compare(a[index] ?? null, b[index] ?? null);
  }
  if (keys.length === 2) {
    const [first, second] = keys.map((k) => k.index) as [number, number];
    const [compareFirst, compareSecond] = compares as [(a: SqlValue, b: SqlValue) => number, (a: SqlValue, b: SqlValue) => number];
    return (a, b) => compareFirst(a[first] ?? null, b[first] ?? null) || compareSecond(a[second] ?? null, b[second] ?? null);
  }
  const indexes = keys.map((k) => k.index);
  return (a, b) => {
    for (let k = 0; k < indexes.length; k++) {
      const c = compares[k]!(a[indexes[k]!] ?? null, b[indexes[k]!] ?? null);
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** One key's order of two values: numbers inline, the rest (and NULL placement) by compareForSort. */
export function valueComparator(key: SortKey): (a: SqlValue, b: SqlValue) => number {
  const sign = key.descending ? -1 : 1;
  return (a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -sign : a > b ? sign : compareForSort(a, b, key);
    return compareForSort(a, b, key);
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
