// PostgreSQL's dialect, each form checked against PostgreSQL itself (PGlite) on the same rows:
// casts with ::, JSON operators, ILIKE, IS [NOT] DISTINCT FROM, IS TRUE, typed literals,
// EXTRACT / date_part / to_char, aggregate FILTER, ordered-set aggregates.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog, Column, SqlValue } from '../src/engine/table.js';
import { engineColumns, generateDataset, standardTable } from './support/dataset.js';
import { catalogOf, memoryTable, runQuery } from './support/engine-runner.js';
import { SqlError } from '../src/sql/errors.js';
import { PgOracle } from './support/pg-oracle.js';
import { agreeWithPostgres, type AgreeOptions } from './support/pg-agree.js';

let oracle: PgOracle;
let catalog: Catalog;

/** A JSON text column beside the standard table's, as Stripe's Metadata is. */
const docs: { id: number; meta: string | null }[] = Array.from({ length: 40 }, (_, i) => ({
  id: i + 1,
  meta: i % 7 === 0 ? null : JSON.stringify({ segment: ['smb', 'ent', 'mid'][i % 3], n: i, tags: i % 2 ? ['a', 'b'] : [], deep: { x: i % 4 === 0 ? null : `v${i}` } }),
}));

before(async () => {
  const table = standardTable('t');
  const dataset = generateDataset(table, 300, 777);
  const docColumns: Column[] = [
    { name: 'id', type: 'Integer' },
    { name: 'meta', type: 'String', json: true },
  ];
  catalog = catalogOf(
    memoryTable('t', engineColumns(table), dataset.rows),
    memoryTable('docs', docColumns, docs.map((d): SqlValue[] => [d.id, d.meta])),
  );
  oracle = await PgOracle.start();
  await oracle.load(dataset);
  await oracle.exec('CREATE TABLE docs (id integer, meta jsonb)');
  for (const d of docs) await oracle.exec(`INSERT INTO docs VALUES (${d.id}, ${d.meta === null ? 'NULL' : `'${d.meta}'`})`);
});

after(async () => {
  await oracle.close();
});

function agree(ours: string, options: AgreeOptions = {}): Promise<void> {
  return agreeWithPostgres(ours, catalog, oracle, options);
}

test(':: casts to PostgreSQL type names', async () => {
  await agree('SELECT id, i::text, d::int, s::varchar, b::text, i::bigint + 1, d::numeric(10,1), j::float8 / 4 FROM t');
  await agree("SELECT '42'::int + 1, '2.5'::double precision * 2, 'true'::boolean, 7::text || 'x'");
});

test('JSON operators -> ->> #> #>> on JSON text', async () => {
  await agree("SELECT id, meta->>'segment', meta->'n', (meta->>'n')::int * 2, meta->'tags'->>0, meta#>>'{deep,x}', meta#>'{deep}' FROM docs", {
    pg: "SELECT id, meta->>'segment', (meta->'n')::text, (meta->>'n')::int * 2, meta->'tags'->>0, meta#>>'{deep,x}', (meta#>'{deep}')::text FROM docs",
  });
  await agree("SELECT meta->>'segment' AS segment, count(*) FROM docs WHERE meta->>'segment' IN ('smb', 'ent') GROUP BY 1");
});

test('ILIKE, IS [NOT] DISTINCT FROM, IS TRUE / FALSE', async () => {
  await agree("SELECT id FROM t WHERE s ILIKE '%A%' OR u NOT ILIKE 'z%'");
  await agree('SELECT id, i IS DISTINCT FROM j, i IS NOT DISTINCT FROM j, s IS DISTINCT FROM NULL FROM t');
  await agree('SELECT id, b IS TRUE, b IS NOT TRUE, b IS FALSE, b IS NOT FALSE FROM t');
});

test("typed literals, EXTRACT, date_part, date_trunc and to_char", async () => {
  await agree("SELECT id FROM t WHERE ts >= TIMESTAMP '2024-06-01 00:00:00' AND ts < DATE '2025-01-01'");
  await agree('SELECT id, EXTRACT(year FROM ts), EXTRACT(MONTH FROM ts), EXTRACT(dow FROM ts), EXTRACT(isodow FROM ts), EXTRACT(doy FROM ts), EXTRACT(week FROM ts), EXTRACT(quarter FROM ts), EXTRACT(epoch FROM ts), EXTRACT(hour FROM ts) FROM t');
  await agree("SELECT id, date_part('day', ts), date_part('minute', ts), date_part('isoyear', ts) FROM t");
  await agree("SELECT date_trunc('month', ts) AS m, count(*) FROM t WHERE ts IS NOT NULL GROUP BY 1");
  await agree("SELECT id, to_char(ts, 'YYYY-MM-DD HH24:MI:SS'), to_char(ts, 'FMMonth DD, YYYY'), to_char(ts, 'Dy Mon YY'), to_char(ts, 'IYYY-IW Q'), to_char(ts, 'HH12:MI AM') FROM t");
  await agree('SELECT to_timestamp(1700000000), to_timestamp(0)');
});

