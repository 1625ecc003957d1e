// The engine's one execution protocol: every operator reads and yields batches, arrays of rows
// (up to BATCH_ROWS of them where the operator makes them), so the work per row is a plain loop
// and the async step (and the check of the caller's cancel) comes once per batch. Rows are
// flattened out of batches only at the public edge, QueryPlan.rows().

import type { Row } from '../table.js';

export type Batches = AsyncIterable<Row[]>;
export type RowTest = (row: Row) => boolean;

/** The size of the batches an operator builds itself (a sort's output, a join's, a scan's). */
export const BATCH_ROWS = 1024;

/** The public edge: the rows of the batches, one at a time; stopping early stops the input. */
export async function* flatten(input: Batches, signal?: AbortSignal): AsyncGenerator<Row> {
  for await (const batch of input) {
    signal?.throwIfAborted();
    for (let i = 0; i < batch.length; i++) yield batch[i]!;
  }
}

/**
 * A source that yields rows one at a time (a table without scanBatches, a paging API), as
 * batches of one row: nothing is pulled that the consumer did not ask for, so a LIMIT stops a
 * paging scan at the row it needs and the first row reaches the caller as soon as it is read.
 */
export async function* batchesOfRows(rows: AsyncIterable<Row>, signal?: AbortSignal): AsyncGenerator<Row[]> {
  for await (const row of rows) {
    signal?.throwIfAborted();
    yield [row];
  }
}

/** Rows computed synchronously (already in memory), handed on BATCH_ROWS at a time. */
export async function* chunks(rows: Iterable<Row>, signal?: AbortSignal): AsyncGenerator<Row[]> {
  let batch: Row[] = [];
  for (const row of rows) {
    if (batch.push(row) >= BATCH_ROWS) {
      signal?.throwIfAborted();
      yield batch;
      batch = [];
    }
  }
  signal?.throwIfAborted();
  if (batch.length > 0) yield batch;
}

export async function* noBatches(): AsyncGenerator<Row[]> {}

/** The rows of one batch that pass `test`. */
export function keep(batch: readonly Row[], test: RowTest): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < batch.length; i++) if (test(batch[i]!)) out.push(batch[i]!);
  return out;
}

/** Each row that passes `test` (when given) mapped; batches left empty are not handed on. */
export async function* mapBatches(input: Batches, test: RowTest | undefined, map: ((row: Row) => Row) | undefined, signal?: AbortSignal): AsyncGenerator<Row[]> {
  for await (const batch of input) {
    signal?.throwIfAborted();
    let out: Row[];
    if (!map) out = test ? keep(batch, test) : batch;
    else {
      out = [];
      for (let i = 0; i < batch.length; i++) {
        const row = batch[i]!;
        if (!test || test(row)) out.push(map(row));
      }
    }
    if (out.length > 0) yield out;
  }
}

/** The rows cut to their first `width` values (the extra sort keys dropped). */
export function trimBatches(input: Batches, width: number, signal?: AbortSignal): Batches {
  return mapBatches(input, undefined, (row) => row.slice(0, width), signal);
}
