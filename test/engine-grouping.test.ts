import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SqlError } from '../src/sql/errors.js';
import { catalogOf, planQuery, query, querySessions, sessions } from './engine-fixtures.js';
import { numericText } from './support/numeric-text.js';

// Sessions: cs_1 open 5000 | cs_2 complete 12000 | cs_3 expired NULL | cs_4 open 700 | cs_5 complete 12000

function sqlError(fn: () => unknown, reason: RegExp, column: number): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof SqlError, String(e));
    assert.match(e.reason, reason);
    assert.equal(e.column, column);
    return true;
  });
}

test('GROUP BY a column: one row per group in order of first appearance; aggregates skip NULLs', async () => {
  const rows = await querySessions(
    'SELECT Status, COUNT(*), COUNT(AmountTotal), SUM(AmountTotal), AVG(AmountTotal), MIN(Email), MAX(Score) FROM Sessions GROUP BY Status',
  );
  // AVG of integers is a numeric, at PostgreSQL's division scale.
  assert.deepEqual(numericText(rows), [
    ['open', 2, 2, 5700, '2850.0000000000000000', 'D@x.com', 1.5],
    ['complete', 2, 2, 24000, '12000.0000000000000000', 'e@x.com', 3],
    ['expired', 1, 0, null, null, 'c@x.com', null],
  ]);
});

test('COUNT/SUM/AVG with DISTINCT count each non-NULL value once per group', async () => {
  const rows = await querySessions(
    'SELECT Livemode, COUNT(DISTINCT AmountTotal), SUM(DISTINCT AmountTotal), AVG(DISTINCT AmountTotal), COUNT(DISTINCT Status) FROM Sessions GROUP BY Livemode ORDER BY Livemode',
  );
  assert.deepEqual(numericText(rows), [
    [false, 2, 5700, '2850.0000000000000000', 2],
    [true, 1, 12000, '12000.0000000000000000', 1],
  ]);
});

test('GROUP BY a select alias, an ordinal, and an expression that the select list repeats', async () => {
  assert.deepEqual(await querySessions('SELECT Status AS s, COUNT(*) AS n FROM Sessions GROUP BY s ORDER BY s'), [
    ['complete', 2],
    ['expired', 1],
    ['open', 2],
  ]);
  assert.deepEqual(await querySessions('SELECT Livemode, COUNT(*) FROM Sessions GROUP BY 1 ORDER BY 1'), [
    [false, 3],
    [true, 2],
  ]);
  assert.deepEqual(await querySessions('SELECT AmountTotal / 1000 AS k, COUNT(*) FROM Sessions GROUP BY AmountTotal / 1000 ORDER BY k NULLS LAST'), [
    [0, 1],
    [5, 1],
    [12, 2],
    [null, 1],
  ]);
});

test('GROUP BY several keys; NULL keys form one group', async () => {
  const rows = await querySessions('SELECT Livemode, AmountTotal, COUNT(*) FROM Sessions GROUP BY Livemode, AmountTotal ORDER BY 3 DESC, 2 NULLS LAST');
  assert.deepEqual(rows, [
    [true, 12000, 2],
    [false, 700, 1],
    [false, 5000, 1],
    [false, null, 1],
  ]);
});

test('HAVING filters groups, with aggregates that the select list does not show', async () => {
  assert.deepEqual(await querySessions('SELECT Status FROM Sessions GROUP BY Status HAVING COUNT(*) > 1 AND MAX(AmountTotal) > 6000'), [['complete']]);
  assert.deepEqual(await querySessions('SELECT COUNT(*) FROM Sessions HAVING COUNT(*) > 10'), []);
});

test('ORDER BY an aggregate after GROUP BY sorts the groups (stable for ties)', async () => {
  const table = sessions();
  const p = planQuery('SELECT Status, COUNT(*) AS n FROM Sessions GROUP BY Status ORDER BY COUNT(*) DESC', catalogOf(table));
  assert.deepEqual(p.explain(), ['Sort n DESC', 'Aggregate COUNT(*) GROUP BY Status', 'Scan Sessions', '  MemoryTable Sessions']);
  const rows: unknown[] = [];
  for await (const row of p.rows({})) rows.push(row);
  assert.deepEqual(rows, [['open', 2], ['complete', 2], ['expired', 1]]);
});

test('WHERE is offered to the table before grouping; only the needed columns are requested', async () => {
  const table = sessions({ pushdown: { Status: ['='] } });
  const rows = await query("SELECT Livemode, SUM(AmountTotal) FROM Sessions WHERE Status = 'complete' GROUP BY Livemode", catalogOf(table));
  assert.deepEqual(rows, [[true, 24000]]);
  assert.equal(table.requests.length, 1);
  assert.deepEqual(table.requests[0]!.predicates.map((p) => p.text), ["Status = 'complete'"]);
  assert.deepEqual(table.requests[0]!.columns, ['Status', 'AmountTotal', 'Livemode']);
  assert.equal(table.requests[0]!.limit, undefined);
});

test('GROUP BY over no rows gives no rows; an aggregate without GROUP BY gives one', async () => {
  assert.deepEqual(await querySessions("SELECT Status, COUNT(*) FROM Sessions WHERE Status = 'none' GROUP BY Status"), []);
  assert.deepEqual(await querySessions("SELECT COUNT(*), SUM(AmountTotal) FROM Sessions WHERE Status = 'none'"), [[0, null]]);
});

test('aggregate misuse is a SqlError at the offending position', () => {
  const catalog = catalogOf(sessions());
  sqlError(() => planQuery('SELECT Status, Id FROM Sessions GROUP BY Status', catalog), /Column Id must appear in GROUP BY or be inside an aggregate/, 16);
  sqlError(() => planQuery('SELECT Id, COUNT(*) FROM Sessions', catalog), /Column Id must be inside an aggregate function \(there is no GROUP BY\)/, 8);
  sqlError(() => planQuery('SELECT Id FROM Sessions WHERE COUNT(*) > 1', catalog), /Aggregate COUNT is not allowed in WHERE/, 31);
  sqlError(() => planQuery('SELECT SUM(COUNT(*)) FROM Sessions', catalog), /Aggregate COUNT cannot be nested in another aggregate/, 12);
  sqlError(() => planQuery('SELECT COUNT(*) FROM Sessions GROUP BY COUNT(*)', catalog), /Aggregate COUNT is not allowed in GROUP BY/, 40);
  sqlError(() => planQuery('SELECT Status FROM Sessions GROUP BY 3', catalog), /GROUP BY position 3 is out of range/, 38);
  sqlError(() => planQuery('SELECT Status FROM Sessions GROUP BY Status HAVING Id = 1', catalog), /Column Id must appear in GROUP BY/, 52);
  sqlError(() => planQuery('SELECT SUM(Status, Id) FROM Sessions', catalog), /SUM takes 1 argument, got 2/, 8);
});
