import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryTable } from '../src/engine/index.js';
import { SqlError } from '../src/sql/errors.js';
import { catalogOf, plan, planQuery, query, querySessions, sessions } from './engine-fixtures.js';
import { numericText } from './support/numeric-text.js';

const catalog = () => catalogOf(sessions());

/** Asserts that planning `sql` throws a SqlError with this reason at this 1-based column. */
function assertSqlError(sql: string, reason: string | RegExp, column: number, params?: unknown[] | Record<string, unknown>): void {
  assert.throws(
    () => plan(sql, catalog(), params),
    (error: unknown) => {
      assert.ok(error instanceof SqlError, `expected SqlError, got ${String(error)}`);
      if (typeof reason === 'string') assert.equal(error.reason, reason);
      else assert.match(error.reason, reason);
      assert.equal(error.column, column, `column of: ${error.reason}`);
      return true;
    },
  );
}

test('SELECT * lists the non-pseudo columns in table order with their types', () => {
  const p = planQuery('SELECT * FROM Sessions', catalog());
  assert.deepEqual(
    p.columns.map((c) => `${c.name}:${c.type}`),
    ['Id:String', 'Status:String', 'AmountTotal:Integer', 'Created:Datetime', 'Livemode:Boolean', 'Email:String', 'Score:Double'],
  );
});

test('result names: alias (folded unless quoted), column name (table spelling), function name, ?column? for the rest', () => {
  const p = planQuery('SELECT id, AmountTotal AS Total, AmountTotal AS "Total", AmountTotal + 1, upper(Status), Status = \'open\' FROM sessions', catalog());
  assert.deepEqual(
    p.columns.map((c) => `${c.name}:${c.type}`),
    ['Id:String', 'total:Integer', 'Total:Integer', '?column?:Integer', 'upper:String', '?column?:Boolean'],
  );
  const counts = planQuery('SELECT COUNT(*), MAX(AmountTotal) AS top FROM Sessions', catalog());
  assert.deepEqual(counts.columns, [
    { name: 'count', type: 'Long' },
    { name: 'top', type: 'Integer' },
  ]);
});

test('result types are inferred from literals, arithmetic and operators', () => {
  const p = planQuery("SELECT 1, 2.5, 'x', TRUE, Score * 2, AmountTotal / 2, 'a' || AmountTotal, NULL FROM Sessions", catalog());
  assert.deepEqual(
    p.columns.map((c) => c.type),
    ['Integer', 'Decimal', 'String', 'Boolean', 'Double', 'Integer', 'String', 'String'],
  );
});

test('names resolve case-insensitively, qualified by table name or alias; pseudo columns by name', async () => {
  assert.deepEqual(await querySessions("SELECT s.ID, S.status FROM Sessions s WHERE S.Id = 'cs_2'"), [['cs_2', 'complete']]);
  assert.deepEqual(await querySessions("SELECT Sessions.Id FROM Sessions WHERE sessions.id = 'cs_1'"), [['cs_1']]);
  const p = planQuery('SELECT Id, AccountId FROM Sessions WHERE AccountId IS NULL', catalog());
  assert.deepEqual(p.columns.map((c) => c.name), ['Id', 'AccountId']);
  assert.equal((await querySessions('SELECT AccountId FROM Sessions WHERE AccountId IS NULL')).length, 5);
});

test('unknown names are SqlErrors at their position with a suggestion when close', () => {
  assertSqlError('SELECT Id FROM Sesions', 'Unknown table Sesions (did you mean Sessions?)', 16);
  assertSqlError('SELECT Id FROM Customers', 'Unknown table Customers', 16);
  assertSqlError('SELECT Id, AmountTotl FROM Sessions', 'Unknown column AmountTotl in Sessions (did you mean AmountTotal?)', 12);
  assertSqlError('SELECT Id FROM Sessions WHERE Bogus = 1', 'Unknown column Bogus in Sessions', 31);
  assertSqlError('SELECT x.Id FROM Sessions s', 'Unknown table or alias x (did you mean s?)', 8);
  // An alias hides the table's own name, as in PostgreSQL.
  assertSqlError('SELECT Sessions.Id FROM Sessions s', 'Sessions is aliased s in FROM and can only be named by its alias: write s.Id', 8);
  assertSqlError('SELECT Id FROM Sessions ORDER BY Statu', 'Unknown column Statu in Sessions (did you mean Status?)', 34);
});

