// Where a FROM subtree's columns sit in the FROM row, and which subtree an expression reads.

import { walk, type BoundExpr } from '../bound.js';
import { sourcesUnder, type PlanNode } from './nodes.js';
import type { ScopeSource } from '../scope.js';

// Both are asked of every node of a FROM tree by several rules, often once per conjunct: kept
// per (immutable) node, so that a chain of 2,000 joins is not walked again at every step.
const bases = new WeakMap<PlanNode, number>();
const widths = new WeakMap<PlanNode, number>();

/** The first FROM-row column of the subtree (its rows start there): its first source's offset. */
export function baseOf(node: PlanNode): number {
  let base = bases.get(node);
  if (base === undefined) {
    base = firstSource(node).offset;
    bases.set(node, base);
  }
  return base;
}

export function widthOf(node: PlanNode): number {
  let width = widths.get(node);
  if (width === undefined) {
    switch (node.kind) {
      case 'Scan':
      case 'SubqueryScan':
        width = node.source.columns.length;
        break;
      case 'Join':
        width = widthOf(node.left) + widthOf(node.right);
        break;
      case 'Project':
      case 'Filter':
        width = widthOf(node.input);
        break;
      default:
        width = 0;
    }
    widths.set(node, width);
  }
  return width;
}

/** The leftmost source of a FROM subtree, found without recursion (a left-deep chain may be thousands of joins long). */
function firstSource(node: PlanNode): ScopeSource {
  let at = node;
  for (;;) {
    if (at.kind === 'Scan' || at.kind === 'SubqueryScan') return at.source;
    if (at.kind === 'Join') at = at.left;
    else if (at.kind === 'Project' || at.kind === 'Filter') at = at.input;
    else return sourcesUnder(at)[0]!;
  }
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
