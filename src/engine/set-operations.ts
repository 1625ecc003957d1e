// UNION [ALL], INTERSECT, EXCEPT: both sides must have as many columns; each result column
// takes the unified type of its two inputs and the left side's name. ORDER BY / LIMIT apply to
// the combined result (ORDER BY by output name, ordinal, or an expression over the outputs).
//
// `A UNION B EXCEPT C …` parses left-deep. The whole run is planned and read as one n-ary
// operation, left to right, so neither planning nor reading recurses once per SELECT
// (generated SQL unions thousands of them).

import type { Position, QueryNode, SetOperationNode, SetOperator } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { bindExpr, statementValues, unifyTypes } from './binder.js';
import { declareParameterType } from './params.js';
import { compileExpr } from './expressions.js';
import { flatten, trimBatches, type Batches } from './operators/batches.js';
import { limitBatches } from './operators/limit.js';
import { stageBatches } from './operators/project.js';
import { checkHeld, rowCap } from './operators/row-budget.js';
import { sortBatches, type SortKey } from './operators/sort.js';
import type { QueryPlan, ResultColumn } from './plan-types.js';
import type { PlanEnv } from './planner.js';
import { Scope } from './scope.js';
import type { ExecContext, Row } from './table.js';
import { defaultNullsFirst, distinctKey } from './values.js';

type PlanQuery = (query: QueryNode, env: PlanEnv, outer: Scope | null) => QueryPlan;

export function planSetOperation(node: SetOperationNode, env: PlanEnv, outer: Scope | null, planQuery: PlanQuery): QueryPlan {
  const sql = env.sql;
  const arms = armsOf(node);
  const plans = arms.map((arm) => planQuery(arm.query, env, outer));
  const first = plans[0]!;
  // A column keeps its type's name when every arm's column has that one.
  const columns: ResultColumn[] = first.columns.map((c, i) => ({
    name: c.name,
    type: c.type,
    ...(c.typeName !== undefined && plans.every((p) => p.columns[i]?.typeName === c.typeName) ? { typeName: c.typeName } : {}),
  }));
  for (let i = 1; i < arms.length; i++) {
    const right = plans[i]!;
    if (right.columns.length !== columns.length) {
      throw new SqlError(
        `Each side of ${arms[i]!.op} must return as many columns: the left returns ${columns.length}, the right ${right.columns.length}`,
        sql,
        arms[i]!.pos,
      );
    }
    columns.forEach((c, j) => (c.type = unifyTypes([c.type, right.columns[j]!.type]) ?? c.type));
  }
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

  const batches = (ctx: ExecContext): Batches => {
    let stream: Batches = combineArms(arms, plans, width, ctx);
    if (extra.length > 0) {
      const all = [...columns.map((_, i) => (row: Row) => row[i] ?? null), ...extra];
      stream = stageBatches(stream, { outputs: all }, ctx.signal);
    }
    if (sorter.length > 0) stream = sortBatches(stream, sorter, limit === undefined ? undefined : limit + offset, ctx);
    if (limit !== undefined || offset > 0) stream = limitBatches(stream, limit, offset, ctx.signal);
    if (extra.length > 0) stream = trimBatches(stream, width, ctx.signal);
    return stream;
  };
  const rows = (ctx: ExecContext): AsyncIterable<Row> => flatten(batches(ctx), ctx.signal);

  const explain = (): string[] => {
    const lines: string[] = [];
    if (limit !== undefined || offset > 0) lines.push(`Limit ${limit ?? 'ALL'}${offset > 0 ? ` Offset ${offset}` : ''}`);
    if (sorter.length > 0) lines.push(`Sort ${sorter.map((k) => `${k.index < width ? columns[k.index]!.name : 'expression'} ${k.descending ? 'DESC' : 'ASC'}`).join(', ')}`);
    // One operator over all its inputs; a mixed run names, on each input, the operator bringing it in.
    const ops = new Set(arms.slice(1).map((arm) => arm.op));
    const mixed = ops.size > 1;
    lines.push(mixed ? 'Set operations, left to right' : node.op);
    plans.forEach((plan, i) => {
      plan.explain().forEach((line, j) => lines.push(`  ${mixed && i > 0 && j === 0 ? `${arms[i]!.op}: ` : ''}${line}`));
    });
    return lines;
  };
  return { kind: 'query', columns, rows, batches, explain };
}

