// PostgreSQL's regular-expression matches ~ ~* !~ !~*, checked against PostgreSQL itself
// (PGlite) on the same generated rows.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog } from '../src/engine/table.js';
import { engineColumns, generateDataset, standardTable } from './support/dataset.js';
import { catalogOf, memoryTable, runQuery } from './support/engine-runner.js';
import { PgOracle } from './support/pg-oracle.js';
import { agreeWithPostgres } from './support/pg-agree.js';

let oracle: PgOracle;
let catalog: Catalog;

before(async () => {
  const table = standardTable('t');
  const dataset = generateDataset(table, 300, 4243);
  catalog = catalogOf(memoryTable('t', engineColumns(table), dataset.rows));
  oracle = await PgOracle.start();
  await oracle.load(dataset);
});

after(async () => {
  await oracle.close();
});

test('~ and ~* match, !~ and !~* do not, NULL in gives NULL out', async () => {
  await agreeWithPostgres("SELECT id, s ~ '^a', s ~* '^A', s !~ 'e', s !~* 'E$', u ~ '[0-9]', s ~ NULL, NULL ~ 'x' FROM t", catalog, oracle);
  await agreeWithPostgres("SELECT count(*) FROM t WHERE s ~ '^(a|b)' OR u !~* '^[[:alpha:]]+$'", catalog, oracle);
});

test('a match binds tighter than = and AND, looser than ||', async () => {
  await agreeWithPostgres("SELECT id, s ~ 'a' = true, s || 'x' ~ 'x$', s ~ 'a' AND u !~ 'b' FROM t", catalog, oracle);
});

test('the pattern is read when the row is: a column may hold it', async () => {
  const rows = await runQuery("SELECT 'pg_toast' ~ p, 'public' !~ p FROM (SELECT '^pg_' AS p) x", catalog);
  assert.deepEqual(rows, [[true, true]]);
});
