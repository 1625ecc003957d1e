import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryTable } from '../src/engine/index.js';
import type { Column, SqlValue } from '../src/engine/table.js';
import { SqlError } from '../src/sql/errors.js';
import { catalogOf, collect, planQuery, query, sessions } from './engine-fixtures.js';

const customerColumns: Column[] = [
  { name: 'Id', type: 'String' },
  { name: 'Name', type: 'String' },
  { name: 'SessionId', type: 'String' },
];
const customerRows: SqlValue[][] = [
  ['c1', 'Ann', 'cs_1'],
  ['c2', 'Bob', 'cs_2'],
  ['c3', 'Cy', 'cs_9'],
  ['c4', 'Di', 'cs_1'],
];
const customers = (rows = customerRows): MemoryTable => new MemoryTable('Customers', customerColumns, rows);
const catalog = () => catalogOf(sessions(), customers());

test('scalar subquery in WHERE and in the select list', async () => {
  assert.deepEqual(await query('SELECT Id FROM Sessions WHERE AmountTotal = (SELECT MAX(AmountTotal) FROM Sessions)', catalog()), [['cs_2'], ['cs_5']]);
  assert.deepEqual(await query("SELECT Id, (SELECT Name FROM Customers WHERE Id = 'c2') AS n FROM Sessions WHERE Id = 'cs_1'", catalog()), [['cs_1', 'Bob']]);
  assert.deepEqual(await query("SELECT (SELECT Name FROM Customers WHERE Id = 'none')", catalog()), [[null]]);
});

test('an uncorrelated subquery runs once per run of the query', async () => {
  const c = customers();
  await query('SELECT Id FROM Sessions WHERE Id IN (SELECT SessionId FROM Customers)', catalogOf(sessions(), c));
  assert.equal(c.scans.length, 1);
});

test('a scalar subquery returning two rows is a SqlError at run time; two columns at plan time', async () => {
  await assert.rejects(
    query('SELECT (SELECT Id FROM Sessions)', catalog()),
    (e: unknown) => e instanceof SqlError && e.reason === 'A subquery used as a value returned more than one row' && e.column === 8,
  );
  assert.throws(
    () => planQuery('SELECT (SELECT Id, Status FROM Sessions)', catalog()),
    (e: unknown) => e instanceof SqlError && /must return one column; this one returns 2/.test(e.reason),
  );
});

test('IN / NOT IN (SELECT …) with three-valued logic when the subquery yields NULL', async () => {
  assert.deepEqual(await query('SELECT Id FROM Sessions WHERE Id IN (SELECT SessionId FROM Customers)', catalog()), [['cs_1'], ['cs_2']]);
  assert.deepEqual(await query('SELECT Id FROM Sessions WHERE Id NOT IN (SELECT SessionId FROM Customers)', catalog()), [['cs_3'], ['cs_4'], ['cs_5']]);
  const withNull = catalogOf(sessions(), customers([...customerRows, ['c5', 'Ed', null]]));
  // x NOT IN (…, NULL) is never TRUE.
  assert.deepEqual(await query('SELECT Id FROM Sessions WHERE Id NOT IN (SELECT SessionId FROM Customers)', withNull), []);
  assert.deepEqual(await query('SELECT Id FROM Sessions WHERE Id IN (SELECT SessionId FROM Customers)', withNull), [['cs_1'], ['cs_2']]);
  // Over an empty subquery NOT IN is TRUE even for NULL.
  assert.deepEqual(await query("SELECT COUNT(*) FROM Sessions WHERE Email NOT IN (SELECT Name FROM Customers WHERE Id = 'none')", catalog()), [[5]]);
});

test('correlated EXISTS / NOT EXISTS and correlated scalar subqueries', async () => {
  assert.deepEqual(await query('SELECT Id FROM Sessions s WHERE EXISTS (SELECT 1 FROM Customers c WHERE c.SessionId = s.Id)', catalog()), [['cs_1'], ['cs_2']]);
  assert.deepEqual(await query('SELECT Id FROM Sessions s WHERE NOT EXISTS (SELECT 1 FROM Customers c WHERE c.SessionId = s.Id)', catalog()), [['cs_3'], ['cs_4'], ['cs_5']]);
  assert.deepEqual(await query('SELECT Id, (SELECT COUNT(*) FROM Customers c WHERE c.SessionId = s.Id) AS n FROM Sessions s', catalog()), [
    ['cs_1', 2],
    ['cs_2', 1],
    ['cs_3', 0],
    ['cs_4', 0],
    ['cs_5', 0],
  ]);
});

