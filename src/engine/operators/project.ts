import type { Evaluator } from '../expressions.js';
import type { Row } from '../table.js';
import type { Prepare } from '../subqueries.js';
import type { Batches, RowTest } from './batches.js';

/** What one stage does to each row, in this order; every part is optional. */
export interface Stage {
  /** Rows failing it are dropped first (a WHERE or a scan's residual: no subqueries). */
  test?: RowTest | undefined;
  /** Fills the cells of the subqueries `check` and `outputs` read, for this row (subqueries.ts). */
  prepare?: Prepare | undefined;
  /** Then rows failing this are dropped (a WHERE or HAVING that reads subqueries). */
  check?: RowTest | undefined;
  /** The output row (select list, then any extra sort keys); the row itself when absent. */
  outputs?: readonly Evaluator[] | undefined;
}

/**
 * Filters and projects each batch. Without subqueries a batch is done in one synchronous loop;
 * with them each row waits for its subqueries just before it is tested and projected, because
 * a subquery's cell holds the result for one row at a time.
 */
export async function* stageBatches(input: Batches, stage: Stage, signal?: AbortSignal): AsyncGenerator<Row[]> {
  const project = stage.outputs ? projector(stage.outputs) : undefined;
  const { test, prepare, check } = stage;
  const last = check ?? (() => true);
  for await (const batch of input) {
    signal?.throwIfAborted();
    let out: Row[];
    if (!prepare) out = projectBatch(batch, project, test && check ? (row) => test(row) && check(row) : (test ?? check));
    else {
      out = [];
      for (let r = 0; r < batch.length; r++) {
        const row = batch[r]!;
        if (test && !test(row)) continue;
        await prepare(row);
        if (last(row)) out.push(project ? project(row) : row);
      }
    }
    if (out.length > 0) yield out;
  }
}

/** One batch filtered by `test` and projected, synchronously. */
export function projectBatch(batch: readonly Row[], project: ((row: Row) => Row) | undefined, test: RowTest | undefined): Row[] {
  const out: Row[] = [];
  if (!project) {
    if (!test) return batch as Row[];
    for (let r = 0; r < batch.length; r++) if (test(batch[r]!)) out.push(batch[r]!);
  } else if (test) {
    for (let r = 0; r < batch.length; r++) {
      const row = batch[r]!;
      if (test(row)) out.push(project(row));
    }
  } else {
    for (let r = 0; r < batch.length; r++) out.push(project(batch[r]!));
  }
  return out;
}

/**
 * One output row from an input row. Up to four outputs build an array literal (several times
 * faster than `new Array(n)` filled in, which V8 makes a holey array); more are pushed in a loop.
 */
export function projector(outputs: readonly Evaluator[]): (row: Row) => Row {
  switch (outputs.length) {
    case 0:
      return () => [];
    case 1: {
      const [a] = outputs as [Evaluator];
      return (row) => [a(row)];
    }
    case 2: {
      const [a, b] = outputs as [Evaluator, Evaluator];
      return (row) => [a(row), b(row)];
    }
    case 3: {
      const [a, b, c] = outputs as [Evaluator, Evaluator, Evaluator];
      return (row) => [a(row), b(row), c(row)];
    }
    case 4: {
      const [a, b, c, d] = outputs as [Evaluator, Evaluator, Evaluator, Evaluator];
      return (row) => [a(row), b(row), c(row), d(row)];
    }
    default: {
      const all = outputs.slice();
      const count = all.length;
      return (row) => {
        const out: Row = [];
        for (let i = 0; i < count; i++) out.push(all[i]!(row));
        return out;
      };
    }
  }
}
