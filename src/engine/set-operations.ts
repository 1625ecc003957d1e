// UNION [ALL], INTERSECT, EXCEPT: both sides must have as many columns; each result column
// takes the unified type of its two inputs and the left side's name. ORDER BY / LIMIT apply to
// the combined result (ORDER BY by output name, ordinal, or an expression over the outputs).

import type { QueryNode, SetOperationNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { bindExpr, statementValues, unifyTypes } from './binder.js';
import { declareParameterType } from './params.js';
import { compileExpr } from './expressions.js';
import { distinctRows } from './operators/distinct.js';
import { limitRows } from './operators/limit.js';
import { projectRows } from './operators/project.js';
import { sortRows, type SortKey } from './operators/sort.js';
import type { QueryPlan, ResultColumn } from './plan-types.js';
import type { PlanEnv } from './planner.js';
import { Scope } from './scope.js';
import type { Row } from './table.js';
import { defaultNullsFirst, distinctKey } from './values.js';

type PlanQuery = (query: QueryNode, env: PlanEnv, outer: Scope | null) => QueryPlan;

export function planSetOperation(node: SetOperationNode, env: PlanEnv, outer: Scope | null, planQuery: PlanQuery): QueryPlan {
  const sql = env.sql;
  const left = planQuery(node.left, env, outer);
  const right = planQuery(node.right, env, outer);
  if (left.columns.length !== right.columns.length) {
    throw new SqlError(
      `Each side of ${node.op} must return as many columns: the left returns ${left.columns.length}, the right ${right.columns.length}`,
      sql,
      node.pos,
    );
  }
  const columns: ResultColumn[] = left.columns.map((c, i) => ({
    name: c.name,
    type: unifyTypes([c.type, right.columns[i]!.type]) ?? c.type,
  }));
  const width = columns.length;
  const scope = Scope.single('', undefined, columns.map((c) => ({ name: c.name, type: c.type })), outer);
  const bindCtx = { sql, params: env.params, scope, aggregates: 'LIMIT' as const, ...statementValues(env) };
  const extra: ReturnType<typeof compileExpr>[] = [];
  const sorter: SortKey[] = node.orderBy.map((item) => {
    let index: number;
    const expr = item.expr;
    if (expr.kind === 'literal' && typeof expr.value === 'number') {
      if (!Number.isInteger(expr.value) || expr.value < 1 || expr.value > width) {
        throw new SqlError(`ORDER BY position ${expr.value} is out of range: the result has ${width} column${width === 1 ? '' : 's'}`, sql, expr.pos);
      }
      index = expr.value - 1;
    } else {
      const bound = bindExpr(expr, bindCtx);
      index = bound.kind === 'column' ? bound.index : width + extra.push(compileExpr(bound)) - 1;
    }
    const descending = item.direction === 'DESC';
    return { index, descending, nullsFirst: item.nulls === undefined ? defaultNullsFirst(descending) : item.nulls === 'FIRST' };
  });
  const count = (e: SetOperationNode['limit'], clause: string): number | undefined => {
    if (!e) return undefined;
    declareParameterType(e, 'Integer', env.params);
    const bound = bindExpr(e, { ...bindCtx, scope: null });
    // A parameter's value comes with each run (params.ts).
    if (bound.kind === 'const' && bound.param !== undefined) return undefined;
    if (bound.kind !== 'const' || typeof bound.value !== 'number' || !Number.isInteger(bound.value) || bound.value < 0) {
      throw new SqlError(`${clause} must be a non-negative integer`, sql, e.pos);
    }
    return bound.value;
  };
  const limit = count(node.limit, 'LIMIT');
  const offset = count(node.offset, 'OFFSET') ?? 0;

  const combine = (ctx: Parameters<QueryPlan['rows']>[0]): AsyncIterable<Row> => {
    switch (node.op) {
      case 'UNION ALL':
        return concat(left.rows(ctx), right.rows(ctx));
      case 'UNION':
        return distinctRows(concat(left.rows(ctx), right.rows(ctx)), width);
      case 'INTERSECT':
        return membership(left.rows(ctx), right.rows(ctx), width, true);
      case 'EXCEPT':
        return membership(left.rows(ctx), right.rows(ctx), width, false);
    }
  };

  const rows = (ctx: Parameters<QueryPlan['rows']>[0]): AsyncIterable<Row> => {
    let stream = combine(ctx);
    if (extra.length > 0) {
      const all = [...columns.map((_, i) => (row: Row) => row[i] ?? null), ...extra];
      stream = projectRows(stream, all);
    }
    if (sorter.length > 0) stream = sortRows(stream, sorter, limit === undefined ? undefined : limit + offset);
    if (limit !== undefined || offset > 0) stream = limitRows(stream, limit, offset);
    if (extra.length > 0) stream = trim(stream, width);
    return stream;
  };

  const explain = (): string[] => {
    const lines: string[] = [];
    if (limit !== undefined || offset > 0) lines.push(`Limit ${limit ?? 'ALL'}${offset > 0 ? ` Offset ${offset}` : ''}`);
    if (sorter.length > 0) lines.push(`Sort ${sorter.map((k) => `${k.index < width ? columns[k.index]!.name : 'expression'} ${k.descending ? 'DESC' : 'ASC'}`).join(', ')}`);
    lines.push(node.op);
    for (const line of left.explain()) lines.push(`  ${line}`);
    for (const line of right.explain()) lines.push(`  ${line}`);
    return lines;
  };
  return { kind: 'query', columns, rows, explain };
}

async function* concat(a: AsyncIterable<Row>, b: AsyncIterable<Row>): AsyncGenerator<Row> {
  yield* a;
  yield* b;
}

function rowKey(row: Row, width: number): string {
  let key = '';
  for (let i = 0; i < width; i++) key += `${distinctKey(row[i] ?? null)}\u0000`;
  return key;
}

/** INTERSECT (keep left rows found on the right) or EXCEPT (keep those not found); distinct. */
async function* membership(left: AsyncIterable<Row>, right: AsyncIterable<Row>, width: number, keepFound: boolean): AsyncGenerator<Row> {
  const found = new Set<string>();
  for await (const row of right) found.add(rowKey(row, width));
  const emitted = new Set<string>();
  for await (const row of left) {
    const key = rowKey(row, width);
    if (found.has(key) !== keepFound || emitted.has(key)) continue;
    emitted.add(key);
    yield row;
  }
}

async function* trim(input: AsyncIterable<Row>, width: number): AsyncGenerator<Row> {
  for await (const row of input) yield row.slice(0, width);
}
