// Projection pruning: each scan is asked only for the columns the query reads (a Stripe table
// then expands nothing it does not need). Reads are collected from every expression that sees
// the FROM row: WHERE, ON, group keys and aggregate arguments, and the select list and window
// calls when the query does not group. `SELECT *` needs every visible column.

import { walk, type BoundExpr } from '../bound.js';
import { withFields, type PlanNode } from '../plan/nodes.js';

export function pruneColumns(root: PlanNode, options: { star: boolean }): PlanNode {
  const used = new Set<number>();
  collect(root, hasAggregate(root), used);
  const setColumns = (node: PlanNode): PlanNode => {
    switch (node.kind) {
      case 'Scan': {
        const { source } = node;
        const columns = source.columns.filter((c, i) => used.has(source.offset + i) || (options.star && !c.pseudo)).map((c) => c.name);
        return withFields(node, { columns });
      }
      case 'Join':
        return withFields(node, { left: setColumns(node.left), right: setColumns(node.right) });
      case 'SubqueryScan':
      case 'SingleRow':
        return node;
      default:
        return withFields(node, { input: setColumns(node.input) } as Partial<typeof node>);
    }
  };
  return setColumns(root);
}

function hasAggregate(node: PlanNode): boolean {
  if (node.kind === 'Aggregate') return true;
  return 'input' in node && node.input !== undefined ? hasAggregate(node.input as PlanNode) : false;
}

/** Columns read from the FROM row; `aggregateBelow`: this node reads the aggregate row instead. */
function collect(node: PlanNode, aggregateBelow: boolean, used: Set<number>): void {
  const read = (exprs: readonly BoundExpr[]): void => {
    for (const expr of exprs) {
      walk(expr, (e) => {
        if (e.kind === 'column') used.add(e.index);
      });
    }
  };
  switch (node.kind) {
    case 'Scan':
    case 'SubqueryScan':
      read(node.conjuncts);
      return;
    case 'Join':
      read(node.condition);
      read(node.after);
      collect(node.left, false, used);
      collect(node.right, false, used);
      return;
    case 'Aggregate':
      read(node.keys);
      read(node.aggregates.flatMap((a) => (a.arg ? [a.arg] : [])));
      collect(node.input, false, used);
      return;
    case 'Filter':
      if (!aggregateBelow) read(node.conjuncts);
      collect(node.input, aggregateBelow && hasAggregate(node.input), used);
      return;
    case 'Project':
      if (!aggregateBelow) read(node.exprs);
      collect(node.input, aggregateBelow && hasAggregate(node.input), used);
      return;
    case 'Window':
      if (!aggregateBelow) {
        read(node.windows.calls.flatMap((c) => [...(c.argExpr ? [c.argExpr] : []), ...c.partitionExprs, ...c.orderExprs]));
      }
      collect(node.input, aggregateBelow && hasAggregate(node.input), used);
      return;
    case 'Sort':
    case 'Distinct':
    case 'Limit':
      collect(node.input, aggregateBelow && hasAggregate(node.input), used);
      return;
    default:
      return;
  }
}
