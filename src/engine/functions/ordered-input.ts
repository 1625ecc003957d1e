// An aggregate that takes its input in an order of its own: `string_agg(x, ',' ORDER BY y)`,
// `array_agg(x ORDER BY y DESC)`, `jsonb_agg(x ORDER BY y)`. Each row arrives as one array of
// the argument followed by its sort keys; the rows are kept, sorted when the group is done
// (stable, NULLs placed as in ORDER BY), and fed to the aggregate in that order.

import { SqlArray } from '../composite.js';
import type { AggregateFunction } from '../functions.js';
import { valueComparator } from '../operators/sort.js';
import type { SqlValue } from '../table.js';

export interface InputOrderKey {
  descending: boolean;
  nullsFirst: boolean;
}

export function orderedInput(fn: AggregateFunction, keys: readonly InputOrderKey[]): AggregateFunction {
  const comparators = keys.map((key, i) => ({ index: i + 1, compare: valueComparator({ index: i + 1, ...key }) }));
  const compare = (a: readonly SqlValue[], b: readonly SqlValue[]): number => {
    for (const { index, compare: byKey } of comparators) {
      const c = byKey(a[index] ?? null, b[index] ?? null);
      if (c !== 0) return c;
    }
    return 0;
  };
  return {
    ...fn,
    argsSuffix: `${fn.argsSuffix ?? ''} ORDER BY …`,
    create() {
      const rows: (readonly SqlValue[])[] = [];
      return {
        // A row FILTER (WHERE …) leaves out arrives as NULL instead of an array.
        add(value) {
          if (value instanceof SqlArray) rows.push(value.items);
        },
        result() {
          rows.sort(compare);
          const inner = fn.create();
          for (const row of rows) inner.add(row[0] ?? null);
          return inner.result();
        },
      };
    },
  };
}
