// Join method: equality conditions between the two sides become hash keys (the rest is checked
// on each joined pair); none, and it is a nested loop. When the inner side is one table that
// can be fetched by the join key (the table answers Table.keyLookup), and reading it whole would
// cost more requests than fetching per batch of outer keys, the join becomes a lookup join.
//
// An inner join may also change sides: when the written outer side is unbounded but the inner
// one is selective (`FROM Charges ch JOIN Customers c ON … WHERE c.Email = ?`), the selective
// side drives and the other is fetched by key: two requests instead of two full reads.

import { remapColumns, shiftColumns, type BoundExpr } from '../bound.js';
import { baseOf, hasColumn, widthOf, within } from '../plan/layout.js';
import { freeze, sourcesUnder, transformUp, withFields, type JoinMethod, type JoinNode, type PlanNode, type ProjectNode } from '../plan/nodes.js';
import { relocate } from './join-order.js';
import { planScan, type PlannedScan } from '../scan.js';
import { isNumericType } from '../values.js';

/** Outer keys fetched per lookup. */
export const LOOKUP_BATCH = 100;

export function chooseJoinMethods(root: PlanNode, sql: string): PlanNode {
  return transformUp(root, (node) => (node.kind === 'Join' && !node.method ? chooseJoin(node, sql) : node));
}

function chooseJoin(node: JoinNode, sql: string): PlanNode {
  const method = chooseMethod(node, sql);
  if (method.kind === 'lookup' || (node.type !== 'INNER' && node.type !== 'CROSS') || node.left.kind !== 'Scan') {
    return withFields(node, { method });
  }
  const swapped = swapSides(node);
  const swappedMethod = chooseMethod(swapped.join, sql);
  if (swappedMethod.kind !== 'lookup') return withFields(node, { method });
  const driver = swapped.join.left.kind === 'Scan' ? (swapped.join.left.source.alias ?? swapped.join.left.source.name) : 'the inner side';
  return freeze<ProjectNode>({
    ...swapped.project,
    input: withFields(swapped.join, { method: swappedMethod }),
    reason: `Join sides swapped: ${driver} drives, the other side is fetched by key`,
  });
}

/** The join with its inputs exchanged, and the projection that restores the written column order. */
function swapSides(node: JoinNode): { join: JoinNode; project: Omit<ProjectNode, 'input'> } {
  const base = baseOf(node);
  const leftWidth = widthOf(node.left);
  const rightWidth = widthOf(node.right);
  const moved = (index: number): number => (index < base + leftWidth ? index + rightWidth : index - leftWidth);
  const join: JoinNode = freeze<JoinNode>({
    ...node,
    left: relocate(node.right, -leftWidth),
    right: relocate(node.left, rightWidth),
    condition: node.condition.map((c) => remapColumns(c, moved)),
    after: node.after.map((c) => remapColumns(c, moved)),
  });
  const columns = [...sourcesUnder(node.left), ...sourcesUnder(node.right)].flatMap((source) => source.columns.map((column, i) => ({ column, index: source.offset + i })));
  return {
    join,
    project: {
      kind: 'Project',
      exprs: columns.map(({ column, index }): BoundExpr => ({ kind: 'column', index: moved(index), column, type: column.type, pos: { offset: 0, line: 1, column: 1 } })),
      names: columns.map(({ column }) => column.name),
      visible: columns.length,
    },
  };
}

function chooseMethod(node: JoinNode, sql: string): JoinMethod {
  const leftKeys: BoundExpr[] = [];
  const rightKeys: BoundExpr[] = [];
  const residual: BoundExpr[] = [];
  for (const c of node.condition) {
    if (c.kind === 'binary' && c.op === '=' && hashable(c.left, c.right) && hasColumn(c.left) && hasColumn(c.right)) {
      if (within(c.left, node.left) && within(c.right, node.right)) {
        leftKeys.push(c.left);
        rightKeys.push(c.right);
        continue;
      }
      if (within(c.right, node.left) && within(c.left, node.right)) {
        leftKeys.push(c.right);
        rightKeys.push(c.left);
        continue;
      }
    }
    residual.push(c);
  }
  const lookup = lookupMethod(node, leftKeys, rightKeys, residual, sql);
  if (lookup) return lookup;
  return leftKeys.length > 0 ? { kind: 'hash', leftKeys, rightKeys, residual } : { kind: 'nestedLoop', residual };
}

/** Equal static kinds hash alike; mixed kinds (number vs text) need the comparison's coercion. */
function hashable(a: BoundExpr, b: BoundExpr): boolean {
  const kind = (t: BoundExpr['type']): string => (t === null ? '?' : isNumericType(t) ? 'number' : t);
  return kind(a.type) === kind(b.type) && a.type !== null;
}

/**
 * A lookup join is possible when the inner side is one table joined on one of its columns, and
 * the table can be fetched by that column (Table.keyLookup); it is chosen unless a full scan is
 * known to cost no more requests than a single batch.
 */
function lookupMethod(node: JoinNode, leftKeys: BoundExpr[], rightKeys: BoundExpr[], residual: BoundExpr[], sql: string): JoinMethod | undefined {
  const right = node.right;
  if (right.kind !== 'Scan' || rightKeys.length !== 1 || (node.type !== 'INNER' && node.type !== 'LEFT')) return undefined;
  const key = rightKeys[0]!;
  if (key.kind !== 'column' || !right.table.keyLookup) return undefined;
  const offset = right.source.offset;
  const columnIndex = key.index - offset;
  const column = right.table.columns[columnIndex]!;
  const columns = right.columns ?? right.source.columns.map((c) => c.name);
  const needed = columns.some((c) => c.toLowerCase() === column.name.toLowerCase()) ? [...columns] : [...columns, column.name];
  const scan = planScan(right.table, right.conjuncts.map((c) => shiftColumns(c, -offset)), needed, sql);
  if (scan.emptyReason !== undefined || !scan.plan) return undefined;
  const fetch = right.table.keyLookup(scan.request, column.name, LOOKUP_BATCH);
  if (!fetch) return undefined;
  const full = scan.plan.estimatedRequests;
  const perBatch = fetch.requestsPerFetch === undefined ? undefined : fetch.requestsPerFetch * (fetch.op === 'IN' ? 1 : LOOKUP_BATCH);
  if (full !== undefined && (full === 0 || (perBatch !== undefined && full <= perBatch))) return undefined;
  // Outer rows without a bound: fetching the inner side a key at a time (a retrieve per Id, a
  // list per customer) would cost a request per distinct key, where reading it once does not.
  if (!isSelective(node.left) && (perBatch === undefined || perBatch > 1)) return undefined;
  return {
    kind: 'lookup',
    leftKey: leftKeys[0]!,
    rightKey: key,
    residual,
    inner: scan,
    column: { name: column.name, type: column.type },
    columnIndex,
    op: fetch.op,
    ...(perBatch !== undefined ? { requestsPerBatch: perBatch } : {}),
    fetch,
  };
}

/**
 * Whether the outer side of a join is known to be small: an in-memory table or a single read, a
 * pushed equality or IN (a customer, an email), or a pushed LIMIT. Anything but a lone table
 * counts as small (nothing better is known about it).
 */
function isSelective(node: PlanNode): boolean {
  if (node.kind !== 'Scan') return true;
  const scan: PlannedScan | undefined = node.planned;
  if (!scan || scan.emptyReason !== undefined || !scan.plan) return true;
  const plan = scan.plan;
  if (plan.estimatedRequests !== undefined && plan.estimatedRequests <= 1) return true;
  return plan.limitApplied || plan.pushed.some((p) => p.op === '=' || p.op === 'IN');
}
