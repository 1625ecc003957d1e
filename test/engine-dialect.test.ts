// Spellings users bring from SQL Server and standard SQL: LEFT()/RIGHT() despite being join
// keywords, bare date parts in date functions, CURRENT_TIMESTAMP without parentheses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { querySessions } from './engine-fixtures.js';

test('LEFT( and RIGHT( are the string functions; LEFT JOIN still parses', async () => {
  assert.deepEqual(await querySessions(`SELECT LEFT(Id, 3), RIGHT(Id, 1) FROM Sessions WHERE Id = 'cs_1'`), [['cs_', '1']]);
  assert.deepEqual(
    await querySessions(`SELECT a.Id FROM Sessions a LEFT JOIN Sessions b ON b.Id = a.Id WHERE a.Id = 'cs_2'`),
    [['cs_2']],
  );
});

test('a bare date part is the part, not a column', async () => {
  const [[added, diff, part]] = (await querySessions(
    `SELECT DATEADD(day, 1, '2024-01-31'), DATEDIFF(month, '2024-01-31', '2024-03-01'), DATEPART(year, '2024-05-06')`,
  )) as [[Date, number, number]];
  assert.equal(added.toISOString(), '2024-02-01T00:00:00.000Z');
  assert.equal(diff, 2);
  assert.equal(part, 2024);
});

test('CURRENT_TIMESTAMP needs no parentheses; quoted it is a name again', async () => {
  const before = Date.now();
  const [[now]] = (await querySessions('SELECT CURRENT_TIMESTAMP')) as [[Date]];
  assert.ok(now instanceof Date && now.getTime() >= before - 1000 && now.getTime() <= Date.now() + 1000);
  await assert.rejects(querySessions('SELECT [CURRENT_TIMESTAMP] FROM Sessions'), /Unknown column/);
});
