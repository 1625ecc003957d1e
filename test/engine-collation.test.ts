// Case-insensitive columns (Column.caseInsensitive): =, <>, IN and LIKE against them ignore
// case on both sides; the values themselves, their order (byte order, as ORDER BY shows) and
// columns without the flag are unchanged.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogOf, memoryTable, runQuery } from './support/engine-runner.js';

const names = memoryTable(
  'names',
  [
    { name: 'name', type: 'String', caseInsensitive: true },
    { name: 'plain', type: 'String' },
  ],
  [['Customers', 'Customers'], ['CheckoutSession', 'CheckoutSession'], ['charges', 'charges'], [null, null]],
);
const catalog = catalogOf(names);

test('= and <> on a case-insensitive column ignore case, in either order, and keep the stored spelling', async () => {
  assert.deepEqual(await runQuery("SELECT name FROM names WHERE name = 'customers'", catalog), [['Customers']]);
  assert.deepEqual(await runQuery("SELECT name FROM names WHERE 'CHARGES' = name", catalog), [['charges']]);
  assert.deepEqual(await runQuery("SELECT name FROM names WHERE name <> 'CUSTOMERS' ORDER BY name", catalog), [['CheckoutSession'], ['charges']]);
  assert.deepEqual(await runQuery("SELECT plain FROM names WHERE plain = 'customers'", catalog), []);
});

test('IN and LIKE on a case-insensitive column ignore case; NULL stays unknown', async () => {
  assert.deepEqual(await runQuery("SELECT name FROM names WHERE name IN ('CHECKOUTSESSION', 'x') ", catalog), [['CheckoutSession']]);
  assert.deepEqual(await runQuery("SELECT name FROM names WHERE name NOT IN ('customers') ORDER BY name", catalog), [['CheckoutSession'], ['charges']]);
  assert.deepEqual(await runQuery("SELECT name FROM names WHERE name LIKE 'c%' ORDER BY name", catalog), [['CheckoutSession'], ['Customers'], ['charges']]);
  assert.deepEqual(await runQuery("SELECT plain FROM names WHERE plain LIKE 'c%'", catalog), [['charges']]);
  assert.deepEqual(await runQuery('SELECT count(*) FROM names WHERE name IS NULL', catalog), [[1]]);
});

test('a parameter is compared case-insensitively too', async () => {
  assert.deepEqual(await runQuery('SELECT name FROM names WHERE name = $1', catalog, ['CUSTOMERS']), [['Customers']]);
});
