import type { Row, SqlValue } from '../table.js';
import { compareValues } from '../values.js';

export interface SortKey {
  /** Index of the key's value in the rows being sorted. */
  index: number;
  descending: boolean;
  nullsFirst: boolean;
}

/**
 * Orders rows by the keys; stable (Array.prototype.sort is), NULL placement per key. With
 * `keep` (LIMIT + OFFSET) only the first `keep` rows are needed, so the buffer is cut back to
 * them whenever it doubles: O(n log keep) and bounded memory. Cutting keeps stability, as the
 * survivors stay ahead of later arrivals with equal keys.
 */
export async function* sortRows(input: AsyncIterable<Row>, keys: readonly SortKey[], keep?: number): AsyncGenerator<Row> {
  const compare = rowComparator(keys);
  let rows: Row[] = [];
  const threshold = keep === undefined ? Infinity : Math.max(2 * keep, 1024);
  for await (const row of input) {
    rows.push(row);
    if (rows.length >= threshold) rows = rows.sort(compare).slice(0, keep);
  }
  rows.sort(compare);
  if (keep !== undefined && rows.length > keep) rows.length = keep;
  yield* rows;
}

export function rowComparator(keys: readonly SortKey[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const key of keys) {
      const c = compareForSort(a[key.index] ?? null, b[key.index] ?? null, key);
      if (c !== 0) return c;
    }
    return 0;
  };
}

function compareForSort(a: SqlValue, b: SqlValue, key: SortKey): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === key.nullsFirst ? -1 : 1;
  }
  // Values of one column share a kind; mixed kinds (rare) order by kind name to stay total.
  const c = compareValues(a, b) ?? (typeof a < typeof b ? -1 : typeof a > typeof b ? 1 : 0);
  return key.descending ? -c : c;
}
