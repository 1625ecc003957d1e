import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryTable } from '../src/engine/index.js';
import type { Predicate } from '../src/engine/table.js';
import { SqlError } from '../src/sql/errors.js';
import { catalogOf, collect, planQuery, sessions } from './engine-fixtures.js';

/** Offers every predicate to a table that accepts none, and returns what it was offered. */
function offered(where: string, params?: unknown[]): Omit<Predicate, 'id'>[] {
  const table = sessions();
  planQuery(`SELECT Id FROM Sessions WHERE ${where}`, catalogOf(table), params);
  assert.equal(table.requests.length, 1);
  return table.requests[0]!.predicates.map(({ id: _id, ...rest }) => rest);
}

test('comparisons with a constant are offered, flipped when the constant comes first', () => {
  assert.deepEqual(offered("Status = 'open' AND 5000 < AmountTotal AND Score <> 1.5"), [
    { column: 'Status', op: '=', value: 'open', text: "Status = 'open'" },
    { column: 'AmountTotal', op: '>', value: 5000, text: 'AmountTotal > 5000' },
    { column: 'Score', op: '<>', value: 1.5, text: 'Score <> 1.5' },
  ]);
});

test('values are coerced to the column type; constant expressions and parameters fold', () => {
  assert.deepEqual(offered("Created >= '2024-01-19' AND AmountTotal <= 10 * 100 AND Livemode = 'true'"), [
    { column: 'Created', op: '>=', value: new Date('2024-01-19T00:00:00Z'), text: "Created >= '2024-01-19T00:00:00.000Z'" },
    { column: 'AmountTotal', op: '<=', value: 1000, text: 'AmountTotal <= 1000' },
    { column: 'Livemode', op: '=', value: true, text: 'Livemode = TRUE' },
  ]);
  assert.deepEqual(offered('Status = ? AND AmountTotal > ? + 1', ['open', 99]), [
    { column: 'Status', op: '=', value: 'open', text: "Status = 'open'" },
    { column: 'AmountTotal', op: '>', value: 100, text: 'AmountTotal > 100' },
  ]);
});

test('IN (NULLs dropped, duplicates merged), BETWEEN as two ranges, IS [NOT] NULL, LIKE', () => {
  assert.deepEqual(offered("Id IN ('cs_1', NULL, 'cs_2', 'cs_1') AND AmountTotal BETWEEN 100 AND 200"), [
    { column: 'Id', op: 'IN', values: ['cs_1', 'cs_2'], text: "Id IN ('cs_1', 'cs_2')" },
    { column: 'AmountTotal', op: '>=', value: 100, text: 'AmountTotal >= 100' },
    { column: 'AmountTotal', op: '<=', value: 200, text: 'AmountTotal <= 200' },
  ]);
  assert.deepEqual(offered("Score IS NULL AND Email IS NOT NULL AND Email LIKE 'a%'"), [
    { column: 'Score', op: 'IS NULL', text: 'Score IS NULL' },
    { column: 'Email', op: 'IS NOT NULL', text: 'Email IS NOT NULL' },
    { column: 'Email', op: 'LIKE', value: 'a%', text: "Email LIKE 'a%'" },
  ]);
});

test('an OR of equalities on one column is offered as IN', async () => {
  assert.deepEqual(offered("Status = 'open' OR 'expired' = status OR Status IN ('open', 'x')"), [
    { column: 'Status', op: 'IN', values: ['open', 'expired', 'x'], text: "Status IN ('open', 'expired', 'x')" },
  ]);
  // Over two columns it is an OR predicate (engine-or-predicates.test.ts).
  assert.deepEqual(offered("Status = 'open' OR Id = 'cs_2'").map((p) => p.op), ['OR']);
  assert.deepEqual(
    await collect(planQuery("SELECT Id FROM Sessions WHERE Status = 'open' OR Status = 'expired'", catalogOf(sessions())).rows({})),
    [['cs_1'], ['cs_3'], ['cs_4']],
  );
});

