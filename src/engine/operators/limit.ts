import type { Row } from '../table.js';
import type { Batches } from './batches.js';

/**
 * Skips `offset` rows then passes `limit` rows, and stops pulling as soon as it has them:
 * leaving the for-await calls return() on the upstream iterator, so a paging scan stops.
 */
export async function* limitBatches(input: Batches, limit: number | undefined, offset: number, signal?: AbortSignal): AsyncGenerator<Row[]> {
  if (limit === 0) return;
  let skip = offset;
  let left = limit ?? Infinity;
  for await (const batch of input) {
    signal?.throwIfAborted();
    let from = 0;
    if (skip > 0) {
      from = Math.min(skip, batch.length);
      skip -= from;
      if (from === batch.length) continue;
    }
    const to = Math.min(batch.length, from + left);
    left -= to - from;
    yield from === 0 && to === batch.length ? batch : batch.slice(from, to);
    if (left <= 0) return;
  }
}
