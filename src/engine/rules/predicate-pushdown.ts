// Predicate pushdown: each WHERE conjunct and each ON condition goes as deep into the FROM tree
// as its columns allow. A conjunct on one table is offered to that table's scan; one spanning
// both sides of an inner join becomes its condition. Outer joins are respected: nothing filters
// the null-supplying side from WHERE (it stays above the join, in `after`), while an ON
// condition on the null-supplying side alone filters that side.

import type { BoundExpr } from '../bound.js';
import { columnRange, within } from '../plan/layout.js';
import { isUnary, withFields, withInput, type PlanNode } from '../plan/nodes.js';

/** Every `where` Filter directly over FROM nodes is pushed into them. */
export function pushDownPredicates(node: PlanNode): PlanNode {
  switch (node.kind) {
    case 'Filter': {
      if (node.role !== 'where' || !isFrom(node.input)) return withFields(node, { input: pushDownPredicates(node.input) });
      // Conjuncts reading subqueries or outer rows are evaluated above FROM, where those are prepared.
      const pushable = node.conjuncts.filter((c) => columnRange(c).local);
      const kept = node.conjuncts.filter((c) => !columnRange(c).local);
      const input = pushInto(node.input, pushable);
      return kept.length > 0 ? withFields(node, { input, conjuncts: kept }) : input;
    }
    case 'Join':
      return pushInto(node, []);
    default:
      return isUnary(node) ? withInput(node, pushDownPredicates(node.input)) : node;
  }
}

function isFrom(node: PlanNode): boolean {
  return node.kind === 'Scan' || node.kind === 'SubqueryScan' || node.kind === 'Join' || (node.kind === 'Project' && node.reason !== undefined);
}

function pushInto(node: PlanNode, conjuncts: BoundExpr[]): PlanNode {
  switch (node.kind) {
    case 'Scan':
    case 'SubqueryScan':
      return conjuncts.length === 0 ? node : withFields(node, { conjuncts: [...node.conjuncts, ...conjuncts] });
    case 'Filter':
      return pushInto(node.input, [...node.conjuncts, ...conjuncts]);
    case 'Project':
      // A reordered join run: its conditions were placed under the projection by the join-order rule.
      return withFields(node, { input: pushInto(node.input, []) });
    case 'Join':
      return pushIntoJoin(node, conjuncts);
    default:
      throw new Error(`predicate pushdown reached a ${node.kind} node inside FROM`);
  }
}

function pushIntoJoin(node: Extract<PlanNode, { kind: 'Join' }>, conjuncts: BoundExpr[]): PlanNode {
  const { type, left, right } = node;
  const leftPush: BoundExpr[] = [];
  const rightPush: BoundExpr[] = [];
  const condition: BoundExpr[] = [];
  const after: BoundExpr[] = [...node.after];
  const inner = type === 'INNER' || type === 'CROSS';
  const pool = inner ? [...conjuncts, ...node.condition] : conjuncts;
  for (const c of pool) {
    if (within(c, left) && (inner || type === 'LEFT')) leftPush.push(c);
    else if (within(c, right) && (inner || type === 'RIGHT')) rightPush.push(c);
    else if (inner) condition.push(c);
    else after.push(c);
  }
  if (!inner) {
    for (const c of node.condition) {
      if (type === 'LEFT' && within(c, right)) rightPush.push(c);
      else if (type === 'RIGHT' && within(c, left)) leftPush.push(c);
      else condition.push(c);
    }
  }
  return withFields(node, { left: pushInto(left, leftPush), right: pushInto(right, rightPush), condition, after });
}
