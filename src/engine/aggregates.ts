// Aggregation: after GROUP BY (or over all rows when there is none) expressions are evaluated
// over the aggregate row [group keys…, aggregate results…]. Each aggregate call becomes a slot
// in that row, each sub-expression equal to a group key becomes that key's slot, and any other
// column is an error: it has no single value per group.

import { SqlError } from '../sql/errors.js';
import type { BoundAggregate, BoundExpr } from './bound.js';
import { mapChildren, walk } from './bound.js';
import { formatExpr } from './format.js';

export function containsAggregate(expr: BoundExpr): boolean {
  let found = false;
  walk(expr, (e) => {
    if (e.kind === 'aggregate') found = true;
  });
  return found;
}

/** Text that identifies an expression structurally (columns by position, not by name). */
export function structuralKey(expr: BoundExpr): string {
  const renamed = (e: BoundExpr): BoundExpr =>
    e.kind === 'column' ? { ...e, column: { ...e.column, name: `#${e.index}` } } : mapChildren(e, renamed);
  return formatExpr(renamed(expr));
}

export interface GroupKey {
  expr: BoundExpr;
  key: string;
}

/**
 * Rewrites `expr` over the aggregate row, adding its aggregates to `aggregates` (their slots
 * follow the `groupKeys`).
 */
export function replaceAggregates(expr: BoundExpr, aggregates: BoundAggregate[], sql: string, groupKeys: readonly GroupKey[] = []): BoundExpr {
  const replace = (e: BoundExpr): BoundExpr => {
    if (e.kind === 'aggregate') {
      const text = structuralKey(e);
      let index = aggregates.findIndex((a) => structuralKey(a) === text);
      if (index < 0) index = aggregates.push(e) - 1;
      return { kind: 'slot', index: groupKeys.length + index, text: formatExpr(e), type: e.type, pos: e.pos };
    }
    if (e.kind === 'const' || e.kind === 'slot' || e.kind === 'outer') return e;
    if (groupKeys.length > 0) {
      const key = structuralKey(e);
      const at = groupKeys.findIndex((k) => k.key === key);
      if (at >= 0) return { kind: 'slot', index: at, text: formatExpr(e), type: e.type, pos: e.pos };
    }
    if (e.kind === 'column') {
      const reason = groupKeys.length > 0 ? 'must appear in GROUP BY or be inside an aggregate function' : 'must be inside an aggregate function (there is no GROUP BY)';
      throw new SqlError(`Column ${e.column.name} ${reason}`, sql, e.pos);
    }
    return mapChildren(e, replace);
  };
  return replace(expr);
}
