import type { Row } from '../table.js';
import { distinctKey } from '../values.js';

/** Drops rows equal to an earlier one over the first `width` values (NULLs equal for DISTINCT). */
export async function* distinctRows(input: AsyncIterable<Row>, width: number): AsyncGenerator<Row> {
  const seen = new Set<string>();
  for await (const row of input) {
    let key = '';
    for (let i = 0; i < width; i++) key += `${distinctKey(row[i] ?? null)}\u0000`;
    if (seen.has(key)) continue;
    seen.add(key);
    yield row;
  }
}
