// Which rows an UPDATE or DELETE changes. Two ways, chosen while planning:
//
// - By key: the WHERE only names the table's identity columns with `=` / `IN` constants
//   (`WHERE Id = 'cus_1'`, `WHERE Id IN (…) AND CustomerId = 'cus_1'`) and every new value is a
//   constant. The keys come straight from the statement: no read before the write.
// - By query: anything else. The statement becomes `SELECT <identity>, <new values> FROM t
//   WHERE …`, planned like any SELECT (so its filters are pushed down to the source), and each
//   row it returns is written.

import type { ColumnRefNode, ExprNode, SelectItemNode, TableRefNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { bindExpr, statementValues } from './binder.js';
import type { QueryPlan } from './plan-types.js';
import { planQuery, type PlanEnv } from './planner.js';
import type { Column, DataType, ExecContext, SqlValue, Table } from './table.js';
import { coerceToType, distinctKey, formatSqlValue } from './values.js';

export interface TargetRow {
  /** The row's identity columns → values. */
  key: Record<string, SqlValue>;
  /** The statement's value expressions for this row (UPDATE's SET values), in order. */
  values: SqlValue[];
}

export interface WriteTargets {
  rows(ctx: ExecContext): Promise<TargetRow[]>;
  explain(): string[];
  /** What is known of each value expression while planning, before any row is read. */
  values: TargetValue[];
}

/** A value expression that needs no row (its value), or one computed per row (its static type). */
export type TargetValue = { constant: true; value: SqlValue } | { constant: false; type: DataType | null };

export interface TargetSpec {
  table: Table;
  ref: TableRefNode;
  where: ExprNode | undefined;
  /** Expressions evaluated per target row (UPDATE's SET values). */
  values: ExprNode[];
}

export function planTargets(spec: TargetSpec, env: PlanEnv): WriteTargets {
  return planByKey(spec, env) ?? planByQuery(spec, env);
}

/** The identity columns of a table: its own choice, or every column of a table without one. */
function identityColumns(table: Table): Column[] {
  if (!table.rowIdentity) return [...table.columns];
  return table.rowIdentity.map((name) => table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase())!).filter(Boolean);
}

function planByQuery(spec: TargetSpec, env: PlanEnv): WriteTargets {
  const identity = identityColumns(spec.table);
  const pos = spec.ref.pos;
  const items: SelectItemNode[] = [
    ...identity.map((c): SelectItemNode => ({ kind: 'expr', expr: { kind: 'column', name: c.name, pos }, pos })),
    ...spec.values.map((expr): SelectItemNode => ({ kind: 'expr', expr, pos: expr.pos })),
  ];
  const query: QueryPlan = planQuery(
    { kind: 'select', distinct: false, columns: items, from: spec.ref, ...(spec.where ? { where: spec.where } : {}), orderBy: [], pos },
    env,
    null,
  );
  return {
    values: spec.values.map((expr, i): TargetValue => {
      const value = constantOf(expr, env);
      return value === undefined ? { constant: false, type: query.columns[identity.length + i]!.type } : { constant: true, value };
    }),
    async rows(ctx) {
      const out: TargetRow[] = [];
      for await (const row of query.rows(ctx)) {
        const key: Record<string, SqlValue> = {};
        identity.forEach((c, i) => (key[c.name] = row[i] ?? null));
        out.push({ key, values: row.slice(identity.length) });
      }
      return out;
    },
    explain: () => ['rows from:', ...query.explain().map((line) => `  ${line}`)],
  };
}

