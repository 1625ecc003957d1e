import type { Evaluator } from '../expressions.js';
import type { Row } from '../table.js';

/**
 * Computes the output row (select list, then any extra sort keys) from each input row that
 * passes `test`. The filter is fused in here because every async hop costs per row, and a
 * scan → filter → project chain is the hot path of every query.
 */
export async function* projectRows(
  input: AsyncIterable<Row>,
  outputs: readonly Evaluator[],
  test?: (row: Row) => boolean,
  signal?: AbortSignal,
): AsyncGenerator<Row> {
  const project = projector(outputs);
  for await (const row of input) {
    signal?.throwIfAborted();
    if (test && !test(row)) continue;
    yield project(row);
  }
}

/** projectRows over batches of input rows (one async step per batch in, per row out). */
/** One batch projected (and filtered by `test`) synchronously. */
export function projectBatch(batch: readonly Row[], outputs: readonly Evaluator[], test?: (row: Row) => boolean): Row[] {
  const project = projector(outputs);
  const out: Row[] = [];
  if (test) {
    for (let r = 0; r < batch.length; r++) {
      const row = batch[r]!;
      if (test(row)) out.push(project(row));
    }
  } else {
    for (let r = 0; r < batch.length; r++) out.push(project(batch[r]!));
  }
  return out;
}

export async function* projectBatches(
  input: AsyncIterable<Row[]>,
  outputs: readonly Evaluator[],
  test?: (row: Row) => boolean,
  signal?: AbortSignal,
): AsyncGenerator<Row> {
  const project = projector(outputs);
  for await (const batch of input) {
    signal?.throwIfAborted();
    for (let r = 0; r < batch.length; r++) {
      const row = batch[r]!;
      if (test && !test(row)) continue;
      yield project(row);
    }
  }
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
