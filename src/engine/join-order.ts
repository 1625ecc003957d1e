// Join order for a run of inner and comma joins. `FROM t1, t2, t3 WHERE a1 = c3 AND b2 = c3`
// written as is would join t1 and t2 with nothing between them: a cross product, which with a
// few more tables exhausts memory. Here the run's inputs (tables, derived tables, outer-join
// groups) are laid out again so that each input joins one it is connected to by a condition:
// the connected groups one after another, each grown from its first input in written order,
// preferring equality (hash) conditions. An order that already has no avoidable cross product
// is kept as written, so the first table (the one a lookup join drives from) stays first.
//
// The reordered inputs get new offsets (the "run layout"); the caller plans that tree with the
// conditions remapped to it, and puts each row back in the written layout with `permutation`.

import { remapColumns, shiftColumns, walk, type BoundExpr } from './bound.js';
import type { FromTree } from './relation.js';
import type { ScopeSource } from './scope.js';

export interface ReorderedJoins {
  /** A left-deep tree of CROSS joins over the inputs in their new order, in the run layout. */
  tree: FromTree;
  /** Every condition of the run (WHERE conjuncts and inner ON clauses), in the run layout. */
  conditions: BoundExpr[];
  /** For output column i (written layout, from the run's first column), its index in the run layout. */
  permutation: number[];
  /** A relocated source → the source as the query bound it (to ask which columns it needs). */
  originals: Map<ScopeSource, ScopeSource>;
  /** Input names in the chosen order, for EXPLAIN. */
  order: string[];
}

interface Input {
  tree: FromTree;
  base: number;
  width: number;
}

/** Undefined when the written order is kept (or the run cannot be reordered safely). */
export function reorderInnerJoins(tree: FromTree, conjuncts: BoundExpr[], splitAnd: (e: BoundExpr | undefined) => BoundExpr[]): ReorderedJoins | undefined {
  if (!isInnerJoin(tree)) return undefined;
  const inputs: Input[] = [];
  const conditions = [...conjuncts];
  collectRun(tree, inputs, conditions, splitAnd);
  if (inputs.length < 3 || conditions.some(readsOutside)) return undefined;
  const inputOf = (index: number): number => inputs.findIndex((i) => index >= i.base && index < i.base + i.width);
  const refs = conditions.map((c) => {
    const set = new Set<number>();
    walk(c, (e) => {
      if (e.kind === 'column') set.add(inputOf(e.index));
    });
    return { condition: c, inputs: set, equality: isEquality(c, inputOf) };
  });
  const order = chooseOrder(inputs.length, refs);
  if (order.every((input, i) => input === i)) return undefined;

  // Lay the inputs out again in the new order.
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
  const originals = new Map<ScopeSource, ScopeSource>();
  const relocated = order.map((i) => relocate(inputs[i]!.tree, newBase.get(i)! - inputs[i]!.base, originals));
  const leftDeep = relocated.reduce((left, right): FromTree => ({ kind: 'join', type: 'CROSS', left, right, on: undefined }));
  const width = next - base;
  const permutation = Array.from({ length: width }, (_, i) => toRun(base + i) - base);
  return {
    tree: leftDeep,
    conditions: conditions.map((c) => remapColumns(c, toRun)),
    permutation,
    originals,
    order: order.map((i) => describeInput(inputs[i]!.tree)),
  };
}

function isInnerJoin(tree: FromTree): tree is Extract<FromTree, { kind: 'join' }> {
  return tree.kind === 'join' && (tree.type === 'INNER' || tree.type === 'CROSS');
}

function collectRun(tree: FromTree, inputs: Input[], conditions: BoundExpr[], splitAnd: (e: BoundExpr | undefined) => BoundExpr[]): void {
  if (isInnerJoin(tree)) {
    collectRun(tree.left, inputs, conditions, splitAnd);
    collectRun(tree.right, inputs, conditions, splitAnd);
    conditions.push(...splitAnd(tree.on));
    return;
  }
  const sources = sourcesOf(tree);
  const base = sources[0]!.offset;
  inputs.push({ tree, base, width: sources.reduce((n, s) => n + s.columns.length, 0) });
}

function sourcesOf(tree: FromTree): ScopeSource[] {
  return tree.kind === 'join' ? [...sourcesOf(tree.left), ...sourcesOf(tree.right)] : [tree.source];
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
  const side = (e: BoundExpr): Set<number> => {
    const set = new Set<number>();
    walk(e, (x) => {
      if (x.kind === 'column') set.add(inputOf(x.index));
    });
    return set;
  };
  const left = side(expr.left);
  const right = side(expr.right);
  return left.size === 1 && right.size === 1 && [...left][0] !== [...right][0];
}

/**
 * Connected groups in written order of their first input; within a group, each next input is
 * the earliest written one that an equality (else any condition) ties to those already joined.
 */
function chooseOrder(count: number, refs: { inputs: Set<number>; equality: boolean }[]): number[] {
  const order: number[] = [];
  const joined = new Set<number>();
  const ties = (candidate: number, equality: boolean): boolean =>
    refs.some(
      (r) =>
        (!equality || r.equality) &&
        r.inputs.has(candidate) &&
        r.inputs.size > 1 &&
        [...r.inputs].every((i) => i === candidate || joined.has(i)),
    );
  while (order.length < count) {
    const remaining = Array.from({ length: count }, (_, i) => i).filter((i) => !joined.has(i));
    const inGroup = order.length > 0 ? remaining.find((i) => ties(i, true)) ?? remaining.find((i) => ties(i, false)) : undefined;
    const nextInput = inGroup ?? remaining[0]!;
    order.push(nextInput);
    joined.add(nextInput);
  }
  return order;
}

function relocate(tree: FromTree, delta: number, originals: Map<ScopeSource, ScopeSource>): FromTree {
  if (delta === 0) return tree;
  if (tree.kind === 'join') {
    return { ...tree, left: relocate(tree.left, delta, originals), right: relocate(tree.right, delta, originals), on: tree.on && shiftColumns(tree.on, delta) };
  }
  const source: ScopeSource = { ...tree.source, offset: tree.source.offset + delta };
  originals.set(source, originals.get(tree.source) ?? tree.source);
  return { ...tree, source };
}

function describeInput(tree: FromTree): string {
  return sourcesOf(tree)
    .map((s) => s.alias ?? s.name)
    .join(' ⟕ ');
}
