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
  const count = outputs.length;
  for await (const row of input) {
    signal?.throwIfAborted();
    if (test && !test(row)) continue;
    const out: Row = new Array(count);
    for (let i = 0; i < count; i++) out[i] = outputs[i]!(row);
    yield out;
  }
}

/** projectRows over batches of input rows (one async step per batch in, per row out). */
/** One batch projected (and filtered by `test`) synchronously. */
export function projectBatch(batch: readonly Row[], outputs: readonly Evaluator[], test?: (row: Row) => boolean): Row[] {
  const count = outputs.length;
  const out: Row[] = [];
  for (let r = 0; r < batch.length; r++) {
    const row = batch[r]!;
    if (test && !test(row)) continue;
    const projected: Row = new Array(count);
    for (let i = 0; i < count; i++) projected[i] = outputs[i]!(row);
    out.push(projected);
  }
  return out;
}

export async function* projectBatches(
  input: AsyncIterable<Row[]>,
  outputs: readonly Evaluator[],
  test?: (row: Row) => boolean,
  signal?: AbortSignal,
): AsyncGenerator<Row> {
  const count = outputs.length;
  for await (const batch of input) {
    signal?.throwIfAborted();
    for (let r = 0; r < batch.length; r++) {
      const row = batch[r]!;
      if (test && !test(row)) continue;
      const out: Row = new Array(count);
      for (let i = 0; i < count; i++) out[i] = outputs[i]!(row);
      yield out;
    }
  }
}
