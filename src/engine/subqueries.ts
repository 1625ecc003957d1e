// Subqueries run asynchronously, but expressions are synchronous closures: so before a row is
// evaluated, each subquery's result for it is computed into the node's cell, which the
// compiled expression then reads. Uncorrelated subqueries run once per run of the query.

import { SqlError } from '../sql/errors.js';
import { walk, type BoundExpr, type BoundSubquery } from './bound.js';
import { membershipKey } from './expressions.js';
import type { ExecContext, Row, SqlValue } from './table.js';

export type Prepare = (row: Row) => Promise<void>;

/** The subqueries in `exprs`, outermost first. */
export function findSubqueries(exprs: readonly BoundExpr[]): BoundSubquery[] {
  const found: BoundSubquery[] = [];
  for (const expr of exprs) {
    walk(expr, (e) => {
      if (e.kind === 'subquery') found.push(e);
    });
  }
  return found;
}

/** Per run: a function that fills every subquery's cell for a row; undefined when there are none. */
export function subqueryPreparer(exprs: readonly BoundExpr[], sql: string): ((ctx: ExecContext) => Prepare) | undefined {
  const subqueries = findSubqueries(exprs);
  if (subqueries.length === 0) return undefined;
  return (ctx) => {
    const done = new Set<BoundSubquery>();
    return async (row) => {
      for (const sub of subqueries) {
        if (!sub.correlated && done.has(sub)) continue;
        sub.holder.row = row;
        await fillCell(sub, ctx, sql);
        done.add(sub);
      }
    };
  };
}

async function fillCell(sub: BoundSubquery, ctx: ExecContext, sql: string): Promise<void> {
  const cell = sub.cell;
  const plan = sub.replan ? sub.replan() : sub.plan;
  if (sub.mode === 'exists') {
    cell.value = false;
    for await (const batch of plan.batches(ctx)) {
      if (batch.length === 0) continue;
      cell.value = true;
      break;
    }
    return;
  }
  if (sub.mode === 'scalar') {
    let count = 0;
    cell.value = null;
    for await (const batch of plan.batches(ctx)) {
      for (const row of batch) {
        if (++count > 1) {
          throw new SqlError('A subquery used as a value returned more than one row', sql, sub.pos);
        }
        cell.value = row[0] ?? null;
      }
    }
    return;
  }
  if (sub.mode === 'quantified') {
    const list: SqlValue[] = [];
    for await (const batch of plan.batches(ctx)) for (const row of batch) list.push(row[0] ?? null);
    cell.list = list;
    return;
  }
  const values = new Set<unknown>();
  let hasNull = false;
  for await (const batch of plan.batches(ctx)) {
    for (const row of batch) {
      const v = row[0] ?? null;
      if (v === null) hasNull = true;
      else values.add(membershipKey(v));
    }
  }
  cell.values = values;
  cell.hasNull = hasNull;
}
