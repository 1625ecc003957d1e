// EXPLAIN as text: the plan tree printed top-down, a SELECT's pipeline one operator per line
// and a FROM tree's inputs indented under their join. With EXPLAIN ANALYZE, each operator that
// ran carries its actual rows and time (and each scan its requests).

import { formatExpr } from '../format.js';
import { withActuals } from '../instrument.js';
import { describeScan } from '../scan.js';
import { findSubqueries } from '../subqueries.js';
import { LOOKUP_BATCH } from '../rules/join-method.js';
import { LOOKUP_SCANS_IN_FLIGHT } from '../operators/join.js';
import type { Meters } from './meters.js';
import type { JoinNode, PlanNode } from './nodes.js';
import { selectParts } from './select-parts.js';

export function explainSelect(root: PlanNode, meters: Meters): string[] {
  const parts = selectParts(root);
  const { limit, distinct, sort, project, having, window, aggregate, where, from } = parts;
  const actuals = (line: string, node: PlanNode | undefined): string => {
    const instrument = node && meters.get(node);
    return instrument ? withActuals(line, instrument) : line;
  };
  const lines: string[] = [];
  if (limit) lines.push(actuals(`Limit ${limit.limit ?? 'ALL'}${limit.offset > 0 ? ` Offset ${limit.offset}` : ''}`, limit));
  if (distinct) lines.push(actuals(distinct.on ? `Distinct ON (${distinct.on.map((i) => project.names[i] ?? `#${i + 1}`).join(', ')})` : 'Distinct', distinct));
  if (sort) lines.push(actuals(`Sort ${sort.keys.map((k) => k.text).join(', ')}`, sort));
  if (having) lines.push(`Having ${having.conjuncts.map(formatExpr).join(' AND ')}`);
  if (aggregate) {
    const keys = aggregate.keys.length > 0 ? ` GROUP BY ${aggregate.keys.map(formatExpr).join(', ')}` : '';
    lines.push(actuals(`Aggregate ${aggregate.aggregates.map(formatExpr).join(', ')}${keys}`.replace('Aggregate  GROUP', 'Aggregate GROUP'), aggregate));
  }
  if (window) lines.push(actuals(`Window ${window.windows.calls.map((c) => c.text).join(', ')}`, window));
  const loneScan = from.kind === 'Scan' ? from.planned : undefined;
  if (loneScan?.emptyReason !== undefined) {
    lines.push(`Empty: no row can match (${loneScan.emptyReason}); ${loneScan.table.name} is not scanned`);
    return lines;
  }
  const whereConjuncts = where?.conjuncts ?? [];
  // A lone table's residual is the query's filter: shown as such, beside the other conjuncts.
  const filterText = [...(loneScan?.filterText ?? []), ...whereConjuncts.map(formatExpr)];
  if (filterText.length > 0) {
    const line = `Filter ${filterText.join(' AND ')}`;
    lines.push(aggregate || window ? line : actuals(line, project));
  }
  if (from.kind === 'SingleRow') lines.push('Single row (no FROM)');
  else if (loneScan) lines.push(...describeScan(loneScan).filter((l) => !l.startsWith('  residual: ')));
  else lines.push(...explainFrom(from, meters));
  findSubqueries([...whereConjuncts, ...project.exprs, ...(having?.conjuncts ?? [])]).forEach((sub, i) => {
    const how = sub.correlated ? 'correlated: planned again for each row, outer values as constants' : 'runs once';
    lines.push(`Subquery ${i + 1} ${formatExpr(sub)} (${how})`);
    for (const line of sub.plan.explain()) lines.push(`  ${line}`);
  });
  return lines;
}

export function explainFrom(node: PlanNode, meters: Meters): string[] {
  switch (node.kind) {
    case 'Scan':
      return describeScan(node.planned!);
    case 'SubqueryScan':
      return [
        `Subquery ${node.source.alias ?? node.source.name}`,
        ...(node.conjuncts.length > 0 ? [`  filter: ${node.conjuncts.map(formatExpr).join(' AND ')}`] : []),
        ...indent(node.plan.explain()),
      ];
    case 'Join':
      return explainJoin(node, meters);
    case 'Project':
      return [node.reason ?? 'Project', ...indent(explainFrom(node.input, meters))];
    case 'Filter':
      return [`Filter ${node.conjuncts.map(formatExpr).join(' AND ')}`, ...explainFrom(node.input, meters)];
    default:
      return [node.kind];
  }
}

function explainJoin(node: JoinNode, meters: Meters): string[] {
  const method = node.method!;
  const instrument = meters.get(node);
  const actuals = (line: string): string => (instrument ? withActuals(line, instrument) : line);
  const afterText = node.after.length > 0 ? [`  filter: ${node.after.map(formatExpr).join(' AND ')}`] : [];
  if (method.kind === 'lookup') {
    const conditionText = [`${formatExpr(method.leftKey)} = ${formatExpr(method.rightKey)}`, ...method.residual.map(formatExpr)].join(' AND ');
    const { inner, column, op } = method;
    const per = method.requestsPerBatch;
    const cost = per === undefined ? '' : `, about ${per} request${per === 1 ? '' : 's'} per batch`;
    const how =
      op === 'IN'
        ? `fetches ${inner.table.name} by ${column.name} IN (batch of up to ${LOOKUP_BATCH} keys)${cost}`
        : `fetches ${inner.table.name} by ${column.name} = key, once per distinct key, up to ${LOOKUP_SCANS_IN_FLIGHT} at once${cost}`;
    return [
      actuals(`Lookup Join ${node.type} ON ${conditionText} (${how})`),
      ...afterText,
      ...indent(explainFrom(node.left, meters)),
      ...indent(describeScan(inner, method.fetch.describe()).map((l, i) => (i === 0 ? `${l} (per ${op === 'IN' ? `batch: ${column.name} IN (…)` : `key: ${column.name} = …`})` : l))),
    ];
  }
  const keys = method.kind === 'hash' ? method.leftKeys.map((k, i) => `${formatExpr(k)} = ${formatExpr(method.rightKeys[i]!)}`) : [];
  const conditionText = [...keys, ...method.residual.map(formatExpr)].join(' AND ');
  const name = method.kind === 'hash' ? 'Hash Join' : 'Nested Loop Join';
  return [
    actuals(`${name} ${node.type === 'CROSS' && conditionText ? 'INNER' : node.type}${conditionText ? ` ON ${conditionText}` : ''}`),
    ...afterText,
    ...indent(explainFrom(node.left, meters)),
    ...indent(explainFrom(node.right, meters)),
  ];
}

function indent(lines: string[]): string[] {
  return lines.map((l) => `  ${l}`);
}
