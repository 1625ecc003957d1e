// Result column names as PostgreSQL gives them (its FigureColname rules), checked against
// PostgreSQL itself (PGlite): `?column?` for an operator or literal, a function's name, a
// cast's type name, `case`, `exists`, a scalar subquery's inner name; aliases folded to lower
// case unless quoted. A catalog column keeps the catalog's spelling. Object rows of the library
// key a repeated name `name_2`, `name_3`… so no value is lost.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog } from '../src/engine/table.js';
import { connect } from '../src/index.js';
import { engineColumns, generateDataset, standardTable } from './support/dataset.js';
import { catalogOf, memoryTable, planQuery } from './support/engine-runner.js';
import { PgOracle } from './support/pg-oracle.js';

let oracle: PgOracle;
let catalog: Catalog;

before(async () => {
  const table = standardTable('t');
  const dataset = generateDataset(table, 20, 99);
  catalog = catalogOf(memoryTable('t', engineColumns(table), dataset.rows), memoryTable('Charges', [{ name: 'Id', type: 'String' }, { name: 'Amount', type: 'Integer' }], [['ch_1', 5]]));
  oracle = await PgOracle.start();
  await oracle.load(dataset);
});

after(async () => {
  await oracle.close();
});

const ITEMS = [
  '1', "'x'", 'NULL', 'true', '1.5', 'i', 't.i', 'i + 1', '-i', 'i % 2', "s || 'x'", 'NOT b', 'i IS NULL', 'i IN (1, 2)', 'i BETWEEN 1 AND 2',
  "s LIKE 'a%'", "s ILIKE 'a%'", 'i IS DISTINCT FROM 1', "s ~ 'a'", 'b IS TRUE',
  'count(*)', 'sum(i)', 'count(DISTINCT i)', 'count(*) FILTER (WHERE i > 0)', "string_agg(s, ',')", 'percentile_cont(0.5) WITHIN GROUP (ORDER BY d)',
  'lag(i) OVER (ORDER BY id)', 'row_number() OVER ()', 'coalesce(i, 0)', 'nullif(i, 0)', 'greatest(i, 1)', 'upper(s)', 'abs(i)', 'TRIM(s)', 'left(s, 1)',
  'i::int', '1::int', "'x'::text", 'CAST(i AS bigint)', 'CAST(1 AS bigint)', '(i + 1)::int', 'i::text::int', '1::double precision', '1::real', '1::smallint',
  '1::numeric(10,2)', '1::decimal', '1::varchar', '1::character varying', "'t'::boolean", "'{}'::jsonb", "'2024-01-01'::timestamptz", "'2024-01-01'::date",
  "DATE '2024-01-01'", "TIMESTAMP '2024-01-01'", "INTERVAL '1 day'", 'CURRENT_DATE', 'CURRENT_TIMESTAMP', 'LOCALTIMESTAMP', 'now()',
  'EXTRACT(year FROM ts)', "date_part('year', ts)", "date_trunc('month', ts)", "date_trunc('month', ts)::date", "to_char(ts, 'YYYY')",
  'CASE WHEN i > 0 THEN 1 ELSE 0 END', 'CASE WHEN i > 0 THEN 1 ELSE i END', 'CASE WHEN i > 0 THEN 1 END', 'CASE i WHEN 1 THEN s ELSE s END',
  'EXISTS (SELECT 1)', 'NOT EXISTS (SELECT 1)', '(SELECT 1)', '(SELECT max(i) FROM t)', '(SELECT j FROM t LIMIT 1)', '(SELECT 1::int)', 'i = ANY (SELECT 1)', 'i IN (SELECT 1)',
  'ARRAY[i, j]', '(ARRAY[i, j])[1]', 'i AS Total', 'i AS "Total"', 'i total', 'count(*) AS "N"',
];

test('each unaliased and aliased select-list item is named as PostgreSQL names it', async () => {
  const mismatches: string[] = [];
  for (const item of ITEMS) {
    const sql = `SELECT ${item} FROM t`;
    const ours = planQuery(sql, catalog).columns.map((c) => c.name);
    const theirs = await oracle.columnNames(sql);
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) mismatches.push(`${item}: ours ${JSON.stringify(ours)}, PostgreSQL ${JSON.stringify(theirs)}`);
  }
  assert.deepEqual(mismatches, []);
});

test('names through derived tables, CTE column lists, set operations and VALUES; repeated names stay repeated', async () => {
  for (const sql of [
    'SELECT * FROM (SELECT i AS Total, 1, count(*) OVER () FROM t) AS x',
    'SELECT x.* FROM (SELECT 1, 2) AS x(A, "B")',
    'WITH c(One, "Two") AS (SELECT i, j FROM t) SELECT * FROM c',
    'SELECT 1, i AS Total FROM t UNION ALL SELECT 2, 3',
    'SELECT * FROM (VALUES (1, 2)) AS v',
    'SELECT count(*), count(i), 1, 2 FROM t',
  ]) {
    assert.deepEqual(planQuery(sql, catalog).columns.map((c) => c.name), await oracle.columnNames(sql), sql);
  }
});

test('a catalog column keeps its spelling however the query writes it, bare, qualified, cast or in a subquery; an alias folds', () => {
  const names = planQuery('SELECT amount, c.AMOUNT, amount::text, CASE WHEN id IS NULL THEN 0 ELSE AMOUNT END, (SELECT max(amount) FROM charges), (SELECT AMOUNT FROM charges LIMIT 1), amount AS Cents FROM charges c', catalog).columns.map((c) => c.name);
  assert.deepEqual(names, ['Amount', 'Amount', 'Amount', 'Amount', 'max', 'Amount', 'cents']);
});

test('object rows key a repeated name name_2, name_3…, skipping names the query already uses; array rows and columns keep the names', async () => {
  // A statement without tables sends no request: the unreachable address is never asked.
  const db = connect({ apiKey: 'sk_test_names', baseUrl: 'http://127.0.0.1:9' });
  try {
    const objects = await db.query('SELECT 1, 2, 3 AS "?column?_2", 4 AS n, 5 AS n');
    assert.deepEqual(objects.columns.map((c) => c.name), ['?column?', '?column?', '?column?_2', 'n', 'n']);
    assert.deepEqual(objects.rows, [{ '?column?': 1, '?column?_3': 2, '?column?_2': 3, n: 4, n_2: 5 }]);
    const arrays = await db.query('SELECT 1, 2', undefined, { rowMode: 'array' });
    assert.deepEqual(arrays.rows, [[1, 2]]);
  } finally {
    await db.close();
  }
});
