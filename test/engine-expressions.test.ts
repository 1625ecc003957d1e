import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SqlError } from '../src/sql/errors.js';
import { catalogOf, planQuery, query, querySessions, sessions } from './engine-fixtures.js';

const noTables = catalogOf();
const one = async (expression: string): Promise<unknown> => (await query(`SELECT ${expression}`, noTables))[0]![0];

test('searched CASE: first TRUE branch, else ELSE, else NULL (UNKNOWN is not TRUE)', async () => {
  const rows = await querySessions(
    "SELECT Id, CASE WHEN AmountTotal > 1000 THEN 'big' WHEN AmountTotal IS NULL THEN 'none' ELSE 'small' END, CASE WHEN AmountTotal > 6000 THEN 1 END FROM Sessions",
  );
  assert.deepEqual(rows, [
    ['cs_1', 'big', null],
    ['cs_2', 'big', 1],
    ['cs_3', 'none', null],
    ['cs_4', 'small', null],
    ['cs_5', 'big', 1],
  ]);
});

test('simple CASE compares the operand with each WHEN; NULL never matches', async () => {
  const rows = await querySessions("SELECT CASE Status WHEN 'open' THEN 'O' WHEN 'complete' THEN 'C' ELSE '?' END, CASE Email WHEN NULL THEN 'null' ELSE 'other' END FROM Sessions WHERE Id IN ('cs_1', 'cs_2', 'cs_3')");
  assert.deepEqual(rows, [
    ['O', 'other'],
    ['C', 'other'],
    ['?', 'other'],
  ]);
});

test('CASE result type widens numeric branches; constant CASE folds', async () => {
  const p = planQuery('SELECT CASE WHEN Livemode THEN 1 ELSE 2.5 END AS x, CASE WHEN 1 = 1 THEN 7 END AS y FROM Sessions', catalogOf(sessions()));
  assert.deepEqual(p.columns, [
    { name: 'x', type: 'Decimal' },
    { name: 'y', type: 'Integer' },
  ]);
});

test('CAST to our types and common SQL spellings', async () => {
  assert.equal(await one("CAST('12' AS INT)"), 12);
  assert.equal(await one('CAST(2.5 AS INTEGER)'), 3);
  assert.equal(await one('CAST(-2.5 AS BIGINT)'), -3);
  assert.equal(await one('CAST(12 AS VARCHAR(10))'), '12');
  assert.equal(await one("CAST('abcdef' AS VARCHAR(3))"), 'abc');
  assert.equal(await one('CAST(1 AS BIT)'), true);
  assert.equal(await one("CAST('false' AS BOOLEAN)"), false);
  assert.equal(String(await one('CAST(3.14159 AS DECIMAL(10, 2))')), '3.14');
  assert.equal(await one("CAST('1.5' AS FLOAT)"), 1.5);
  assert.equal(await one('CAST(7 AS Double) / 2'), 3.5);
  assert.deepEqual(await one("CAST('2024-01-02 03:04:05' AS DATETIME)"), new Date('2024-01-02T03:04:05Z'));
  assert.deepEqual(await one("CAST('2024-01-02 03:04:05' AS TIMESTAMP)"), new Date('2024-01-02T03:04:05Z'));
  assert.deepEqual(await one("CAST('2024-01-02 03:04:05' AS DATE)"), new Date('2024-01-02T00:00:00Z'));
  assert.equal(await one('CAST(NULL AS INT)'), null);
});

test('CAST result types and names', () => {
  const p = planQuery('SELECT CAST(AmountTotal AS VARCHAR), CAST(Score AS INT) AS s, CAST(Created AS DATE) FROM Sessions', catalogOf(sessions()));
  assert.deepEqual(p.columns, [
    { name: 'AmountTotal', type: 'String' },
    { name: 's', type: 'Integer' },
    { name: 'Created', type: 'Date' },
  ]);
});

test('an unknown CAST type is a SqlError at the type', () => {
  assert.throws(
    () => planQuery('SELECT CAST(1 AS WIDGET)', noTables),
    (e: unknown) => e instanceof SqlError && /Unknown type WIDGET/.test(e.reason) && e.column === 18,
  );
});