test('aggregate FILTER and ordered-set aggregates', async () => {
  await agree('SELECT s, count(*) FILTER (WHERE b), sum(i) FILTER (WHERE j > 0), count(*) FROM t GROUP BY s');
  await agree('SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d), percentile_cont(0.9) WITHIN GROUP (ORDER BY i DESC), percentile_disc(0.25) WITHIN GROUP (ORDER BY j) FROM t');
  await agree('SELECT b, percentile_cont(0.5) WITHIN GROUP (ORDER BY e), mode() WITHIN GROUP (ORDER BY s) FROM t GROUP BY b');
});

test('FETCH FIRST, OFFSET … ROWS and LIMIT ALL', async () => {
  await agree('SELECT id FROM t ORDER BY id OFFSET 5 ROWS FETCH FIRST 3 ROWS ONLY', { keys: [0] });
  await agree('SELECT id FROM t ORDER BY id DESC FETCH NEXT ROW ONLY', { keys: [0] });
  await agree('SELECT id FROM t ORDER BY id LIMIT ALL OFFSET 290', { keys: [0] });
  await assert.rejects(runQuery('SELECT id FROM t LIMIT 2 FETCH FIRST 3 ROWS ONLY', catalog), /Write either LIMIT or FETCH FIRST, not both \(line 1, column 26\)/);
});

test('intervals: timestamp ± interval, timestamp − timestamp, arithmetic, EXTRACT and aggregates', async () => {
  await agree("SELECT id, ts + INTERVAL '1 month', ts - interval '30 days', ts + interval '1 day 02:30:00', ts - INTERVAL '2 years 3 mons' FROM t");
  await agree('SELECT id, (ts - ts2)::text, EXTRACT(epoch FROM ts - ts2), EXTRACT(day FROM ts - ts2), EXTRACT(hour FROM ts - ts2) FROM t');
  await agree("SELECT id FROM t WHERE ts > TIMESTAMP '2025-06-01' - INTERVAL '90 days' AND ts - ts2 > INTERVAL '30 days'");
  await agree("SELECT (INTERVAL '1 day' * 3)::text, (INTERVAL '1 hour' + INTERVAL '30 minutes')::text, (interval '1 year 2 months')::text, (INTERVAL '36 hours')::text, (INTERVAL '1.5 days')::text, (INTERVAL '-00:30:00')::text, (INTERVAL '2 weeks' / 4)::text");
  await agree('SELECT s, sum(ts - ts2)::text, max(ts - ts2)::text, count(*) FROM t WHERE ts > ts2 GROUP BY s');
  await agree("SELECT date_trunc('day', ts + INTERVAL '12 hours') FROM t WHERE ts IS NOT NULL");
});

test('DISTINCT ON, VALUES as a table, generate_series', async () => {
  await agree('SELECT DISTINCT ON (s) s, id, i FROM t ORDER BY s, i DESC NULLS LAST, id', { keys: [0] });
  await agree('SELECT DISTINCT ON (b, s) b, s, ts FROM t WHERE ts IS NOT NULL ORDER BY b, s, ts DESC', { keys: [0, 1] });
  await agree("SELECT v.code, v.n * 2, t.id FROM (VALUES ('a', 1), ('abc', 2), (NULL, 3)) AS v(code, n) JOIN t ON t.s = v.code");
  await agree('SELECT column1, column2 FROM (VALUES (1, 2.5), (2, NULL)) AS v');
  await agree('SELECT n, n * n FROM generate_series(1, 10) AS g(n)');
  await agree('SELECT * FROM generate_series(10, 1, -3)');
  await agree("SELECT m, count(t.id) FROM generate_series(TIMESTAMP '2024-01-01', TIMESTAMP '2024-06-01', INTERVAL '1 month') AS g(m) LEFT JOIN t ON date_trunc('month', t.ts) = m GROUP BY m", {
    pg: "SELECT m, count(t.id) FROM generate_series(TIMESTAMPTZ '2024-01-01', TIMESTAMPTZ '2024-06-01', INTERVAL '1 month') AS g(m) LEFT JOIN t ON date_trunc('month', t.ts) = m GROUP BY m",
  });
});

test('a string literal beside a number takes the number type, as PostgreSQL reads an untyped literal', async () => {
  await agree("SELECT 2 * '3', 1.5 + '2', '10' / 4, 5000000000 + '1', ' 7 ' - 1, 2.5::float8 * '2'");
  await agree("SELECT id FROM t WHERE i > '10' OR d < '-1.5'");
  for (const [sql, reason, column] of [
    ["SELECT 1 + 'abc'", 'Invalid input syntax for type integer: "abc"', 12],
    ["SELECT 'abc' > 1", 'Invalid input syntax for type integer: "abc"', 8],
    ["SELECT 1 + '5000000000'", 'Value 5000000000 is out of range for type integer', 12],
    ["SELECT id FROM t WHERE i = '1.5'", 'Invalid input syntax for type integer: "1.5"', 28],
  ] as const) {
    await assert.rejects(runQuery(sql, catalog), (e: unknown) => e instanceof SqlError && e.reason === reason && e.column === column, sql);
    await assert.rejects(oracle.query(sql), (e: { position?: string }) => Number(e.position) === column, `PostgreSQL refuses ${sql} at the same place`);
  }
});

