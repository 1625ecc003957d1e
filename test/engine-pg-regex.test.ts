// PostgreSQL's regular-expression matches ~ ~* !~ !~*, checked against PostgreSQL itself
// (PGlite) on the same generated rows.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQuery } from './support/engine-runner.js';
import { agreeWithPostgres } from './support/pg-agree.js';
import { useStandardOracle } from './support/standard-oracle.js';

const fx = useStandardOracle(4243);

test('~ and ~* match, !~ and !~* do not, NULL in gives NULL out', async () => {
  await agreeWithPostgres("SELECT id, s ~ '^a', s ~* '^A', s !~ 'e', s !~* 'E$', u ~ '[0-9]', s ~ NULL, NULL ~ 'x' FROM t", fx.catalog, fx.oracle);
  await agreeWithPostgres("SELECT count(*) FROM t WHERE s ~ '^(a|b)' OR u !~* '^[[:alpha:]]+$'", fx.catalog, fx.oracle);
});

test('a match binds tighter than = and AND, looser than ||', async () => {
  await agreeWithPostgres("SELECT id, s ~ 'a' = true, s || 'x' ~ 'x$', s ~ 'a' AND u !~ 'b' FROM t", fx.catalog, fx.oracle);
});

test('the pattern is read when the row is: a column may hold it', async () => {
  const rows = await runQuery("SELECT 'pg_toast' ~ p, 'public' !~ p FROM (SELECT '^pg_' AS p) x", fx.catalog);
  assert.deepEqual(rows, [[true, true]]);
});
