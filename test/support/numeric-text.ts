// Exact decimals in test expectations: a Numeric is compared by the text PostgreSQL prints for
// it (every digit, its scale), so `deepEqual(numericText(rows), [['pear', '6.75']])`.

import { Numeric } from '../../src/engine/numeric.js';
import type { SqlValue } from '../../src/engine/table.js';

export function numericText<T extends readonly SqlValue[]>(rows: readonly T[]): (SqlValue | string)[][] {
  return rows.map((row) => row.map((value) => (value instanceof Numeric ? value.toString() : value)));
}

/** One value: a Numeric as its text, anything else as it is. */
export function numericValue(value: SqlValue): SqlValue {
  return value instanceof Numeric ? value.toString() : value;
}