/** One input of a run of set operations, and the operator bringing it in (none for the first). */
interface Arm {
  op?: SetOperator;
  query: QueryNode;
  pos: Position;
}

/** The inputs of the left-deep run under `node`; one with its own ORDER BY, LIMIT or WITH stays whole. */
function armsOf(node: SetOperationNode): Arm[] {
  const arms: Arm[] = [];
  let current: QueryNode = node;
  while (current.kind === 'setOp' && (current === node || ownsNoClauses(current))) {
    arms.push({ op: current.op, query: current.right, pos: current.pos });
    current = current.left;
  }
  arms.push({ query: current, pos: current.pos });
  return arms.reverse();
}

function ownsNoClauses(node: SetOperationNode): boolean {
  return node.orderBy.length === 0 && node.limit === undefined && node.offset === undefined && node.with === undefined;
}

/** A row's identity for DISTINCT, INTERSECT and EXCEPT: its first `width` values, NULLs equal. */
function rowKey(row: Row, width: number): string {
  let key = '';
  for (let i = 0; i < width; i++) key += `${distinctKey(row[i] ?? null)}\u0000`;
  return key;
}

/**
 * The rows of `A op1 B op2 C …` applied left to right, in one pass. Every row comes from the
 * first input or one a UNION [ALL] brings in, and must then pass each later INTERSECT (found in
 * that input) and EXCEPT (not found). DISTINCT commutes with such tests, and
 * distinct(distinct(X) ++ Y) = distinct(X ++ Y), so one set of rows seen, up to the last
 * operator that is not UNION ALL, does the DISTINCT of every operator in the run.
 */
async function* combineArms(arms: Arm[], plans: QueryPlan[], width: number, ctx: ExecContext): AsyncGenerator<Row[]> {
  const cap = rowCap(ctx);
  const filters: { at: number; keys: Set<string>; keepFound: boolean }[] = [];
  // The inputs of INTERSECT and EXCEPT are read whole first, the last first, as nested operators would.
  for (let i = arms.length - 1; i > 0; i--) {
    const op = arms[i]!.op;
    if (op !== 'INTERSECT' && op !== 'EXCEPT') continue;
    const keys = new Set<string>();
    for await (const batch of plans[i]!.batches(ctx)) {
      ctx.signal?.throwIfAborted();
      for (const row of batch) keys.add(rowKey(row, width));
      checkHeld(op, keys.size, cap);
    }
    filters.unshift({ at: i, keys, keepFound: op === 'INTERSECT' });
  }
  let lastDistinct = -1;
  arms.forEach((arm, i) => {
    if (i > 0 && arm.op !== 'UNION ALL') lastDistinct = i;
  });
  const seen = new Set<string>();
  let firstLater = 0;
  for (let i = 0; i < arms.length; i++) {
    if (i > 0 && (arms[i]!.op === 'INTERSECT' || arms[i]!.op === 'EXCEPT')) continue;
    while (firstLater < filters.length && filters[firstLater]!.at <= i) firstLater++;
    const dedupe = i <= lastDistinct;
    const filtered = firstLater < filters.length;
    for await (const batch of plans[i]!.batches(ctx)) {
      ctx.signal?.throwIfAborted();
      if (!dedupe && !filtered) {
        yield batch;
        continue;
      }
      const out: Row[] = [];
      for (const row of batch) {
        const key = rowKey(row, width);
        let kept = true;
        for (let f = firstLater; f < filters.length && kept; f++) kept = filters[f]!.keys.has(key) === filters[f]!.keepFound;
        if (!kept) continue;
        if (dedupe) {
          if (seen.has(key)) continue;
          seen.add(key);
          checkHeld(arms[lastDistinct]!.op!, seen.size, cap);
        }
        out.push(row);
      }
      if (out.length > 0) yield out;
    }
  }
}