test('jsonb functions, containment and jsonb_agg over JSON text', async () => {
  await agree(
    "SELECT id, jsonb_typeof(meta), jsonb_typeof(meta->'n'), jsonb_array_length(meta->'tags'), jsonb_extract_path_text(meta, 'deep', 'x'), jsonb_extract_path(meta, 'deep'), meta @> '{\"segment\": \"smb\"}', '{\"tags\": [\"b\"]}' <@ meta, jsonb_strip_nulls(meta->'deep') FROM docs",
    { pg: "SELECT id, jsonb_typeof(meta), jsonb_typeof(meta->'n'), jsonb_array_length(meta->'tags'), jsonb_extract_path_text(meta, 'deep', 'x'), jsonb_extract_path(meta, 'deep')::text, meta @> '{\"segment\": \"smb\"}', '{\"tags\": [\"b\"]}' <@ meta, jsonb_strip_nulls(meta->'deep')::text FROM docs" },
  );
  await agree(
    "SELECT id, jsonb_build_object('id', id, 'seg', meta->>'segment', 'deep', meta->'deep', 'none', NULL), jsonb_build_array(id, meta->'tags', 'x'), to_jsonb(meta->>'segment'), to_jsonb(id * 1.5) FROM docs",
    { pg: "SELECT id, jsonb_build_object('id', id, 'seg', meta->>'segment', 'deep', meta->'deep', 'none', NULL)::text, jsonb_build_array(id, meta->'tags', 'x')::text, to_jsonb(meta->>'segment')::text, to_jsonb(id * 1.5)::text FROM docs" },
  );
  await agree("SELECT meta->>'segment' AS s, jsonb_array_length(jsonb_agg(id)), jsonb_array_length(jsonb_agg(meta)) FROM docs GROUP BY 1");
  await agree("SELECT jsonb_agg(meta), jsonb_agg(meta->'deep'), json_agg(id) FROM docs WHERE id = 9", {
    pg: "SELECT jsonb_agg(meta)::text, jsonb_agg(meta->'deep')::text, json_agg(id)::text FROM docs WHERE id = 9",
  });
  await agree(`SELECT '{"b": 2, "a": [1, {"c": null}]}'::jsonb, '{"b": 2}'::json`, { pg: `SELECT '{"b": 2, "a": [1, {"c": null}]}'::jsonb::text, '{"b": 2}'::json::text` });
});

test('set-returning jsonb_array_elements[_text], jsonb_object_keys and jsonb_each[_text] in the select list', async () => {
  await agree("SELECT id, jsonb_array_elements_text(meta->'tags') FROM docs");
  await agree("SELECT id, jsonb_array_elements(meta->'tags') FROM docs", { pg: "SELECT id, jsonb_array_elements(meta->'tags')::text FROM docs" });
  await agree("SELECT id, jsonb_object_keys(meta) FROM docs");
  await agree("SELECT id, (jsonb_each(meta)).key, (jsonb_each(meta)).value FROM docs", { pg: "SELECT id, (jsonb_each(meta)).key, (jsonb_each(meta)).value::text FROM docs" });
  await agree("SELECT id, (jsonb_each_text(meta->'deep')).value FROM docs");
  await agree("SELECT tag, count(*) FROM (SELECT jsonb_array_elements_text(meta->'tags') AS tag FROM docs) x GROUP BY tag");
  await agree(`SELECT jsonb_array_elements('[{"a": 1}, {"a": 2}, {"b": 3}]')->>'a'`);
});

test("an aggregate's own ORDER BY: string_agg, array_agg and jsonb_agg take their input in that order", async () => {
  const q1 = "SELECT string_agg(s, ',' ORDER BY s, id), string_agg(u, '|' ORDER BY id DESC) FILTER (WHERE i > 0), array_agg(i ORDER BY i NULLS FIRST, id) FROM t";
  await agree(q1, { pg: q1.replace('id) FROM t', 'id)::text FROM t') });
  const q2 = "SELECT i % 3 AS k, string_agg(s, '' ORDER BY d DESC NULLS LAST, id), array_agg(id ORDER BY ts, id) FROM t GROUP BY 1";
  await agree(q2, { pg: q2.replace('ts, id) FROM', 'ts, id)::text FROM') });
  await agree('SELECT jsonb_agg(id ORDER BY id DESC), jsonb_agg(meta ORDER BY id) FROM docs WHERE id < 12', { pg: 'SELECT jsonb_agg(id ORDER BY id DESC)::text, jsonb_agg(meta ORDER BY id)::text FROM docs WHERE id < 12' });
});