test('ORDER BY alias, ordinal, expression and a column not selected', async () => {
  assert.deepEqual(await querySessions('SELECT Id, AmountTotal AS amt FROM Sessions ORDER BY amt, Id DESC'), [
    ['cs_4', 700],
    ['cs_1', 5000],
    ['cs_5', 12000],
    ['cs_2', 12000],
    ['cs_3', null],
  ]);
  assert.deepEqual(await querySessions('SELECT Status, Id FROM Sessions ORDER BY 2 DESC'), [
    ['complete', 'cs_5'],
    ['open', 'cs_4'],
    ['expired', 'cs_3'],
    ['complete', 'cs_2'],
    ['open', 'cs_1'],
  ]);
  assert.deepEqual(await querySessions('SELECT Id FROM Sessions ORDER BY Created DESC'), [['cs_5'], ['cs_4'], ['cs_3'], ['cs_2'], ['cs_1']]);
  assert.deepEqual(await querySessions('SELECT Id FROM Sessions WHERE Score IS NOT NULL ORDER BY -Score'), [
    ['cs_5'],
    ['cs_2'],
    ['cs_1'],
    ['cs_4'],
  ]);
  assertSqlError('SELECT Id FROM Sessions ORDER BY 2', 'ORDER BY position 2 is out of range: the select list has 1 column', 34);
});

test('sort is stable and NULLs sort above every value (PostgreSQL) unless NULLS FIRST|LAST', async () => {
  // Equal keys keep scan order: cs_1 before cs_4 (open), cs_2 before cs_5 (complete).
  assert.deepEqual(await querySessions('SELECT Id FROM Sessions ORDER BY Status'), [['cs_2'], ['cs_5'], ['cs_3'], ['cs_1'], ['cs_4']]);
  const ids = async (order: string) => (await querySessions(`SELECT Id FROM Sessions ORDER BY ${order}, Id`)).map((r) => r[0]);
  assert.deepEqual(await ids('Email'), ['cs_4', 'cs_1', 'cs_3', 'cs_5', 'cs_2']);
  assert.deepEqual(await ids('Email DESC'), ['cs_2', 'cs_5', 'cs_3', 'cs_1', 'cs_4']);
  assert.deepEqual(await ids('Email NULLS FIRST'), ['cs_2', 'cs_4', 'cs_1', 'cs_3', 'cs_5']);
  assert.deepEqual(await ids('Email DESC NULLS LAST'), ['cs_5', 'cs_3', 'cs_1', 'cs_4', 'cs_2']);
  assert.deepEqual(await ids('Email NULLS LAST'), await ids('Email'));
  assert.deepEqual(await ids('Email DESC NULLS FIRST'), await ids('Email DESC'));
});

test('DISTINCT over the output row, NULLs equal', async () => {
  assert.deepEqual(await querySessions('SELECT DISTINCT Status FROM Sessions ORDER BY Status'), [['complete'], ['expired'], ['open']]);
  assert.deepEqual(await querySessions('SELECT DISTINCT AccountId, Livemode FROM Sessions ORDER BY 2'), [
    [null, false],
    [null, true],
  ]);
  assertSqlError(
    'SELECT DISTINCT Status FROM Sessions ORDER BY Id',
    'With SELECT DISTINCT, ORDER BY items must appear in the select list',
    47,
  );
});

