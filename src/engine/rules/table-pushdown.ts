// Table pushdown: each scan offers the table its conjuncts (and, for a lone table, ORDER BY and
// LIMIT) through the table contract, and records the table's answer: what it guarantees, what
// the engine must still check, whether order and limit are honoured, the requests it expects.

import { shiftColumns } from '../bound.js';
import { transformUp, withFields, type PlanNode, type ScanNode } from '../plan/nodes.js';
import { planScan, type ScanOffer } from '../scan.js';

export function pushIntoTables(root: PlanNode, sql: string): PlanNode {
  return transformUp(root, (node) => (node.kind === 'Scan' && !node.planned ? planTableScan(node, sql) : node));
}

export function planTableScan(node: ScanNode, sql: string): ScanNode {
  const offset = node.source.offset;
  const columns = node.columns ?? node.source.columns.map((c) => c.name);
  const offer: ScanOffer = {
    ...(node.offer ? { orderBy: [...node.offer.orderBy] } : {}),
    ...(node.offer?.limit !== undefined ? { limit: node.offer.limit } : {}),
    ...(node.offer?.acceptsLimit ? { acceptsLimit: node.offer.acceptsLimit } : {}),
    ...(node.pos ? { pos: node.pos } : {}),
  };
  const planned = planScan(node.table, node.conjuncts.map((c) => shiftColumns(c, -offset)), [...columns], sql, offer);
  return withFields(node, { planned });
}
