import type { Row } from '../table.js';
import { distinctKey } from '../values.js';
import type { Batches } from './batches.js';
import { checkHeld, rowCap, type OperatorLimits } from './row-budget.js';

/** Drops rows equal to an earlier one over the first `width` values (NULLs equal for DISTINCT). */
export async function* distinctBatches(input: Batches, width: number, limits?: OperatorLimits): AsyncGenerator<Row[]> {
  const seen = new Set<string>();
  const cap = rowCap(limits);
  const signal = limits?.signal;
  for await (const batch of input) {
    signal?.throwIfAborted();
    const fresh = batch.filter((row) => firstSeen(seen, row, width, cap));
    if (fresh.length > 0) yield fresh;
  }
}

/** DISTINCT ON: the first row of each value of the `on` columns, in input order. */
export async function* firstOfEach(input: Batches, on: readonly number[], signal?: AbortSignal): AsyncGenerator<Row[]> {
  const seen = new Set<string>();
  for await (const batch of input) {
    signal?.throwIfAborted();
    const fresh: Row[] = [];
    for (const row of batch) {
      let key = '';
      for (const index of on) key += `${distinctKey(row[index] ?? null)}\u0000`;
      if (seen.has(key)) continue;
      seen.add(key);
      fresh.push(row);
    }
    if (fresh.length > 0) yield fresh;
  }
}

/** Whether the row is new; the set of rows seen is what DISTINCT holds, so it counts against the cap. */
function firstSeen(seen: Set<string>, row: Row, width: number, cap: number): boolean {
  let key = '';
  for (let i = 0; i < width; i++) key += `${distinctKey(row[i] ?? null)}\u0000`;
  if (seen.has(key)) return false;
  seen.add(key);
  checkHeld('Distinct', seen.size, cap);
  return true;
}