test('NOT IN, NOT LIKE, an OR over expressions, LIKE with ESCAPE and expressions over columns are not offered', () => {
  assert.deepEqual(
    offered("Id NOT IN ('a') AND Email NOT LIKE 'a%' AND (Status = 'a' OR UPPER(Email) = 'B') AND AmountTotal + 1 > 5 AND Email LIKE 'a!%' ESCAPE '!' AND Status = Email AND AmountTotal NOT BETWEEN 1 AND 2"),
    [],
  );
});

test('a literal that cannot be coerced to the column type is a SqlError at the literal', () => {
  const cases: [string, string, number][] = [
    ["Created > 'yesterday'", "'yesterday' is not a valid Datetime (column Created)", 41],
    ["AmountTotal = 'lots'", 'Invalid input syntax for type integer: "lots"', 45],
    ["Livemode IN (TRUE, 'maybe')", "'maybe' is not a valid Boolean (column Livemode)", 50],
  ];
  for (const [where, reason, column] of cases) {
    assert.throws(
      () => planQuery(`SELECT Id FROM Sessions WHERE ${where}`, catalogOf(sessions())),
      (error: unknown) => error instanceof SqlError && error.reason === reason && error.column === column,
      where,
    );
  }
});

test('the engine evaluates what the table leaves residual, plus what was never offered', async () => {
  const table = sessions({ pushdown: { Status: ['='] } });
  const p = planQuery("SELECT Id FROM Sessions WHERE Status = 'open' AND AmountTotal > 1000 AND UPPER(Email) LIKE 'A%'", catalogOf(table));
  assert.deepEqual(await collect(p.rows({})), [['cs_1']]);
  assert.deepEqual(p.explain(), [
    "Filter AmountTotal > 1000 AND UPPER(Email) LIKE 'A%'",
    'Scan Sessions',
    '  MemoryTable Sessions',
    "  pushed: Status = 'open'",
  ]);
  assert.deepEqual(table.requests[0]!.columns, ['Id', 'Status', 'AmountTotal', 'Email']);
});

test('contradictions return no rows without scanning, and EXPLAIN says so', async () => {
  const contradictions = [
    "Status = 'open' AND Status = 'expired'",
    'AmountTotal > 5 AND AmountTotal < 3',
    'AmountTotal >= 5 AND AmountTotal < 5',
    'AmountTotal BETWEEN 10 AND 5',
    'AmountTotal = NULL',
    "Id IN ('a', 'b') AND Id = 'c'",
    "Id IN ('a', 'b') AND Id <> 'a' AND Id <> 'b'",
    'Email IS NULL AND Email = \'x\'',
    'Email IS NULL AND Email IS NOT NULL',
    "Created > '2024-02-01' AND Created < '2024-01-01'",
    '1 = 0',
  ];
  for (const where of contradictions) {
    const table = sessions();
    const p = planQuery(`SELECT Id FROM Sessions WHERE ${where}`, catalogOf(table));
    assert.deepEqual(await collect(p.rows({})), [], where);
    assert.equal(table.scans.length, 0, where);
    assert.match(p.explain().join('\n'), /^Empty: no row can match \(.+\); Sessions is not scanned$/, where);
  }
  const p = planQuery("SELECT Id FROM Sessions WHERE Status = 'open' AND Status = 'expired'", catalogOf(sessions()));
  assert.deepEqual(p.explain(), ["Empty: no row can match (Status = 'open' AND Status = 'expired'); Sessions is not scanned"]);
});

test('satisfiable conjunctions of one column still scan', async () => {
  for (const where of ['AmountTotal >= 5000 AND AmountTotal <= 5000', "Id IN ('cs_1', 'cs_9') AND Id = 'cs_1'", 'AmountTotal > 100 AND AmountTotal <> 5000 AND AmountTotal < 1000']) {
    const table = sessions();
    const rows = await collect(planQuery(`SELECT Id FROM Sessions WHERE ${where}`, catalogOf(table)).rows({}));
    assert.equal(table.scans.length, 1, where);
    assert.equal(rows.length, 1, where);
  }
});

