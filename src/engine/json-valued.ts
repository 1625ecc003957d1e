// Which expressions give JSON text rather than plain text: a table's JSON column, a function
// that builds JSON (jsonb_build_object, the -> operators), jsonb_agg, a cast to json / jsonb.
// Clients are told such a column is json, and JSON functions nest such a value as the JSON it
// holds instead of as a string.

import type { BoundExpr } from './bound.js';

export function isJsonValued(expr: BoundExpr): boolean {
  switch (expr.kind) {
    case 'const':
      return expr.json === true;
    case 'column':
      return expr.column.json === true;
    case 'call':
    case 'aggregate':
      return expr.fn.returnsJson === true;
    case 'cast':
      return expr.target.json !== undefined;
    default:
      return false;
  }
}
