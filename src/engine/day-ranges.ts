// `created::date = DATE '2024-03-01'` as the range of instants it means, `created >= '2024-03-01'
// AND created < '2024-03-02'`, so a table can still be offered the timestamp column (Stripe gets
// a `created` range) when the query compares its day. The rewrite is exact: a timestamp's day
// is its UTC midnight, so `day(c) = D ⇔ D ≤ c < D + 1`, `day(c) < D ⇔ c < D`,
// `day(c) ≤ D ⇔ c < D + 1`, `day(c) > D ⇔ c ≥ D + 1` and `day(c) ≥ D ⇔ c ≥ D`.

import type { ComparisonOperator } from '../sql/ast.js';
import type { BoundColumn, BoundConst, BoundExpr } from './bound.js';
import { coerceToType } from './values.js';

const DAY_MS = 86_400_000;

const FLIPPED: Readonly<Record<string, ComparisonOperator>> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** The conjunct as conditions on the timestamp column itself when it compares the column's day with a date; else the conjunct. */
export function dayRangeConjuncts(conjunct: BoundExpr): BoundExpr[] {
  if (conjunct.kind === 'binary' && conjunct.op in FLIPPED) {
    const op = conjunct.op as ComparisonOperator;
    const left = dayOfColumn(conjunct.left);
    const right = dayOfColumn(conjunct.right);
    if (left && conjunct.right.kind === 'const') return rangeOf(left, op, conjunct.right) ?? [conjunct];
    if (right && conjunct.left.kind === 'const') return rangeOf(right, FLIPPED[op]!, conjunct.left) ?? [conjunct];
  }
  if (conjunct.kind === 'between' && !conjunct.negated && conjunct.low.kind === 'const' && conjunct.high.kind === 'const') {
    const column = dayOfColumn(conjunct.expr);
    const low = column && rangeOf(column, '>=', conjunct.low);
    const high = column && rangeOf(column, '<=', conjunct.high);
    if (low && high) return [...low, ...high];
  }
  return [conjunct];
}

/** The timestamp column under `column::date`. */
function dayOfColumn(expr: BoundExpr): BoundColumn | undefined {
  if (expr.kind !== 'cast' || expr.nullOnFailure || expr.target.type !== 'Date') return undefined;
  return expr.expr.kind === 'column' && expr.expr.type === 'Datetime' ? expr.expr : undefined;
}

/** `day(column) op constant` on the column; undefined when the constant is no date (a timestamp, NULL, a parameter). */
function rangeOf(column: BoundColumn, op: ComparisonOperator, constant: BoundConst): BoundExpr[] | undefined {
  if (constant.param !== undefined || (constant.type !== 'Date' && constant.type !== 'String')) return undefined;
  const day = coerceToType(constant.value, 'Date', 'compare');
  if (!(day instanceof Date)) return undefined;
  const next = new Date(day.getTime() + DAY_MS);
  const compare = (cmp: ComparisonOperator, at: Date): BoundExpr => ({
    kind: 'binary',
    op: cmp,
    left: column,
    right: { kind: 'const', value: at, type: 'Datetime', pos: constant.pos },
    type: 'Boolean',
    pos: constant.pos,
  });
  switch (op) {
    case '=':
      return [compare('>=', day), compare('<', next)];
    case '<':
      return [compare('<', day)];
    case '<=':
      return [compare('<', next)];
    case '>':
      return [compare('>=', next)];
    case '>=':
      return [compare('>=', day)];
    default:
      return undefined;
  }
}