test('decimal literals keep decimal division; integer literals truncate', async () => {
  // Exact numerics, at PostgreSQL's division scale (16 significant digits at least).
  assert.equal(String(await one('7.0 / 2')), '3.5000000000000000');
  assert.equal(String(await one('7 / 2.0')), '3.5000000000000000');
  assert.equal(await one('7 / 2'), 3);
  assert.equal(await one('-7 / 2'), -3);
  assert.equal(String(await one('1e1 / 4')), '2.5000000000000000');
  assert.deepEqual(planQuery('SELECT 7.0, 7, 1e3', noTables).columns.map((c) => c.type), ['Decimal', 'Integer', 'Decimal']);
});

test('COALESCE and NULLIF', async () => {
  assert.deepEqual(await querySessions("SELECT COALESCE(Email, 'none'), NULLIF(Status, 'open') FROM Sessions WHERE Id IN ('cs_1', 'cs_2', 'cs_3')"), [
    ['a@x.com', null],
    ['none', 'complete'],
    ['c@x.com', 'expired'],
  ]);
});

test('SELECT TOP n limits like LIMIT and is offered to the table', async () => {
  const table = sessions({ sortable: true, limitable: true });
  const rows = await query('SELECT TOP 2 Id FROM Sessions ORDER BY Id DESC', catalogOf(table));
  assert.deepEqual(rows, [['cs_5'], ['cs_4']]);
  assert.equal(table.requests.at(-1)!.limit, 2);
  assert.equal(table.rowsPulled, 2);
  assert.deepEqual(await querySessions('SELECT TOP (1) Id FROM Sessions'), [['cs_1']]);
  assert.deepEqual(await querySessions('SELECT DISTINCT TOP 2 Status FROM Sessions'), [['open'], ['complete']]);
});

test('a long flat OR chain binds and runs without deep recursion', async () => {
  const terms = Array.from({ length: 5000 }, (_, i) => `AmountTotal = ${i + 1}`).join(' OR ');
  const table = sessions();
  const rows = await query(`SELECT Id FROM Sessions WHERE ${terms}`, catalogOf(table));
  assert.deepEqual(rows, [['cs_1'], ['cs_4']]);
  // The chain is one column's membership test, so it is offered as IN.
  assert.equal(table.requests[0]!.predicates.length, 1);
  assert.equal(table.requests[0]!.predicates[0]!.op, 'IN');
  assert.equal(table.requests[0]!.predicates[0]!.values!.length, 5000);
});

test('a long flat OR chain over different columns also evaluates', async () => {
  const terms = Array.from({ length: 3000 }, (_, i) => (i % 2 === 0 ? `AmountTotal = ${i}` : `Score = ${i}`)).join(' OR ');
  assert.deepEqual(await querySessions(`SELECT Id FROM Sessions WHERE ${terms} OR Id = 'cs_2'`), [['cs_2'], ['cs_4'], ['cs_5']]);
});

test('long IN lists are deduplicated for the table and matched by set lookup, with three-valued logic', async () => {
  const values = Array.from({ length: 20000 }, (_, i) => `'cs_${i % 10000}'`).join(', ');
  const table = sessions();
  assert.deepEqual(await query(`SELECT Id FROM Sessions WHERE Id IN (${values})`, catalogOf(table)), [['cs_1'], ['cs_2'], ['cs_3'], ['cs_4'], ['cs_5']]);
  assert.equal(table.requests[0]!.predicates[0]!.values!.length, 10000);
  const numbers = Array.from({ length: 51 }, (_, i) => String(i * 100)).join(', ');
  // Engine-evaluated (not a plain column): NULL in the list makes a miss UNKNOWN, so NOT IN keeps nothing.
  assert.deepEqual(await querySessions(`SELECT Id FROM Sessions WHERE AmountTotal + 0 IN (${numbers})`), [['cs_1'], ['cs_4']]);
  assert.deepEqual(await querySessions(`SELECT Id FROM Sessions WHERE AmountTotal + 0 NOT IN (${numbers}, NULL)`), []);
  assert.deepEqual(await querySessions(`SELECT Id FROM Sessions WHERE AmountTotal + 0 NOT IN (${numbers})`), [['cs_2'], ['cs_5']]);
  assert.deepEqual(await querySessions(`SELECT Id FROM Sessions WHERE CAST(AmountTotal AS VARCHAR) IN (${numbers})`), [['cs_1'], ['cs_4']]);
});
