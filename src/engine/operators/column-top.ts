// ORDER BY … LIMIT over a table that offers its columns as vectors (operators/column-scan.ts):
// topBatches (sort.ts) with the first sort key read from its vector. Once the buffer has its
// cutoff, a position whose first key is strictly worse than the cutoff's is dropped after one
// comparison of two numbers, without reading the row; a strictly better one is taken; a tie,
// or a key the fast comparison cannot order (NaN), goes to the full comparison of every key,
// as in topBatches. The rows kept, their order and the errors raised are topBatches' own.

import type { ColumnVector } from '../column-vectors.js';
import { vectorKindOf, vectorNumber } from '../column-vectors.js';
import type { Evaluator } from '../expressions.js';
import type { ExecContext, Row, SqlValue } from '../table.js';
import { chunks, type RowTest } from './batches.js';
import { openColumnScan, selections, type ColumnScan } from './column-scan.js';
import { projector } from './project.js';
import { rowCap } from './row-budget.js';
import { beatsCutoff, SortBuffer, type SortKey } from './sort.js';

/**
 * The best `keep` rows of the scan that pass its tests and `test`, projected by `outputs`, in
 * order. `keyColumn`: the table column the first sort key reads (undefined when it is not a
 * plain column: then every comparison is the full one).
 */
export async function* topOfColumns(
  scan: ColumnScan,
  test: RowTest | undefined,
  outputs: readonly Evaluator[],
  keys: readonly SortKey[],
  keep: number,
  keyColumn: number | undefined,
  ctx: ExecContext,
): AsyncGenerator<Row[]> {
  const opened = openColumnScan(scan, keyColumn === undefined ? [] : [keyColumn]);
  const { rows, selected } = opened;
  const rowTest = opened.rowTest && test ? (row: Row) => opened.rowTest!(row) && test(row) : (opened.rowTest ?? test);
  const buffer = new SortBuffer(keys, keep, rowCap(ctx));
  const project = projector(outputs);
  const beats = beatsCutoff(keys, outputs);
  const first = keys[0]!;
  const vector = keyColumn === undefined ? undefined : opened.data.vector(keyColumn);
  const values = vector?.values;
  const nulls = vector?.nulls;
  const descending = first.descending;
  const nullsFirst = first.nullsFirst;
  let cutoffRow: Row | undefined;
  // The cutoff's first key as the vector's number; NaN when there is none to compare with.
  let bound = NaN;
  for (const count of selections(scan, opened, ctx)) {
    for (let j = 0; j < count; j++) {
      const p = selected[j]!;
      let row: Row | undefined;
      if (rowTest) {
        row = rows[p]!;
        if (!rowTest(row)) continue;
      }
      const cutoff = buffer.cutoff;
      if (cutoff !== undefined) {
        if (cutoff !== cutoffRow) {
          cutoffRow = cutoff;
          bound = boundOf(cutoff[first.index] ?? null, vector);
        }
        // -1: worse than the cutoff, 1: better, 0: compare every key.
        let verdict = 0;
        if (bound === bound) {
          const v = values![p]!;
          if (v < bound) verdict = descending ? -1 : 1;
          else if (v > bound) verdict = descending ? 1 : -1;
          else if (nulls![p] === 1) verdict = nullsFirst ? 1 : -1;
        }
        if (verdict < 0) continue;
        row ??= rows[p]!;
        if (verdict === 0 && !beats(row, cutoff)) continue;
      }
      buffer.add(project(row ?? rows[p]!));
    }
  }
  yield* chunks(buffer.finish(), ctx.signal);
}

/** `value` as the number the vector holds for it; NaN when it is NULL, NaN or of another kind. */
function boundOf(value: SqlValue, vector: ColumnVector | undefined): number {
  if (!vector || vector.kind === undefined || value === null) return NaN;
  return vectorKindOf(value) === vector.kind ? vectorNumber(value as number | boolean | Date) : NaN;
}
