import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SqlError } from '../src/sql/errors.js';
import { catalogOf, planQuery, querySessions, sessions } from './engine-fixtures.js';
import { numericText } from './support/numeric-text.js';

// Sessions: cs_1 open 5000 | cs_2 complete 12000 | cs_3 expired NULL | cs_4 open 700 | cs_5 complete 12000

test('ROW_NUMBER, RANK and DENSE_RANK over partitions and orders (NULLs last ascending)', async () => {
  const rows = await querySessions(
    'SELECT Id, ROW_NUMBER() OVER (PARTITION BY Status ORDER BY Id DESC) AS rn, RANK() OVER (ORDER BY AmountTotal NULLS LAST) AS r, DENSE_RANK() OVER (ORDER BY AmountTotal NULLS LAST) AS d FROM Sessions ORDER BY Id',
  );
  assert.deepEqual(rows, [
    ['cs_1', 2, 2, 2],
    ['cs_2', 2, 3, 3],
    ['cs_3', 1, 5, 4],
    ['cs_4', 1, 1, 1],
    ['cs_5', 1, 3, 3],
  ]);
});

test('aggregates OVER (PARTITION BY …) give the partition total; with ORDER BY a running total over peers', async () => {
  const rows = await querySessions(
    'SELECT Id, SUM(AmountTotal) OVER (PARTITION BY Status) AS total, COUNT(*) OVER () AS n, SUM(AmountTotal) OVER (ORDER BY AmountTotal DESC NULLS FIRST) AS running FROM Sessions ORDER BY Id',
  );
  assert.deepEqual(rows, [
    ['cs_1', 5700, 5, 29000],
    ['cs_2', 24000, 5, 24000],
    ['cs_3', null, 5, null],
    ['cs_4', 5700, 5, 29700],
    ['cs_5', 24000, 5, 24000],
  ]);
});

test('ORDER BY a window function; window results have types and names', async () => {
  const p = planQuery('SELECT Id, ROW_NUMBER() OVER (ORDER BY Created DESC) FROM Sessions ORDER BY 2 LIMIT 2', catalogOf(sessions()));
  assert.deepEqual(p.columns, [
    { name: 'Id', type: 'String' },
    { name: 'row_number', type: 'Long' },
  ]);
  assert.deepEqual(await querySessions('SELECT Id FROM Sessions ORDER BY ROW_NUMBER() OVER (ORDER BY Created DESC) LIMIT 2'), [['cs_5'], ['cs_4']]);
});

test('window misuse is a SqlError', () => {
  const catalog = catalogOf(sessions());
  const rejects = (sql: string, reason: RegExp): void => {
    assert.throws(() => planQuery(sql, catalog), (e: unknown) => e instanceof SqlError && reason.test(e.reason));
  };
  rejects('SELECT Id FROM Sessions WHERE ROW_NUMBER() OVER (ORDER BY Id) = 1', /Window function ROW_NUMBER is allowed only in the select list and ORDER BY/);
  rejects('SELECT RANK() OVER (PARTITION BY Status) FROM Sessions', /RANK needs ORDER BY/);
  rejects('SELECT UPPER(Id) OVER () FROM Sessions', /UPPER is not a window function/);
  rejects('SELECT ROW_NUMBER(Id) OVER () FROM Sessions', /ROW_NUMBER takes no arguments/);
});

test('window functions over grouped rows run after GROUP BY and HAVING', async () => {
  const rows = await querySessions(
    'SELECT Status, COUNT(*) AS n, RANK() OVER (ORDER BY COUNT(*) DESC) AS r, SUM(COUNT(*)) OVER () AS total FROM Sessions GROUP BY Status HAVING MIN(Id) <> \'cs_3\' ORDER BY Status',
  );
  // SUM of a bigint (COUNT) is a numeric, as in PostgreSQL.
  assert.deepEqual(numericText(rows), [
    ['complete', 2, 1, '4'],
    ['open', 2, 1, '4'],
  ]);
  assert.throws(
    () => planQuery('SELECT Status, RANK() OVER (ORDER BY Id) FROM Sessions GROUP BY Status', catalogOf(sessions())),
    (e: unknown) => e instanceof SqlError && /Column Id must appear in GROUP BY/.test(e.reason),
  );
});
