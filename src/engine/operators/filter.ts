import type { Row } from '../table.js';

/** Keeps the rows for which `test` is true (WHERE keeps only TRUE, never UNKNOWN). */
export async function* filterRows(input: AsyncIterable<Row>, test: (row: Row) => boolean, signal?: AbortSignal): AsyncGenerator<Row> {
  for await (const row of input) {
    signal?.throwIfAborted();
    if (test(row)) yield row;
  }
}
