// The logical plan as data: the rules' effects seen in the tree, and EXPLAIN's text and JSON
// printed from the same tree.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryTable } from '../src/engine/index.js';
import type { JsonPlanNode } from '../src/engine/index.js';
import { catalogOf, planQuery, query, sessions } from './engine-fixtures.js';

const customers = (): MemoryTable =>
  new MemoryTable(
    'Customers',
    [
      { name: 'Id', type: 'String' },
      { name: 'Email', type: 'String' },
      { name: 'Country', type: 'String' },
    ],
    [
      ['cus_1', 'a@x.com', 'FR'],
      ['cus_2', 'c@x.com', 'DE'],
      ['cus_3', 'e@x.com', 'FR'],
    ],
    { pushdown: { Country: ['='] } },
  );

function find(node: JsonPlanNode, kind: string): JsonPlanNode[] {
  const found = node.node === kind ? [node] : [];
  for (const input of node.inputs ?? []) found.push(...find(input, kind));
  return found;
}

test('the JSON plan is the tree EXPLAIN prints: a comma join gets its WHERE as pushed filters and a hash join', async () => {
  const sql = "SELECT s.Id, c.Country FROM Sessions s, Customers c WHERE s.Email = c.Email AND c.Country = 'FR' AND s.AmountTotal > 1000 ORDER BY s.Id";
  const catalog = catalogOf(sessions({ pushdown: { AmountTotal: ['>'] } }), customers());
  const plan = planQuery(sql, catalog);
  const json = plan.explainJson!();
  assert.equal(json.node, 'Sort');
  assert.deepEqual(json.keys, ['Id ASC']);
  const [join] = find(json, 'Join');
  assert.equal(join!.method, 'hash');
  assert.deepEqual(join!.keys, ['s.Email = c.Email']);
  const scans = find(json, 'Scan');
  assert.deepEqual(
    scans.map((s) => [s.table, s.pushed, s.residual, s.columns]),
    [
      ['Sessions', ['AmountTotal > 1000'], [], ['Id', 'AmountTotal', 'Email']],
      ['Customers', ["Country = 'FR'"], [], ['Email', 'Country']],
    ],
  );
  // The text is printed from the same tree.
  assert.deepEqual(plan.explain(), [
    'Sort Id ASC',
    'Hash Join INNER ON s.Email = c.Email',
    '  Scan Sessions',
    '    MemoryTable Sessions',
    '    pushed: AmountTotal > 1000',
    '  Scan Customers',
    '    MemoryTable Customers',
    "    pushed: Country = 'FR'",
  ]);
  assert.deepEqual(await query(sql, catalog), [
    ['cs_1', 'FR'],
    ['cs_5', 'FR'],
  ]);
});

test('a WHERE conjunct on the null-supplying side of a LEFT JOIN stays above the join', () => {
  const sql = "SELECT s.Id FROM Sessions s LEFT JOIN Customers c ON c.Email = s.Email WHERE c.Country IS NULL AND s.Status = 'open'";
  const json = planQuery(sql, catalogOf(sessions({ pushdown: { Status: ['='] } }), customers())).explainJson!();
  const [join] = find(json, 'Join');
  assert.deepEqual(join!.filter, ['c.Country IS NULL']);
  assert.deepEqual(find(json, 'Scan')[0]!.pushed, ["Status = 'open'"]);
});

test('EXPLAIN ANALYZE actuals appear in the JSON plan once it has run', async () => {
  const plan = planQuery("EXPLAIN ANALYZE SELECT Status, COUNT(*) FROM Sessions WHERE Status <> 'expired' GROUP BY Status", catalogOf(sessions()));
  for await (const _ of plan.rows({})) {
    // run it
  }
  const json = plan.explainJson!();
  const [aggregate] = find(json, 'Aggregate');
  assert.deepEqual(aggregate!.actual && { rows: (aggregate!.actual as { rows: number }).rows }, { rows: 2 });
  const [scan] = find(json, 'Scan');
  assert.equal((scan!.actual as { rows: number }).rows, 5);
});

test('a lone table is offered ORDER BY and LIMIT; the Sort node goes when the table keeps the order', () => {
  const keepsOrder = planQuery('SELECT Id FROM Sessions ORDER BY Id LIMIT 2', catalogOf(sessions({ sortable: true, limitable: true }))).explainJson!();
  assert.equal(keepsOrder.node, 'Limit');
  assert.deepEqual(find(keepsOrder, 'Sort'), []);
  const [scan] = find(keepsOrder, 'Scan');
  assert.deepEqual([scan!.orderBy, scan!.orderSatisfied, scan!.limitOffered, scan!.limitApplied], [['Id ASC'], true, 2, true]);
  // A table that cannot sort keeps the Sort, and is not offered the limit.
  const unsorted = planQuery('SELECT Id FROM Sessions ORDER BY Id LIMIT 2', catalogOf(sessions())).explainJson!();
  assert.equal(find(unsorted, 'Sort').length, 1);
  assert.equal(find(unsorted, 'Scan')[0]!.limitApplied, undefined);
});