test('LIMIT and OFFSET take non-negative integers, literals or parameters', async () => {
  assert.deepEqual(await querySessions('SELECT Id FROM Sessions ORDER BY Id LIMIT 2 OFFSET 1'), [['cs_2'], ['cs_3']]);
  assert.deepEqual(await querySessions('SELECT Id FROM Sessions ORDER BY Id LIMIT ? OFFSET ?', [1, 4]), [['cs_5']]);
  assert.deepEqual(await querySessions('SELECT Id FROM Sessions LIMIT 0'), []);
  assert.deepEqual(await querySessions('SELECT Id FROM Sessions ORDER BY Id LIMIT 10 OFFSET 4'), [['cs_5']]);
  assertSqlError('SELECT Id FROM Sessions LIMIT ?', 'LIMIT must be a non-negative integer', 31, [-1]);
  // A LIMIT parameter is an Integer: text that reads as one is one (as PostgreSQL takes '3' for $1), a fraction is not.
  assert.deepEqual(await querySessions('SELECT Id FROM Sessions ORDER BY Id LIMIT ?', ['1']), [['cs_1']]);
  assertSqlError('SELECT Id FROM Sessions LIMIT ?', 'Parameter ?1 must be an Integer, not 1.5', 31, [1.5]);
  assertSqlError('SELECT Id FROM Sessions LIMIT 2 OFFSET @skip', 'OFFSET must be a non-negative integer', 40, { skip: -3 });
});

test('parameters bind by index and by name; a missing one is an error at its position', async () => {
  assert.deepEqual(await querySessions('SELECT Id FROM Sessions WHERE Status = ? AND AmountTotal > ?', ['open', 1000]), [['cs_1']]);
  assert.deepEqual(await querySessions('SELECT Id FROM Sessions WHERE Status = @status ORDER BY Id', { status: 'complete' }), [
    ['cs_2'],
    ['cs_5'],
  ]);
  assert.deepEqual(await querySessions('SELECT Id FROM Sessions WHERE Created >= ?', [new Date('2024-01-22T00:00:00Z')]), [['cs_5']]);
  assert.deepEqual(await querySessions('SELECT ? + 1, ?', [41n, null]), [[42, null]]);
  assertSqlError('SELECT Id FROM Sessions WHERE Status = ? AND Id = ?', 'No value given for parameter ?2', 51, ['open']);
  assertSqlError('SELECT Id FROM Sessions WHERE Status = @status', 'No value given for parameter @status', 40, {});
  assertSqlError('SELECT ?', 'Parameter ?1 has an unsupported type (object)', 8, [{ a: 1 }]);
});

test('scalar functions, arity checks and unknown functions', async () => {
  const rows = await querySessions(
    "SELECT UPPER('ab'), LOWER('AB'), LENGTH('abc'), LEN('ab'), TRIM('  x '), COALESCE(NULL, NULL, 3), NULLIF(1, 1), NULLIF(1, 2), ABS(-4), ROUND(2.5), ROUND(-2.5), ROUND(3.14159, 2), UPPER(NULL)",
  );
  assert.deepEqual(numericText(rows), [['AB', 'ab', 3, 2, 'x', 3, null, 1, 4, '3', '-3', '3.14', null]]);
  assertSqlError('SELECT UPPER(Id, Status) FROM Sessions', 'UPPER takes 1 argument, got 2', 8);
  assertSqlError('SELECT NULLIF(1) FROM Sessions', 'NULLIF takes 2 arguments, got 1', 8);
  assertSqlError('SELECT UPPR(Id) FROM Sessions', 'Unknown function UPPR (did you mean UPPER?)', 8);
  assertSqlError("SELECT Id FROM Sessions WHERE Created + 1 > '2024-01-01'", 'Operator + cannot be applied to Datetime', 31);
});

