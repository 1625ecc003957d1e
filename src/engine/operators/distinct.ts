import type { Row } from '../table.js';
import { distinctKey } from '../values.js';
import { checkHeld, rowCap, type OperatorLimits } from './row-budget.js';

/** Drops rows equal to an earlier one over the first `width` values (NULLs equal for DISTINCT). */
export async function* distinctRows(input: AsyncIterable<Row>, width: number, limits?: OperatorLimits): AsyncGenerator<Row> {
  const seen = new Set<string>();
  const cap = rowCap(limits);
  const signal = limits?.signal;
  for await (const row of input) {
    signal?.throwIfAborted();
    if (firstSeen(seen, row, width, cap)) yield row;
  }
}

/** distinctRows over a batched source, each batch turned into rows and filtered in one loop. */
export async function* distinctBatches(input: AsyncIterable<Row[]>, toRows: (batch: Row[]) => Row[], width: number, limits?: OperatorLimits): AsyncGenerator<Row> {
  const seen = new Set<string>();
  const cap = rowCap(limits);
  const signal = limits?.signal;
  for await (const batch of input) {
    signal?.throwIfAborted();
    const fresh = toRows(batch).filter((row) => firstSeen(seen, row, width, cap));
    yield* fresh;
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
