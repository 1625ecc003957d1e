// Join order for a run of inner and comma joins. `FROM t1, t2, t3 WHERE a1 = c3 AND b2 = c3`
// written as is would join t1 and t2 with nothing between them: a cross product, which with a
// few more tables exhausts memory. Here the run's inputs (tables, derived tables, outer-join
// groups) are laid out again so that each input joins one it is connected to by a condition:
// each connected group grown from its first input in written order, preferring equality (hash)
// conditions. An order with no avoidable cross product is kept as written, so the first table
// (the one a lookup join drives from) stays first.
//
// The reordered inputs get new offsets (the "run numbering"); a Project on top puts each row
// back in the written numbering, so nothing above the run notices.

import { remapColumns, shiftColumns, walk, type BoundExpr } from '../bound.js';
import { baseOf, splitAnd, widthOf } from '../plan/layout.js';
import { freeze, isUnary, sourcesUnder, withFields, withInput, type JoinNode, type PlanNode } from '../plan/nodes.js';
import type { ScopeSource } from '../scope.js';

interface Input {
  node: PlanNode;
  base: number;
  width: number;
}

export function orderJoins(node: PlanNode): PlanNode {
  switch (node.kind) {
    case 'Filter':
      if (node.role === 'where' && isInnerJoin(node.input)) return reorderRun(node.input, [...node.conjuncts]) ?? withFields(node, { input: withOrderedInputs(node.input) });
      return withFields(node, { input: orderJoins(node.input) });
    case 'Join':
      return (isInner(node) ? reorderRun(node, []) : undefined) ?? withOrderedInputs(node);
    default:
      return isUnary(node) ? withInput(node, orderJoins(node.input)) : node;
  }
}

/** A run kept in written order, its inputs (outer-join groups, derived tables) ordered inside. */
function withOrderedInputs(node: PlanNode): PlanNode {
  if (node.kind !== 'Join') return orderJoins(node);
  // Its own inner-join sub-runs were just examined as part of it: only their inputs are left.
  const inside = (child: PlanNode): PlanNode => (isInner(node) && isInnerJoin(child) ? withOrderedInputs(child) : orderJoins(child));
  return withFields(node, { left: inside(node.left), right: inside(node.right) });
}

function isInnerJoin(node: PlanNode): node is JoinNode {
  return node.kind === 'Join' && isInner(node);
}

function isInner(join: JoinNode): boolean {
  return join.type === 'INNER' || join.type === 'CROSS';
}

/** Undefined when the written order is kept (or the run cannot be reordered safely). */
function reorderRun(root: JoinNode, conjuncts: BoundExpr[]): PlanNode | undefined {
  const inputs: Input[] = [];
  const conditions = [...conjuncts];
  collectRun(root, inputs, conditions);
  if (inputs.length < 3 || conditions.some(readsOutside)) return undefined;
  const inputOf = (index: number): number => inputs.findIndex((i) => index >= i.base && index < i.base + i.width);
  const refs = conditions.map((c) => ({ inputs: inputsRead(c, inputOf), equality: isEquality(c, inputOf) }));
  const order = chooseOrder(inputs.length, refs);
  if (order.every((input, i) => input === i)) return undefined;

  const base = inputs[0]!.base;
  const newBase = new Map<number, number>();
  let next = base;
  for (const i of order) {
    newBase.set(i, next);
    next += inputs[i]!.width;
  }
  const toRun = (index: number): number => {
    const i = inputOf(index);
    return index - inputs[i]!.base + newBase.get(i)!;
  };
  const relocated = order.map((i) => relocate(orderJoins(inputs[i]!.node), newBase.get(i)! - inputs[i]!.base));
  const leftDeep = relocated.reduce((left, right): PlanNode => freeze<JoinNode>({ kind: 'Join', type: 'CROSS', left, right, condition: [], after: [] }));
  const filtered: PlanNode = freeze({ kind: 'Filter', input: leftDeep, conjuncts: conditions.map((c) => remapColumns(c, toRun)), role: 'where' });
  // The projection's expressions read the run numbering and produce the written one.
  const written = Array.from({ length: next - base }, (_, i) => base + i);
  return freeze({
    kind: 'Project',
    input: filtered,
    exprs: written.map((index): BoundExpr => ({ kind: 'column', index: toRun(index), column: columnAt(inputs, inputOf, index), type: columnAt(inputs, inputOf, index).type, pos: { offset: 0, line: 1, column: 1 } })),
    names: written.map((index) => columnAt(inputs, inputOf, index).name),
    visible: written.length,
    reason: `Join order ${order.map((i) => describeInput(inputs[i]!.node)).join(', ')} (reordered: each table joins one it has a condition with)`,
  });
}