test('a correlated subquery reads an outer column two levels up', async () => {
  const rows = await query(
    "SELECT Id FROM Sessions s WHERE NOT EXISTS (SELECT 1 FROM Customers c WHERE c.SessionId = s.Id AND EXISTS (SELECT 1 FROM Sessions x WHERE x.Id = c.SessionId AND s.Status = 'open'))",
    catalog(),
  );
  assert.deepEqual(rows, [['cs_2'], ['cs_3'], ['cs_4'], ['cs_5']]);
});

test('derived tables need an alias and can be filtered, joined and grouped', async () => {
  assert.deepEqual(await query('SELECT * FROM (SELECT Status, COUNT(*) AS n FROM Sessions GROUP BY Status) t WHERE n > 1 ORDER BY Status', catalog()), [
    ['complete', 2],
    ['open', 2],
  ]);
  assert.deepEqual(
    await query('SELECT t.Name, s.Status FROM (SELECT Name, SessionId FROM Customers) AS t JOIN Sessions s ON s.Id = t.SessionId ORDER BY 1', catalog()),
    [
      ['Ann', 'open'],
      ['Bob', 'complete'],
      ['Di', 'open'],
    ],
  );
  assert.throws(() => planQuery('SELECT * FROM (SELECT 1)', catalog()), (e: unknown) => e instanceof SqlError && /an alias for the subquery in FROM/.test(e.reason));
});

test('WITH: common table expressions, several, referring to earlier ones, with column names', async () => {
  assert.deepEqual(await query('WITH big AS (SELECT Id FROM Sessions WHERE AmountTotal > 1000) SELECT COUNT(*) FROM big', catalog()), [[3]]);
  const rows = await query(
    'WITH open_ones (sid) AS (SELECT Id FROM Sessions WHERE Status = ?), named AS (SELECT c.Name, o.sid FROM open_ones o JOIN Customers c ON c.SessionId = o.sid) SELECT Name FROM named ORDER BY Name DESC',
    catalog(),
    ['open'],
  );
  assert.deepEqual(rows, [['Di'], ['Ann']]);
  // A CTE shadows a table of the same name.
  assert.deepEqual(await query("WITH Sessions AS (SELECT 'x' AS Id) SELECT Id FROM Sessions", catalog()), [['x']]);
});

test('UNION removes duplicates, UNION ALL keeps them; INTERSECT and EXCEPT', async () => {
  assert.deepEqual(await query('SELECT Status FROM Sessions UNION SELECT Status FROM Sessions', catalog()), [['open'], ['complete'], ['expired']]);
  assert.equal((await query('SELECT Status FROM Sessions UNION ALL SELECT Status FROM Sessions', catalog())).length, 10);
  assert.deepEqual(await query('SELECT Id FROM Sessions INTERSECT SELECT SessionId FROM Customers', catalog()), [['cs_1'], ['cs_2']]);
  assert.deepEqual(await query('SELECT Id FROM Sessions EXCEPT SELECT SessionId FROM Customers', catalog()), [['cs_3'], ['cs_4'], ['cs_5']]);
});

test('ORDER BY and LIMIT apply to the whole set operation; names come from the left side', async () => {
  const p = planQuery('SELECT Id AS k FROM Sessions UNION SELECT SessionId FROM Customers ORDER BY k DESC LIMIT 3', catalog());
  assert.deepEqual(p.columns, [{ name: 'k', type: 'String' }]);
  assert.deepEqual(await collect(p.rows({})), [['cs_9'], ['cs_5'], ['cs_4']]);
  assert.deepEqual(await query('(SELECT Id FROM Sessions ORDER BY Id DESC LIMIT 1) UNION ALL (SELECT Id FROM Sessions ORDER BY Id LIMIT 1)', catalog()), [['cs_5'], ['cs_1']]);
});