test('aggregates without GROUP BY skip NULLs', async () => {
  const rows = await querySessions(
    'SELECT COUNT(*), COUNT(AmountTotal), COUNT(DISTINCT AmountTotal), SUM(AmountTotal), AVG(Score), MIN(Email), MAX(Created), COUNT(*) * 2 AS twice FROM Sessions',
  );
  assert.deepEqual(rows, [[5, 4, 3, 29700, 1.875, 'D@x.com', new Date('2024-01-22T00:00:00Z'), 10]]);
  assert.deepEqual(await querySessions("SELECT COUNT(*), SUM(AmountTotal) FROM Sessions WHERE Status = 'none'"), [[0, null]]);
  assert.deepEqual(await querySessions("SELECT COUNT(*) FROM Sessions WHERE Status = 'a' AND Status = 'b'"), [[0]]);
  assertSqlError('SELECT Id, COUNT(*) FROM Sessions', 'Column Id must be inside an aggregate function (there is no GROUP BY)', 8);
  assertSqlError('SELECT Id FROM Sessions WHERE COUNT(*) > 1', 'Aggregate COUNT is not allowed in WHERE', 31);
  assertSqlError('SELECT SUM(*) FROM Sessions', 'SUM(*) is not allowed; name a column', 8);
});

test('SELECT without FROM evaluates once; WHERE on constants', async () => {
  assert.deepEqual(await query('SELECT 1 + 2 AS three', catalogOf()), [[3]]);
  assert.deepEqual(await query('SELECT 1 WHERE 1 = 2', catalogOf()), []);
  assertSqlError('SELECT * ', 'SELECT * needs a FROM clause', 8);
});

test('each call of rows() runs the query afresh', async () => {
  const table = new MemoryTable('T', [{ name: 'A', type: 'Integer' }], [[1], [2]]);
  const p = planQuery('SELECT A FROM T', catalogOf(table));
  assert.deepEqual(await collectTwice(p.rows.bind(p)), [[[1], [2]], [[1], [2]]]);
});

async function collectTwice(rows: (ctx: object) => AsyncIterable<unknown[]>): Promise<unknown[][][]> {
  const runs: unknown[][][] = [];
  for (let i = 0; i < 2; i++) {
    const out: unknown[][] = [];
    for await (const row of rows({})) out.push(row);
    runs.push(out);
  }
  return runs;
}

test('ORDER BY with LIMIT keeps only the needed rows yet stays stable and exact', async () => {
  const rows = Array.from({ length: 5000 }, (_, i) => [i, i % 3 === 0 ? null : i % 7]);
  const table = new MemoryTable('T', [
    { name: 'N', type: 'Integer' },
    { name: 'K', type: 'Integer' },
  ], rows);
  const expected = [...rows]
    .sort((a, b) => (a[1] === null ? 1 : 0) - (b[1] === null ? 1 : 0) || ((a[1] ?? 0) as number) - ((b[1] ?? 0) as number))
    .slice(1200, 1210)
    .map((r) => [r[0]]);
  assert.deepEqual(await query('SELECT N FROM T ORDER BY K NULLS LAST LIMIT 10 OFFSET 1200', catalogOf(table)), expected);
  const lastNulls = await query('SELECT N, K FROM T ORDER BY K NULLS LAST LIMIT 3 OFFSET 3332', catalogOf(table));
  assert.deepEqual(lastNulls, [
    [4997, 6],
    [0, null],
    [3, null],
  ]);
});

test('an aborted signal stops the query', async () => {
  const p = planQuery('SELECT Id FROM Sessions', catalog());
  const controller = new AbortController();
  controller.abort(new Error('stop'));
  await assert.rejects(async () => {
    for await (const _row of p.rows({ signal: controller.signal })) assert.fail('no row expected');
  }, /stop/);
});

test('EXPLAIN lists the operators above the scan, top down', () => {
  const p = planQuery(
    "SELECT DISTINCT Status FROM Sessions WHERE AmountTotal > 5000 AND UPPER(Status) <> 'X' ORDER BY Status DESC LIMIT 5",
    catalog(),
  );
  assert.deepEqual(p.explain(), [
    'Limit 5',
    'Distinct',
    'Sort Status DESC',
    "Filter AmountTotal > 5000 AND UPPER(Status) <> 'X'",
    'Scan Sessions',
    '  MemoryTable Sessions',
  ]);
  assert.deepEqual(planQuery('SELECT COUNT(*) AS n FROM Sessions', catalog()).explain(), [
    'Aggregate COUNT(*)',
    'Scan Sessions',
    '  MemoryTable Sessions',
  ]);
});
