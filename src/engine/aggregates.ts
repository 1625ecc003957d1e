// Aggregation without GROUP BY: the select list is evaluated once over the row of aggregate
// results, so each aggregate call becomes a slot in that row and bare columns are rejected.

import { SqlError } from '../sql/errors.js';
import type { BoundAggregate, BoundExpr } from './bound.js';
import { walk } from './bound.js';
import { formatExpr } from './format.js';

export function containsAggregate(expr: BoundExpr): boolean {
  let found = false;
  walk(expr, (e) => {
    if (e.kind === 'aggregate') found = true;
  });
  return found;
}

/** Rewrites `expr` over the aggregate row, adding its aggregates to `aggregates`. */
export function replaceAggregates(expr: BoundExpr, aggregates: BoundAggregate[], sql: string): BoundExpr {
  const replace = (e: BoundExpr): BoundExpr => replaceAggregates(e, aggregates, sql);
  switch (expr.kind) {
    case 'aggregate': {
      const text = formatExpr(expr);
      let index = aggregates.findIndex((a) => formatExpr(a) === text);
      if (index < 0) index = aggregates.push(expr) - 1;
      return { kind: 'slot', index, text, type: expr.type, pos: expr.pos };
    }
    case 'column':
      throw new SqlError(
        `Column ${expr.column.name} must be inside an aggregate function (there is no GROUP BY)`,
        sql,
        expr.pos,
      );
    case 'const':
    case 'slot':
      return expr;
    case 'unary':
      return { ...expr, operand: replace(expr.operand) };
    case 'binary':
      return { ...expr, left: replace(expr.left), right: replace(expr.right) };
    case 'in':
      return { ...expr, expr: replace(expr.expr), list: expr.list.map(replace) };
    case 'between':
      return { ...expr, expr: replace(expr.expr), low: replace(expr.low), high: replace(expr.high) };
    case 'like':
      return {
        ...expr,
        expr: replace(expr.expr),
        pattern: replace(expr.pattern),
        ...(expr.escape ? { escape: replace(expr.escape) } : {}),
      };
    case 'isNull':
      return { ...expr, expr: replace(expr.expr) };
    case 'call':
      return { ...expr, args: expr.args.map(replace) };
  }
}
