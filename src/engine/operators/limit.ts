import type { Row } from '../table.js';

/**
 * Skips `offset` rows then passes `limit` rows, and stops pulling as soon as it has them:
 * leaving the for-await calls return() on the upstream iterator, so a paging scan stops.
 */
export async function* limitRows(input: AsyncIterable<Row>, limit: number | undefined, offset: number): AsyncGenerator<Row> {
  if (limit === 0) return;
  let skipped = 0;
  let passed = 0;
  for await (const row of input) {
    if (skipped < offset) {
      skipped++;
      continue;
    }
    yield row;
    passed++;
    if (limit !== undefined && passed >= limit) return;
  }
}
