import type { Row } from '../table.js';
import { distinctKey } from '../values.js';

/** Drops rows equal to an earlier one over the first `width` values (NULLs equal for DISTINCT). */
export async function* distinctRows(input: AsyncIterable<Row>, width: number): AsyncGenerator<Row> {
  const seen = new Set<string>();
  for await (const row of input) if (firstSeen(seen, row, width)) yield row;
}

/** distinctRows over a batched source, each batch turned into rows and filtered in one loop. */
export async function* distinctBatches(input: AsyncIterable<Row[]>, toRows: (batch: Row[]) => Row[], width: number, signal?: AbortSignal): AsyncGenerator<Row> {
  const seen = new Set<string>();
  for await (const batch of input) {
    signal?.throwIfAborted();
    const fresh = toRows(batch).filter((row) => firstSeen(seen, row, width));
    yield* fresh;
  }
}

function firstSeen(seen: Set<string>, row: Row, width: number): boolean {
  let key = '';
  for (let i = 0; i < width; i++) key += `${distinctKey(row[i] ?? null)}\u0000`;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}
