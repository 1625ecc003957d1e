// The name of an unaliased select-list item, as PostgreSQL figures it (FigureColname in its
// parser): a column's name, a function's name, a cast's type name, `case`, `exists`, a
// subscript's array, a field's name, and `?column?` for the rest (operators, literals,
// comparisons). A column keeps the catalog's
// spelling (`Amount`, not `amount`): catalog columns match case-insensitively, and clients that
// map result columns by name (Metabase, Grafana) know them as the catalog spells them.

import type { ColumnRefNode, ExprNode, QueryNode, ScalarSubqueryNode } from '../sql/ast.js';

export const UNNAMED_COLUMN = '?column?';

/** PostgreSQL's internal names of the type names one writes, as a cast names its column. */
const PG_TYPE_NAMES: Readonly<Record<string, string>> = {
  INT: 'int4', INTEGER: 'int4', INT4: 'int4', SMALLINT: 'int2', INT2: 'int2', BIGINT: 'int8', INT8: 'int8',
  DECIMAL: 'numeric', NUMERIC: 'numeric', REAL: 'float4', FLOAT4: 'float4', FLOAT: 'float8', FLOAT8: 'float8',
  'DOUBLE PRECISION': 'float8', DOUBLE: 'float8', BOOLEAN: 'bool', BOOL: 'bool', VARCHAR: 'varchar',
  CHAR: 'bpchar', CHARACTER: 'bpchar',
};

/** Functions the parser reads from SQL's special syntax, under PostgreSQL's name for them. */
const CALL_NAMES: Readonly<Record<string, string>> = { TRIM: 'btrim' };

/** How the planner names what it has bound: a column as its source spells it, a scalar subquery by its plan's column. */
export interface ColumnNamer {
  column(node: ColumnRefNode): string;
  subquery?(node: ScalarSubqueryNode): string | undefined;
}

/** The output name of an unaliased select-list item. */
export function figureColumnName(node: ExprNode, namer: ColumnNamer): string {
  return figure(node, namer)?.name ?? UNNAMED_COLUMN;
}

/** A name with PostgreSQL's strength: 2 a real name (column, function), 1 a fallback (type name, `case`). */
interface Figured {
  name: string;
  strength: 1 | 2;
}

function figure(node: ExprNode, namer: ColumnNamer): Figured | undefined {
  switch (node.kind) {
    case 'column':
      return { name: namer.column(node), strength: 2 };
    case 'call':
      // A subscript `a[1]` is named by its array, a field `(r).n` by the field.
      if (node.name === '[]' && node.args[0]) return figure(node.args[0], namer);
      if (node.name === '.' && node.args[1]?.kind === 'literal') return { name: String(node.args[1].value), strength: 2 };
      if (node.name === 'ARRAY[]') return { name: 'array', strength: 2 };
      return callName(node.name);
    case 'cast': {
      const inner = figure(node.expr, namer);
      if (inner?.strength === 2) return inner;
      return { name: PG_TYPE_NAMES[node.type.name] ?? node.type.name.toLowerCase(), strength: 1 };
    }
    case 'case': {
      const inner = node.else ? figure(node.else, namer) : undefined;
      if (inner?.strength === 2) return inner;
      return { name: 'case', strength: 1 };
    }
    case 'exists':
      return node.negated ? undefined : { name: 'exists', strength: 2 };
    case 'subquery': {
      // PostgreSQL takes the inner query's name even when that is `?column?`.
      return { name: namer.subquery?.(node) ?? subqueryName(node.query), strength: 2 };
    }
    default:
      return undefined;
  }
}

/** A function's name in lower case; an operator the parser reads as a call (`->>`, `IS DISTINCT FROM`) names nothing. */
function callName(name: string): Figured | undefined {
  const bare = name.slice(name.lastIndexOf('.') + 1);
  if (!/^[A-Z_][A-Z0-9_$]*$/i.test(bare)) return undefined;
  return { name: CALL_NAMES[bare] ?? bare.toLowerCase(), strength: 2 };
}

/** A scalar subquery not bound apart is named by its one output as written: its alias or its own figured name. */
function subqueryName(query: QueryNode): string {
  let first: QueryNode = query;
  while (first.kind === 'setOp') first = first.left;
  const item = first.columns[0];
  if (item?.kind !== 'expr') return UNNAMED_COLUMN;
  return item.alias ?? figureColumnName(item.expr, { column: (node) => node.name });
}
