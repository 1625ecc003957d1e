// ORs and conditions on JSON members reach a table as OR predicates (alternatives of terms), so
// a source with a looser search can narrow what it fetches; the engine still evaluates them
// exactly as written wherever the table leaves them residual.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryTable, type MemoryTableOptions } from '../src/engine/index.js';
import type { Column, Predicate } from '../src/engine/table.js';
import { catalogOf, collect, planQuery, sessions } from './engine-fixtures.js';

const columns: Column[] = [
  { name: 'Id', type: 'String', key: true },
  { name: 'Email', type: 'String' },
  { name: 'Amount', type: 'Integer' },
  { name: 'Metadata', type: 'String', json: true },
];

function customers(options?: MemoryTableOptions): MemoryTable {
  return new MemoryTable('Customers', columns, [
    ['cus_1', 'a@acme.com', 100, '{"tier":"gold","n":"1"}'],
    ['cus_2', 'b@other.com', 2500, '{"tier":"silver"}'],
    ['cus_3', null, null, '{}'],
    ['cus_4', 'c@acme.com', 900, '{"tier":"Gold"}'],
  ], options);
}

function offered(where: string): Omit<Predicate, 'id'>[] {
  const table = customers();
  planQuery(`SELECT Id FROM Customers WHERE ${where}`, catalogOf(table));
  return table.requests[0]!.predicates.map(({ id: _id, ...rest }) => rest);
}

async function ids(where: string, options?: MemoryTableOptions): Promise<string[]> {
  const rows = await collect(planQuery(`SELECT Id FROM Customers WHERE ${where} ORDER BY Id`, catalogOf(customers(options))).rows({}));
  return rows.map((r) => String(r[0]));
}

test('an OR over several columns is offered as alternatives of terms, values coerced to each column', () => {
  assert.deepEqual(offered("Email LIKE '%@acme.com' OR (Amount >= '1000' AND Id IN ('cus_2', 'cus_3')) OR Email IS NULL"), [{
    column: '',
    op: 'OR',
    alternatives: [
      [{ column: 'Email', op: 'LIKE', value: '%@acme.com' }],
      [{ column: 'Amount', op: '>=', value: 1000 }, { column: 'Id', op: 'IN', values: ['cus_2', 'cus_3'] }],
      [{ column: 'Email', op: 'IS NULL' }],
    ],
    text: "(Email LIKE '%@acme.com') OR (((Amount >= 1000) AND (Id IN ('cus_2', 'cus_3'))) OR (Email IS NULL))",
  }]);
  const sessionTable = sessions();
  planQuery("SELECT Id FROM Sessions WHERE Created > '2024-01-20' OR Status BETWEEN 'a' AND 'c'", catalogOf(sessionTable));
  assert.deepEqual(sessionTable.requests[0]!.predicates[0]!.alternatives, [
    [{ column: 'Created', op: '>', value: new Date('2024-01-20T00:00:00Z') }],
    [{ column: 'Status', op: '>=', value: 'a' }, { column: 'Status', op: '<=', value: 'c' }],
  ]);
});

test("a condition on a JSON member (->> or JSON_EXTRACT with names) is an OR of one term with a path", () => {
  const member = (where: string) => offered(where).map((p) => p.alternatives);
  assert.deepEqual(member("Metadata->>'tier' = 'gold'"), [[[{ column: 'Metadata', path: ['tier'], op: '=', value: 'gold' }]]]);
  assert.deepEqual(member("JSON_EXTRACT(Metadata, '$.tier') IN ('gold', 'silver')"), [[[{ column: 'Metadata', path: ['tier'], op: 'IN', values: ['gold', 'silver'] }]]]);
  assert.deepEqual(member(`JSON_EXTRACT(Metadata, '$."a b".c') LIKE 'x%'`), [[[{ column: 'Metadata', path: ['a b', 'c'], op: 'LIKE', value: 'x%' }]]]);
  assert.deepEqual(member("'gold' = Metadata->>'tier' OR Metadata->>'n' IS NOT NULL"), [[
    [{ column: 'Metadata', path: ['tier'], op: '=', value: 'gold' }],
    [{ column: 'Metadata', path: ['n'], op: 'IS NOT NULL' }],
  ]]);
});

test('what a term cannot express keeps the whole conjunct with the engine', () => {
  for (const where of [
    "Email = 'a' OR UPPER(Id) = 'X'",
    "Email = 'a' OR Email NOT LIKE 'b%'",
    "Email = 'a' OR Amount = NULL",
    "Email = 'a' OR (Id = 'x' AND (Amount = 1 OR Amount = 2))",
    "JSON_EXTRACT(Metadata, '$.list[0]') = 'x'",
    "Metadata->'tier' = '\"gold\"'",
  ]) {
    assert.deepEqual(offered(where), [], where);
  }
});

test('the engine evaluates OR predicates exactly as written, left residual or pushed', async () => {
  const cases: [string, string[]][] = [
    ["Email LIKE '%@acme.com' OR Metadata->>'tier' = 'silver'", ['cus_1', 'cus_2', 'cus_4']],
    ["Metadata->>'tier' = 'gold'", ['cus_1']],
    ["JSON_EXTRACT(Metadata, '$.tier') IN ('Gold', 'silver')", ['cus_2', 'cus_4']],
    ["Amount > 1000 OR Email IS NULL", ['cus_2', 'cus_3']],
    ["(Amount BETWEEN 100 AND 900 AND Email LIKE 'c%') OR Id = 'cus_3'", ['cus_3', 'cus_4']],
  ];
  for (const [where, expected] of cases) {
    assert.deepEqual(await ids(where), expected, where);
    assert.deepEqual(await ids(where, { pushdown: { '*': ['OR'] } }), expected, `${where} (pushed)`);
  }
});

test('an OR predicate takes no part in finding contradictions', async () => {
  assert.deepEqual(await ids("Email IS NULL AND (Email = 'a@acme.com' OR Amount IS NULL)"), ['cus_3']);
  const p = planQuery("SELECT Id FROM Customers WHERE Amount = 5 AND (Amount = 6 OR Id = 'cus_1')", catalogOf(customers()));
  assert.deepEqual(await collect(p.rows({})), []);
  assert.ok(!p.explain().some((line) => line.startsWith('Empty')), p.explain().join('\n'));
});
