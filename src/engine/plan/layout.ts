// Where a FROM subtree's columns sit in the FROM row, and which subtree an expression reads.

import { walk, type BoundExpr } from '../bound.js';
import { sourcesUnder, type PlanNode } from './nodes.js';

/** The first FROM-row column of the subtree (its rows start there). */
export function baseOf(node: PlanNode): number {
  return sourcesUnder(node)[0]!.offset;
}

export function widthOf(node: PlanNode): number {
  return sourcesUnder(node).reduce((n, s) => n + s.columns.length, 0);
}

/** The range of FROM-row columns an expression reads; `local` is false when it reads outer rows or subqueries too. */
export function columnRange(expr: BoundExpr): { min: number; max: number; local: boolean } {
  let min = Infinity;
  let max = -Infinity;
  let local = true;
  walk(expr, (e) => {
    if (e.kind === 'column') {
      min = Math.min(min, e.index);
      max = Math.max(max, e.index);
    } else if (e.kind === 'subquery' || e.kind === 'outer' || e.kind === 'aggregate') {
      local = false;
    }
  });
  return { min, max, local };
}

/** True when the expression reads only columns of the subtree (and nothing beyond FROM). */
export function within(expr: BoundExpr, node: PlanNode): boolean {
  const r = columnRange(expr);
  if (!r.local) return false;
  const base = baseOf(node);
  return r.min >= base && r.max < base + widthOf(node);
}

export function hasColumn(expr: BoundExpr): boolean {
  return columnRange(expr).min !== Infinity;
}

export function splitAnd(expr: BoundExpr | undefined): BoundExpr[] {
  if (!expr) return [];
  const out: BoundExpr[] = [];
  const stack = [expr];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind === 'binary' && e.op === 'AND') stack.push(e.right, e.left);
    else out.push(e);
  }
  return out;
}
