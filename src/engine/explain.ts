// EXPLAIN [ANALYZE] as a statement: the plan as rows of one column, Plan. ANALYZE runs the
// statement first and adds the actual rows, time and (when tables report them) requests.

import type { QueryPlan, StatementPlan } from './plan-types.js';
import type { JsonPlanNode } from './plan/explain-json.js';
import type { ExecContext, Row } from './table.js';
import { analyzing, countRequest, describeRequests } from './instrument.js';
import { batchesOfRows } from './operators/batches.js';

export function planExplain(inner: StatementPlan, analyze: boolean): QueryPlan {
  return {
    kind: 'query',
    columns: [{ name: 'Plan', type: 'String' }],
    rows: (ctx) => explainRows(inner, analyze, ctx),
    batches: (ctx) => batchesOfRows(explainRows(inner, analyze, ctx)),
    explain: () => inner.explain(),
    explainJson: () => planAsJson(inner),
  };
}

/** The statement's plan as data: the plan tree where it has one, else its lines as a node. */
export function planAsJson(plan: StatementPlan): JsonPlanNode {
  if (plan.kind === 'query' && plan.explainJson) return plan.explainJson();
  return { node: plan.kind === 'write' ? 'Write' : 'Query', lines: plan.explain() };
}

async function* explainRows(inner: StatementPlan, analyze: boolean, ctx: ExecContext): AsyncGenerator<Row> {
  if (!analyze) {
    for (const line of inner.explain()) yield [line];
    return;
  }
  const requests = { requests: 0, retries: 0, throttled: 0, waitedMs: 0 };
  const counting: ExecContext = {
    ...ctx,
    onRequest: (cost, table) => {
      countRequest(requests, cost);
      ctx.onRequest?.(cost, table);
    },
  };
  analyzing.add(counting);
  const start = performance.now();
  let rows = 0;
  if (inner.kind === 'query') {
    for await (const batch of inner.batches(counting)) rows += batch.length;
  } else {
    rows = (await inner.execute(counting)).rowsAffected;
  }
  const millis = performance.now() - start;
  // The plan's own lines carry per-scan actuals once it has run (see scan.ts instruments).
  for (const line of inner.explain()) yield [line];
  yield [`Actual: ${rows} row${rows === 1 ? '' : 's'}, ${millis.toFixed(1)} ms, ${describeRequests(requests)}`];
}
