// The PostgreSQL type a select-list expression declares beyond the engine's own types: a cast
// to smallint, real, timestamp (without time zone) or jsonb is held as an Integer, Double,
// Datetime or text, but a client is told the type that was written (int2, float4, timestamp,
// jsonb), as PostgreSQL would tell it. A table's column names its own (Column.typeName).

import type { BoundExpr } from './bound.js';

/** Cast type names (as the parser gives them) and the PostgreSQL type they declare. */
const DECLARED_BY_CAST: Readonly<Record<string, string>> = {
  SMALLINT: 'int2',
  INT2: 'int2',
  REAL: 'float4',
  FLOAT4: 'float4',
  TIMESTAMP: 'timestamp',
  JSONB: 'jsonb',
};

/** The name a cast's type declares, or undefined when the engine's type says it all. */
export function castTypeName(typeText: string): string | undefined {
  return DECLARED_BY_CAST[typeText.replace(/\s*\(.*$/, '').toUpperCase()];
}

export function declaredTypeName(expr: BoundExpr): string | undefined {
  switch (expr.kind) {
    case 'column':
    case 'outer':
      return expr.column.typeName;
    case 'cast':
      return castTypeName(expr.target.text);
    case 'const':
      return expr.typeName;
    default:
      return undefined;
  }
}