function columnAt(inputs: Input[], inputOf: (index: number) => number, index: number): ScopeSource['columns'][number] {
  const sources = sourcesUnder(inputs[inputOf(index)]!.node);
  const source = sources.find((s) => index >= s.offset && index < s.offset + s.columns.length)!;
  return source.columns[index - source.offset]!;
}

function collectRun(node: PlanNode, inputs: Input[], conditions: BoundExpr[]): void {
  if (isInnerJoin(node)) {
    collectRun(node.left, inputs, conditions);
    collectRun(node.right, inputs, conditions);
    conditions.push(...node.condition.flatMap((c) => splitAnd(c)));
    return;
  }
  inputs.push({ node, base: baseOf(node), width: widthOf(node) });
}

function inputsRead(expr: BoundExpr, inputOf: (index: number) => number): Set<number> {
  const set = new Set<number>();
  walk(expr, (e) => {
    if (e.kind === 'column') set.add(inputOf(e.index));
  });
  return set;
}

/** Conditions reading outer rows or subqueries stay where they are: they are bound to the written layout. */
function readsOutside(expr: BoundExpr): boolean {
  let outside = false;
  walk(expr, (e) => {
    if (e.kind === 'subquery' || e.kind === 'outer' || e.kind === 'aggregate') outside = true;
  });
  return outside;
}

/** `x = y` with each side reading exactly one input, two different ones: a hash join key. */
function isEquality(expr: BoundExpr, inputOf: (index: number) => number): boolean {
  if (expr.kind !== 'binary' || expr.op !== '=') return false;
  const left = inputsRead(expr.left, inputOf);
  const right = inputsRead(expr.right, inputOf);
  return left.size === 1 && right.size === 1 && [...left][0] !== [...right][0];
}

/**
 * Connected groups in written order of their first input; within a group, each next input is
 * the earliest written one that an equality (else any condition) ties to those already joined.
 * A condition ties an input once every other input it reads is joined: each condition counts
 * its inputs not yet joined, so the whole choice is linear in the conditions' size.
 */
function chooseOrder(count: number, refs: { inputs: Set<number>; equality: boolean }[]): number[] {
  const order: number[] = [];
  const joined = new Array<boolean>(count).fill(false);
  const refsOf: number[][] = Array.from({ length: count }, () => []);
  const unjoined = refs.map((r) => r.inputs.size);
  refs.forEach((r, k) => {
    if (r.inputs.size > 1) for (const i of r.inputs) refsOf[i]!.push(k);
  });
  // Inputs tied to the joined ones by an equality, and by any condition.
  const tiedByEquality = new Set<number>();
  const tiedByAny = new Set<number>();
  let firstRemaining = 0;
  const join = (input: number): void => {
    order.push(input);
    joined[input] = true;
    tiedByEquality.delete(input);
    tiedByAny.delete(input);
    for (const k of refsOf[input]!) {
      if (--unjoined[k]! !== 1) continue;
      for (const i of refs[k]!.inputs) {
        if (joined[i]) continue;
        tiedByAny.add(i);
        if (refs[k]!.equality) tiedByEquality.add(i);
      }
    }
  };
  const earliest = (set: Set<number>): number | undefined => {
    let best: number | undefined;
    for (const i of set) if (best === undefined || i < best) best = i;
    return best;
  };
  while (order.length < count) {
    while (joined[firstRemaining]) firstRemaining++;
    join(earliest(tiedByEquality) ?? earliest(tiedByAny) ?? firstRemaining);
  }
  return order;
}

/** The subtree moved `delta` columns along the FROM row: its sources and every expression in it. */
export function relocate(node: PlanNode, delta: number): PlanNode {
  if (delta === 0) return node;
  const shift = (e: BoundExpr): BoundExpr => shiftColumns(e, delta);
  switch (node.kind) {
    case 'Scan':
    case 'SubqueryScan':
      return withFields(node, { source: { ...node.source, offset: node.source.offset + delta }, conjuncts: node.conjuncts.map(shift) } as Partial<typeof node>);
    case 'Join':
      return withFields(node, { left: relocate(node.left, delta), right: relocate(node.right, delta), condition: node.condition.map(shift), after: node.after.map(shift) });
    case 'Filter':
      return withFields(node, { input: relocate(node.input, delta), conjuncts: node.conjuncts.map(shift) });
    case 'Project':
      return withFields(node, { input: relocate(node.input, delta), exprs: node.exprs.map(shift) });
    default:
      throw new Error(`join order cannot move a ${node.kind} node`);
  }
}

function describeInput(node: PlanNode): string {
  return sourcesUnder(node)
    .map((s) => s.alias ?? s.name)
    .join(' ⟕ ');
}