/** The by-key plan, or undefined when the statement needs a read first. */
function planByKey(spec: TargetSpec, env: PlanEnv): WriteTargets | undefined {
  const { table, ref, where } = spec;
  if (!table.rowIdentity || !where) return undefined;
  const identity = identityColumns(table);
  const values = spec.values.map((expr) => constantOf(expr, env));
  if (values.some((v) => v === undefined)) return undefined;
  const candidates = new Map<string, { column: Column; values: SqlValue[] }>();
  for (const conjunct of conjuncts(where)) {
    const found = keyCondition(conjunct, ref, identity, env);
    if (!found) return undefined;
    const known = candidates.get(found.column.name);
    const allowed = known ? intersect(known.values, found.values) : found.values;
    candidates.set(found.column.name, { column: found.column, values: allowed });
  }
  if (!candidates.has(identity[0]!.name)) return undefined;
  const keys = cartesian([...candidates.values()]);
  const text = [...candidates.values()].map(({ column, values: v }) =>
    v.length === 1 ? `${column.name} = ${formatSqlValue(v[0]!)}` : `${column.name} IN (${v.map(formatSqlValue).join(', ')})`);
  return {
    values: values.map((value) => ({ constant: true, value: value! })),
    rows: async () => keys.map((key) => ({ key, values: values as SqlValue[] })),
    explain: () => [`by key, no read first: ${keys.length === 0 ? 'no rows (the conditions contradict)' : text.join(' AND ')}`],
  };
}

function conjuncts(expr: ExprNode): ExprNode[] {
  return expr.kind === 'binary' && expr.op === 'AND' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
}

/** `IdentityColumn = constant` or `IdentityColumn IN (constants)`, the constants coerced. */
function keyCondition(expr: ExprNode, ref: TableRefNode, identity: Column[], env: PlanEnv): { column: Column; values: SqlValue[] } | undefined {
  let columnNode: ExprNode;
  let valueNodes: ExprNode[];
  if (expr.kind === 'binary' && expr.op === '=') {
    const columnFirst = expr.left.kind === 'column';
    columnNode = columnFirst ? expr.left : expr.right;
    valueNodes = [columnFirst ? expr.right : expr.left];
  } else if (expr.kind === 'in' && !expr.negated) {
    columnNode = expr.expr;
    valueNodes = expr.list;
  } else {
    return undefined;
  }
  if (columnNode.kind !== 'column' || !namesTable(columnNode, ref)) return undefined;
  const column = identity.find((c) => c.name.toLowerCase() === (columnNode as ColumnRefNode).name.toLowerCase());
  if (!column) return undefined;
  const values: SqlValue[] = [];
  for (const node of valueNodes) {
    const value = constantOf(node, env);
    if (value === undefined) return undefined;
    const coerced = coerceToType(value, column.type, 'compare');
    if (coerced === undefined) return undefined;
    // `= NULL` is never true; the row cannot match.
    if (coerced !== null && !values.some((v) => distinctKey(v) === distinctKey(coerced))) values.push(coerced);
  }
  return { column, values };
}

function namesTable(node: ColumnRefNode, ref: TableRefNode): boolean {
  if (node.table === undefined) return true;
  const lower = node.table.toLowerCase();
  return lower === (ref.alias ?? ref.name).toLowerCase();
}

/** The expression's value when it needs no row; undefined when it reads a column (or fails to bind alone). */
function constantOf(expr: ExprNode, env: PlanEnv): SqlValue | undefined {
  if (!isRowFree(expr)) return undefined;
  try {
    const bound = bindExpr(expr, { sql: env.sql, params: env.params, scope: null, aggregates: 'WHERE', ...statementValues(env) });
    return bound.kind === 'const' ? bound.value : undefined;
  } catch (error) {
    if (error instanceof SqlError) return undefined;
    throw error;
  }
}

/** Literals, parameters and function calls over them: nothing that could read a row or a table. */
function isRowFree(expr: ExprNode): boolean {
  switch (expr.kind) {
    case 'literal':
    case 'parameter':
      return true;
    case 'unary':
      return isRowFree(expr.operand);
    case 'binary':
      return isRowFree(expr.left) && isRowFree(expr.right);
    case 'call':
      return expr.over === undefined && expr.args.every(isRowFree);
    case 'cast':
      return isRowFree(expr.expr);
    default:
      return false;
  }
}

function intersect(a: SqlValue[], b: SqlValue[]): SqlValue[] {
  const keys = new Set(b.map(distinctKey));
  return a.filter((v) => keys.has(distinctKey(v)));
}

function cartesian(columns: { column: Column; values: SqlValue[] }[]): Record<string, SqlValue>[] {
  let keys: Record<string, SqlValue>[] = [{}];
  for (const { column, values } of columns) {
    keys = keys.flatMap((key) => values.map((value) => ({ ...key, [column.name]: value })));
  }
  return keys;
}
