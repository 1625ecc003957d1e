// PostgreSQL's arrays in expressions (ARRAY[…], subscripts, = ANY / ALL, the bounds functions),
// set-returning calls in the select list (unnest, generate_subscripts) and functions in FROM,
// string_to_array and parse_ident, the bitwise & and |,
// and the SQL standard's SUBSTRING(… FROM … FOR …) and TRIM(BOTH … FROM …): checked against
// PostgreSQL itself (PGlite) on the same generated rows. Arrays are read back as text, their
// PostgreSQL form.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqlArray, SqlRecord } from '../src/engine/composite.js';
import { runQuery } from './support/engine-runner.js';
import { agreeWithPostgres } from './support/pg-agree.js';
import { useStandardOracle } from './support/standard-oracle.js';

const fx = useStandardOracle(4244);

test('subscripts: from 1, NULL outside the bounds, on a parenthesized array or a column of one', async () => {
  await agreeWithPostgres('SELECT id, (ARRAY[i, j, 7])[1], (ARRAY[i, j, 7])[3], (ARRAY[i, j])[0], (ARRAY[i, j])[5], (ARRAY[s, u])[i % 3 + 1] FROM t', fx.catalog, fx.oracle);
  await agreeWithPostgres('SELECT x.id, x.a[2], x.a[x.k] FROM (SELECT id, ARRAY[i, j] AS a, 1 AS k FROM t) x', fx.catalog, fx.oracle);
});

test('= ANY (array) and <> ALL (array) with SQL\'s three-valued logic', async () => {
  await agreeWithPostgres('SELECT id, i = ANY (ARRAY[1, 2, j]), i <> ALL (ARRAY[1, 2, j]), i < ANY (ARRAY[j, 0]), s = ANY (ARRAY[\'a\', u]) FROM t', fx.catalog, fx.oracle);
  await agreeWithPostgres('SELECT count(*) FROM t WHERE i = ANY (ARRAY[1, 2, 3, 4, 5])', fx.catalog, fx.oracle);
});

test('array_upper, array_lower, array_length, cardinality and array_to_string; an array prints as PostgreSQL prints it', async () => {
  await agreeWithPostgres("SELECT id, array_upper(ARRAY[i, j], 1), array_lower(ARRAY[i, j], 1), array_length(ARRAY[i, j, 3], 1), array_upper(ARRAY[i], 2), cardinality(ARRAY[i, j]), array_to_string(ARRAY[s, u, 'x'], ','), ARRAY[i, j]::text FROM t", fx.catalog, fx.oracle);
  const [[text]] = (await runQuery("SELECT ARRAY['a b', NULL, 'c\"d', '', 'null']::text", fx.catalog)) as [[string]];
  assert.equal(text, (await fx.oracle.query("SELECT ARRAY['a b', NULL, 'c\"d', '', 'null']::text"))[0]![0]);
});

test('set-returning calls in the select list: a row per value, the other columns repeated, several calls in lockstep padded with NULL', async () => {
  await agreeWithPostgres('SELECT id, unnest(ARRAY[i, j, 9]) FROM t', fx.catalog, fx.oracle);
  await agreeWithPostgres('SELECT id, unnest(ARRAY[i, j]) AS v, generate_subscripts(ARRAY[i, j, 1], 1) AS k FROM t', fx.catalog, fx.oracle);
  await agreeWithPostgres('SELECT id, unnest(ARRAY[i, j]) + 1, s FROM t WHERE i > 0', fx.catalog, fx.oracle);
  await agreeWithPostgres('SELECT v, count(*) FROM (SELECT unnest(ARRAY[i % 3, j % 3]) AS v FROM t) x GROUP BY v', fx.catalog, fx.oracle);
  // A call of constants is not folded away into one value.
  assert.deepEqual(await runQuery('SELECT unnest(ARRAY[1, 2, 3])', fx.catalog), [[1], [2], [3]]);
});

test('string_to_array and parse_ident; a function in FROM: a row per value of a set-returning one, one row of a scalar one', async () => {
  await agreeWithPostgres("SELECT id, string_to_array(s, 'a')::text, string_to_array(u, '')::text, string_to_array('x,,y', ',', '')::text FROM t", fx.catalog, fx.oracle);
  await agreeWithPostgres('SELECT parse_ident(\'"My Schema".Customers\')::text, parse_ident(\'public.x\')::text', fx.catalog, fx.oracle);
  await agreeWithPostgres('SELECT v FROM unnest(ARRAY[3, 1, 2]) AS v', fx.catalog, fx.oracle);
  await agreeWithPostgres("SELECT x[2], x[i] FROM string_to_array('a,b,c', ',') x, generate_series(1, 3) AS i", fx.catalog, fx.oracle);
});

test('& and | on integers', async () => {
  await agreeWithPostgres('SELECT id, i & 1, j & 6, i | 8, i & j | 1 FROM t', fx.catalog, fx.oracle);
});

test('SUBSTRING(s FROM a FOR n) and TRIM(BOTH | LEADING | TRAILING chars FROM s)', async () => {
  await agreeWithPostgres("SELECT id, substring(s from 2 for 3), substring(s from 0 for 2), substring(s from 2), substring(s for 2), trim(both 'a' from s), trim(leading 'ab' from u), trim(trailing 'z' from s), trim(from '  x  ') FROM t", fx.catalog, fx.oracle);
});

test('the values themselves: arrays keep their lower bound, records their field names', () => {
  const vector = SqlArray.vector([1, 2]);
  assert.deepEqual([vector.at(0), vector.at(1), vector.at(2), vector.upper, String(vector)], [1, 2, null, 1, '1 2']);
  const record = new SqlRecord(['x', 'n'], [5, 1]);
  assert.deepEqual([record.field('X'), record.field('n'), record.field('z'), String(record)], [5, 1, undefined, '(5,1)']);
});