test('ORDER BY is offered only when every key is a plain column; a satisfied order skips the sort', async () => {
  const sortable = sessions({ sortable: true });
  const p = planQuery('SELECT Id, AmountTotal AS amt FROM Sessions ORDER BY amt DESC, 1', catalogOf(sortable));
  assert.deepEqual(sortable.requests[0]!.orderBy, [
    { column: 'AmountTotal', direction: 'DESC' },
    { column: 'Id', direction: 'ASC' },
  ]);
  assert.equal(p.explain().some((l) => l.startsWith('Sort')), false);
  // The table orders NULLs as the engine would by default: first when descending.
  assert.deepEqual((await collect(p.rows({}))).map((r) => r[0]), ['cs_3', 'cs_2', 'cs_5', 'cs_1', 'cs_4']);

  const unsorted = sessions();
  const q = planQuery('SELECT Id FROM Sessions ORDER BY AmountTotal DESC', catalogOf(unsorted));
  assert.equal(q.explain()[0], 'Sort AmountTotal DESC');

  const expression = sessions({ sortable: true });
  planQuery('SELECT Id FROM Sessions ORDER BY AmountTotal * 2', catalogOf(expression));
  assert.deepEqual(expression.requests[0]!.orderBy, []);
  // NULLS FIRST on an ascending key is not the default, so it is not offered either.
  const nulls = sessions({ sortable: true });
  planQuery('SELECT Id FROM Sessions ORDER BY Email NULLS FIRST', catalogOf(nulls));
  assert.deepEqual(nulls.requests[0]!.orderBy, []);
});

test('LIMIT is pushed only when nothing but offered predicates and a satisfied order sits above the scan', () => {
  const limitOf = (sql: string, options: ConstructorParameters<typeof MemoryTable>[3]) => {
    const table = sessions({ limitable: true, ...options });
    const p = planQuery(sql, catalogOf(table));
    return { limits: table.requests.map((r) => r.limit), explain: p.explain() };
  };
  const pushed = limitOf("SELECT Id FROM Sessions WHERE Status = 'open' LIMIT 2 OFFSET 3", { pushdown: { Status: ['='] } });
  assert.deepEqual(pushed.limits, [undefined, 5]);
  assert.deepEqual(pushed.explain, ['Limit 2 Offset 3', 'Scan Sessions', '  MemoryTable Sessions', "  pushed: Status = 'open'", '  limit: 5']);
  assert.deepEqual(limitOf("SELECT Id FROM Sessions WHERE Status = 'open' LIMIT 2", {}).limits, [undefined]);
  assert.deepEqual(limitOf('SELECT Id FROM Sessions WHERE UPPER(Id) = Id LIMIT 2', { pushdown: { '*': ['='] } }).limits, [undefined]);
  assert.deepEqual(limitOf('SELECT Id FROM Sessions ORDER BY Id LIMIT 2', {}).limits, [undefined]);
  assert.deepEqual(limitOf('SELECT Id FROM Sessions ORDER BY Id LIMIT 2', { sortable: true }).limits, [undefined, 2]);
  assert.deepEqual(limitOf('SELECT DISTINCT Status FROM Sessions LIMIT 2', {}).limits, [undefined]);
  assert.deepEqual(limitOf('SELECT COUNT(*) FROM Sessions LIMIT 2', {}).limits, [undefined]);
  assert.deepEqual(limitOf('SELECT Id FROM Sessions LIMIT 2', {}).limits, [undefined, 2]);
});

test('Limit stops pulling as soon as it has its rows and closes the scan', async () => {
  const rows = Array.from({ length: 1000 }, (_, i) => [i]);
  const table = new MemoryTable('Big', [{ name: 'N', type: 'Integer' }], rows);
  const p = planQuery('SELECT N FROM Big WHERE N % 2 = 0 LIMIT 3', catalogOf(table));
  assert.deepEqual(await collect(p.rows({})), [[0], [2], [4]]);
  assert.equal(table.rowsPulled, 5);
  assert.equal(table.scansClosedEarly, 1);
});

test('the plan uses the table’s empty verdict without scanning', async () => {
  const table = sessions();
  const original = table.plan.bind(table);
  table.plan = (request) => ({ ...original(request), empty: true });
  const p = planQuery("SELECT Id FROM Sessions WHERE Status = 'x'", catalogOf(table));
  assert.deepEqual(await collect(p.rows({})), []);
  assert.equal(table.scans.length, 0);
});
