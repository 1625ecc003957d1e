// ORDER BY without LIMIT over a table that offers its columns as vectors (operators/column-scan.ts):
// the positions of the rows that pass are sorted, comparing the first key on its vector, and
// the rows are projected in that order. The row path (sortBatches, sort.ts) sorts projected rows
// whose keys are boxed values spread over the heap; here most comparisons read two numbers of
// one Float64Array. A NULL against a value is placed without reading the rows; a tie, or a NaN,
// takes every key's own comparison, as the row path does. The comparator answers as the row
// path's for every pair and the sort is the same stable Array.prototype.sort over the rows in
// the same order, so the order out is the row path's, ties included.

import type { Evaluator } from '../expressions.js';
import type { ExecContext, Row } from '../table.js';
import { BATCH_ROWS, type RowTest } from './batches.js';
import { openColumnScan, selections, type ColumnScan } from './column-scan.js';
import { projector } from './project.js';
import { checkHeld, rowCap } from './row-budget.js';
import { valueComparator, type SortKey } from './sort.js';

/**
 * The scan's rows that pass its tests and `test`, projected by `outputs`, ordered by `keys`
 * (indexes into the outputs); `keyColumns[k]`: the table column key k reads, or undefined when
 * it reads none (a constant).
 */
export async function* sortOfColumns(
  scan: ColumnScan,
  test: RowTest | undefined,
  outputs: readonly Evaluator[],
  keys: readonly SortKey[],
  keyColumns: readonly (number | undefined)[],
  ctx: ExecContext,
): AsyncGenerator<Row[]> {
  const opened = openColumnScan(scan, keyColumns.filter((c): c is number => c !== undefined));
  const { rows, selected } = opened;
  const rowTest = opened.rowTest && test ? (row: Row) => opened.rowTest!(row) && test(row) : (opened.rowTest ?? test);
  const cap = rowCap(ctx);
  const positions: number[] = [];
  for (const count of selections(scan, opened, ctx)) {
    for (let j = 0; j < count; j++) {
      const p = selected[j]!;
      if (!rowTest || rowTest(rows[p]!)) positions.push(p);
    }
    checkHeld('Sort', positions.length, cap);
  }
  // The rows kept, and each key's values for them side by side (read in order, compared at random).
  const kept = positions.map((p) => rows[p]!);
  const compares = keys.map((key, k) => {
    const column = keyColumns[k];
    const vector = column === undefined ? undefined : opened.data.vector(column);
    return vector ? vectorComparator(key, vector.values, vector.nulls, positions, kept, outputs) : rowValueComparator(key, kept, outputs);
  });
  // Sorting the ranks 0…n-1 in scan order, as the row path sorts the rows: stable, the same order.
  const order = positions.map((_, i) => i);
  order.sort(combined(compares));
  ctx.signal?.throwIfAborted();
  const project = projector(outputs);
  let batch: Row[] = [];
  for (let i = 0; i < order.length; i++) {
    batch.push(project(kept[order[i]!]!));
    if (batch.length >= BATCH_ROWS) {
      ctx.signal?.throwIfAborted();
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

type RankComparator = (a: number, b: number) => number;

/** The keys together, as rowComparator joins them: with two keys, a NaN from the first (a NaN value) falls through to the second. */
function combined(compares: readonly RankComparator[]): RankComparator {
  if (compares.length === 1) return compares[0]!;
  if (compares.length === 2) {
    const [first, second] = compares as [RankComparator, RankComparator];
    return (a, b) => first(a, b) || second(a, b);
  }
  const count = compares.length;
  return (a, b) => {
    for (let k = 0; k < count; k++) {
      const c = compares[k]!(a, b);
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** One key by its own comparison of the values the outputs give (valueComparator, as the row path). */
function rowValueComparator(key: SortKey, kept: readonly Row[], outputs: readonly Evaluator[]): RankComparator {
  const compare = valueComparator(key);
  const evaluate = outputs[key.index]!;
  return (a, b) => compare(evaluate(kept[a]!), evaluate(kept[b]!));
}

/**
 * One key on its vector: two numbers compared inline, a NULL placed against a value without
 * reading the rows; a NaN (a real one) takes the key's own comparison. Answers as valueComparator.
 */
function vectorComparator(key: SortKey, vectorValues: Float64Array, vectorNulls: Uint8Array, positions: readonly number[], kept: readonly Row[], outputs: readonly Evaluator[]): RankComparator {
  const count = positions.length;
  const values = new Float64Array(count);
  const nulls = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const p = positions[i]!;
    values[i] = vectorValues[p]!;
    nulls[i] = vectorNulls[p]!;
  }
  const sign = key.descending ? -1 : 1;
  const nullsFirst = key.nullsFirst;
  const slow = rowValueComparator(key, kept, outputs);
  return (a, b) => {
    const va = values[a]!;
    const vb = values[b]!;
    if (va < vb) return -sign;
    if (va > vb) return sign;
    if (va === vb) return 0;
    // One or both NaN: a NULL (or two), or a real NaN.
    const nullA = nulls[a] === 1;
    const nullB = nulls[b] === 1;
    if (nullA && nullB) return 0;
    if (nullA && vb === vb) return nullsFirst ? -1 : 1;
    if (nullB && va === va) return nullsFirst ? 1 : -1;
    return slow(a, b);
  };
}
