// Case-insensitive columns (Column.caseInsensitive): an equality, IN or LIKE that reads such a
// column compares both sides lower-cased, as a case-insensitive collation would. Other
// comparisons (ordering, joins on other columns) are unchanged.

import type { BoundExpr } from './bound.js';
import { findScalarFunction } from './functions.js';

const LOWER = findScalarFunction('LOWER')!;

export function isCaseInsensitive(expr: BoundExpr): boolean {
  return expr.kind === 'column' && expr.column.caseInsensitive === true && expr.type === 'String';
}

/** `lower(expr)`, computed now for a constant so IN lists keep their constant lookup. */
export function lowerCased(expr: BoundExpr): BoundExpr {
  if (expr.type !== 'String' && expr.type !== null) return expr;
  if (expr.kind === 'const') return typeof expr.value === 'string' ? { ...expr, value: expr.value.toLowerCase() } : expr;
  return { kind: 'call', fn: LOWER, args: [expr], type: 'String', pos: expr.pos };
}