test('set operations unify column types and check the column count', () => {
  const p = planQuery('SELECT AmountTotal FROM Sessions UNION SELECT Score FROM Sessions', catalog());
  assert.deepEqual(p.columns, [{ name: 'AmountTotal', type: 'Double' }]);
  assert.throws(
    () => planQuery('SELECT Id FROM Sessions UNION SELECT Id, Name FROM Customers', catalog()),
    (e: unknown) => e instanceof SqlError && /Each side of UNION must return as many columns: the left returns 1, the right 2/.test(e.reason) && e.column === 25,
  );
});

test('a correlated subquery is planned per outer row, so the outer value is pushed down to its table', async () => {
  const c = new MemoryTable('Customers', customerColumns, customerRows, { pushdown: { SessionId: ['='] } });
  const rows = await query(
    "SELECT Id, (SELECT COUNT(*) FROM Customers c WHERE c.SessionId = s.Id) AS n FROM Sessions s WHERE Status = 'open'",
    catalogOf(sessions(), c),
  );
  assert.deepEqual(rows, [
    ['cs_1', 2],
    ['cs_4', 0],
  ]);
  assert.deepEqual(c.scans.map((scan) => scan.pushed.map((p) => p.text)), [["SessionId = 'cs_1'"], ["SessionId = 'cs_4'"]]);
});

test('a correlated subquery over a NULL outer value matches nothing and does not scan', async () => {
  const c = customers();
  const rows = await query('SELECT Id FROM Sessions s WHERE EXISTS (SELECT 1 FROM Customers c WHERE c.Name = s.Email)', catalogOf(sessions(), c));
  assert.deepEqual(rows, []);
  // cs_2 has no Email: its subquery is known to be empty without scanning.
  assert.equal(c.scans.length, 4);
});

test('a correlated subquery over an aggregated row is rejected rather than misread', () => {
  assert.throws(
    () => planQuery('SELECT Status, (SELECT COUNT(*) FROM Customers c WHERE c.SessionId = s.Status) FROM Sessions s GROUP BY Status', catalog()),
    (e: unknown) => e instanceof SqlError && /A correlated subquery cannot be used with GROUP BY/.test(e.reason) && e.column === 16,
  );
});

test('an uncorrelated subquery in HAVING and in an aggregated select list', async () => {
  assert.deepEqual(
    await query('SELECT Status, COUNT(*) - (SELECT COUNT(*) FROM Customers WHERE Id = \'c1\') FROM Sessions GROUP BY Status HAVING COUNT(*) > (SELECT 1) ORDER BY 1', catalog()),
    [
      ['complete', 1],
      ['open', 1],
    ],
  );
});

test('quantified comparisons: op ANY / SOME / ALL (SELECT …) with three-valued logic', async () => {
  // Sessions.AmountTotal: 5000, 12000, NULL, 700, 12000
  assert.deepEqual(await query('SELECT Id FROM Sessions WHERE AmountTotal >= ALL (SELECT AmountTotal FROM Sessions WHERE AmountTotal IS NOT NULL)', catalog()), [['cs_2'], ['cs_5']]);
  // A NULL among the values makes ALL unknown unless some comparison is false.
  assert.deepEqual(await query('SELECT Id FROM Sessions WHERE AmountTotal >= ALL (SELECT AmountTotal FROM Sessions)', catalog()), []);
  assert.deepEqual(await query('SELECT Id FROM Sessions WHERE AmountTotal < ANY (SELECT AmountTotal FROM Sessions)', catalog()), [['cs_1'], ['cs_4']]);
  assert.deepEqual(await query("SELECT Id FROM Sessions WHERE Id = SOME (SELECT SessionId FROM Customers)", catalog()), [['cs_1'], ['cs_2']]);
  // Over no rows ALL is TRUE and ANY is FALSE.
  assert.deepEqual(await query("SELECT COUNT(*) FROM Sessions WHERE AmountTotal > ALL (SELECT AmountTotal FROM Sessions WHERE Id = 'none')", catalog()), [[5]]);
  assert.deepEqual(await query("SELECT COUNT(*) FROM Sessions WHERE AmountTotal > ANY (SELECT AmountTotal FROM Sessions WHERE Id = 'none')", catalog()), [[0]]);
});
