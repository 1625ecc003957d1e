// EXPLAIN as data: the same plan tree as explain-text.ts prints, as plain JSON objects (for
// tools: the wire server's EXPLAIN, a UI drawing the plan). Expressions are SQL text; each
// scan carries what the table took and what it left; actuals appear once the plan has run.

import type { BoundExpr } from '../bound.js';
import { formatExpr } from '../format.js';
import type { Instrument } from '../instrument.js';
import type { PlannedScan } from '../scan.js';
import type { Meters } from './meters.js';
import type { PlanNode } from './nodes.js';

export interface JsonPlanNode {
  node: string;
  [property: string]: unknown;
  inputs?: JsonPlanNode[];
}

export function planToJson(node: PlanNode, meters: Meters): JsonPlanNode {
  const out = describe(node, meters);
  const instrument = meters.get(node);
  if (instrument && instrument.runs > 0) out.actual = actual(instrument);
  return out;
}

function texts(exprs: readonly BoundExpr[]): string[] {
  return exprs.map(formatExpr);
}

function actual(instrument: Instrument): Record<string, number> {
  return {
    rows: instrument.rows, requests: instrument.requests, retries: instrument.retries, throttled: instrument.throttled,
    waitedMs: Number(instrument.waitedMs.toFixed(3)), ms: Number(instrument.millis.toFixed(3)), runs: instrument.runs,
  };
}

function scanJson(scan: PlannedScan): Record<string, unknown> {
  if (scan.emptyReason !== undefined) return { empty: scan.emptyReason };
  return {
    columns: scan.request.columns,
    pushed: scan.plan?.pushed.map((p) => p.text) ?? [],
    residual: scan.filterText,
    ...(scan.request.orderBy.length > 0 ? { orderBy: scan.request.orderBy.map((k) => `${k.column} ${k.direction}`), orderSatisfied: scan.plan?.orderSatisfied ?? false } : {}),
    ...(scan.plan?.limitApplied ? { limitApplied: true } : {}),
    ...(scan.plan?.estimatedRequests !== undefined ? { estimatedRequests: scan.plan.estimatedRequests } : {}),
    detail: scan.plan?.describe() ?? [],
    ...(scan.instrument.runs > 0 ? { actual: actual(scan.instrument) } : {}),
  };
}

function describe(node: PlanNode, meters: Meters): JsonPlanNode {
  const inputs = (...children: PlanNode[]): JsonPlanNode[] => children.map((c) => planToJson(c, meters));
  switch (node.kind) {
    case 'Scan':
      return { node: 'Scan', table: node.table.name, ...(node.source.alias ? { alias: node.source.alias } : {}), ...(node.offer?.limit !== undefined ? { limitOffered: node.offer.limit } : {}), ...(node.planned ? scanJson(node.planned) : {}) };
    case 'SubqueryScan':
      return { node: 'SubqueryScan', alias: node.source.alias ?? node.source.name, filter: texts(node.conjuncts), plan: node.plan.explainJson?.() ?? node.plan.explain() };
    case 'Join': {
      const method = node.method;
      const base = { node: 'Join', type: node.type, method: method?.kind ?? 'unplanned', condition: texts(node.condition), ...(node.after.length > 0 ? { filter: texts(node.after) } : {}) };
      if (method?.kind === 'hash') Object.assign(base, { keys: method.leftKeys.map((k, i) => `${formatExpr(k)} = ${formatExpr(method.rightKeys[i]!)}`), residual: texts(method.residual) });
      if (method?.kind === 'lookup') {
        Object.assign(base, { key: `${formatExpr(method.leftKey)} = ${formatExpr(method.rightKey)}`, fetch: `${method.column.name} ${method.op}`, ...(method.requestsPerBatch !== undefined ? { requestsPerBatch: method.requestsPerBatch } : {}) });
        // One fetch as the table tells it (Table.keyLookup), not the full read its scan would be.
        const { estimatedRequests: _fullRead, ...inner } = scanJson(method.inner);
        const perFetch = method.fetch.requestsPerFetch;
        const fetched = { node: 'Scan', table: method.inner.table.name, perBatch: true, ...inner, detail: method.fetch.describe(), ...(perFetch !== undefined ? { requestsPerFetch: perFetch } : {}) };
        return { ...base, inputs: [planToJson(node.left, meters), fetched] };
      }
      return { ...base, inputs: inputs(node.left, node.right) };
    }
    case 'Filter':
      return { node: node.role === 'having' ? 'Having' : 'Filter', condition: texts(node.conjuncts), inputs: inputs(node.input) };
    case 'Project':
      return { node: 'Project', columns: node.names.slice(0, node.visible), ...(node.exprs.length > node.visible ? { sortKeys: texts(node.exprs.slice(node.visible)) } : {}), exprs: texts(node.exprs.slice(0, node.visible)), ...(node.reason ? { reason: node.reason } : {}), inputs: inputs(node.input) };
    case 'Aggregate':
      return { node: 'Aggregate', groupBy: texts(node.keys), aggregates: texts(node.aggregates), inputs: inputs(node.input) };
    case 'Window':
      return { node: 'Window', calls: node.windows.calls.map((c) => c.text), inputs: inputs(node.input) };
    case 'Sort':
      return { node: 'Sort', keys: node.keys.map((k) => k.text), ...(node.keep !== undefined ? { keep: node.keep } : {}), inputs: inputs(node.input) };
    case 'Distinct':
      return { node: 'Distinct', inputs: inputs(node.input) };
    case 'Limit':
      return { node: 'Limit', ...(node.limit !== undefined ? { limit: node.limit } : {}), offset: node.offset, inputs: inputs(node.input) };
    case 'SingleRow':
      return { node: 'SingleRow' };
  }
}
