// Window frames with offsets, checked against PostgreSQL itself (PGlite) on the same rows:
// RANGE over numbers, timestamps and dates (with NULL keys, DESC, NULLS FIRST), GROUPS, and
// EXCLUDE CURRENT ROW | GROUP | TIES; and PostgreSQL's refusals, each a SqlError at the offset.
// The ORDER BY keys have ties on purpose; functions that would read a tie's arbitrary order
// (FIRST_VALUE of a peer group) are asked only where the order is total.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqlError } from '../src/sql/errors.js';
import { catalogOf, memoryTable, planQuery, runQuery } from './support/engine-runner.js';
import { agreeWithPostgres } from './support/pg-agree.js';
import { useStandardOracle } from './support/standard-oracle.js';

const fx = useStandardOracle(777);

const agree = (sql: string): Promise<void> => agreeWithPostgres(sql, fx.catalog, fx.oracle);

test('RANGE with numeric offsets: around, before and after the key, ascending and descending, NULL keys first or last', async () => {
  await agree('SELECT id, sum(i) OVER (ORDER BY j RANGE BETWEEN 10 PRECEDING AND 10 FOLLOWING), count(*) OVER (ORDER BY j RANGE 5 PRECEDING) FROM t');
  await agree('SELECT id, count(*) OVER (ORDER BY j DESC RANGE BETWEEN 10 PRECEDING AND 5 FOLLOWING), sum(i) OVER (ORDER BY j NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND 5 PRECEDING) FROM t');
  await agree('SELECT id, count(*) OVER (ORDER BY j DESC NULLS LAST RANGE BETWEEN 3 FOLLOWING AND UNBOUNDED FOLLOWING), count(*) OVER (ORDER BY j RANGE BETWEEN 3 FOLLOWING AND UNBOUNDED FOLLOWING) FROM t');
  await agree('SELECT id, avg(d) OVER (ORDER BY d RANGE BETWEEN 2.5 PRECEDING AND 2.5 FOLLOWING), sum(d) OVER (PARTITION BY b ORDER BY d DESC RANGE BETWEEN 0.5 FOLLOWING AND 20 FOLLOWING) FROM t');
  await agree('SELECT id, max(i) OVER (ORDER BY j RANGE BETWEEN 0 PRECEDING AND 0 FOLLOWING), min(j) OVER (ORDER BY j RANGE BETWEEN 20 PRECEDING AND 10 PRECEDING) FROM t');
});

test("RANGE over timestamps and dates takes an interval: the last 30 days, a week of dates", async () => {
  await agree("SELECT id, count(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '30 days' PRECEDING AND CURRENT ROW), sum(i) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1 month' PRECEDING AND INTERVAL '1 month' FOLLOWING) FROM t");
  await agree("SELECT id, max(i) OVER (PARTITION BY b ORDER BY ts DESC RANGE BETWEEN INTERVAL '1 month' PRECEDING AND INTERVAL '7 days' FOLLOWING) FROM t");
  await agree("SELECT id, count(*) OVER (ORDER BY ts::date RANGE BETWEEN INTERVAL '7 days' PRECEDING AND CURRENT ROW), count(*) OVER (ORDER BY ts::date DESC RANGE BETWEEN INTERVAL '1 month' PRECEDING AND INTERVAL '1 day' PRECEDING) FROM t");
});

test('GROUPS counts peer groups; EXCLUDE CURRENT ROW, GROUP, TIES and NO OTHERS', async () => {
  await agree('SELECT id, sum(i) OVER (ORDER BY j GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING), count(*) OVER (ORDER BY s GROUPS 2 PRECEDING), max(id) OVER (ORDER BY j GROUPS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) FROM t');
  await agree('SELECT id, sum(i) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW), sum(i) OVER (ORDER BY j RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE GROUP), count(*) OVER (ORDER BY s GROUPS BETWEEN CURRENT ROW AND 1 FOLLOWING EXCLUDE TIES), sum(i) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING EXCLUDE NO OTHERS) FROM t');
  await agree('SELECT id, count(*) OVER (ORDER BY j RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE CURRENT ROW), sum(i) OVER (ORDER BY j RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE TIES), min(id) OVER (ORDER BY j RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE GROUP) FROM t');
  await agree('SELECT id, first_value(id) OVER w5, last_value(id) OVER w5, nth_value(id, 2) OVER w5 FROM t'.replaceAll('OVER w5', 'OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE CURRENT ROW)'));
  await agree('SELECT id, first_value(j) OVER (ORDER BY j RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING EXCLUDE GROUP), last_value(j) OVER (ORDER BY j RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING EXCLUDE GROUP) FROM t');
});

test('EXPLAIN writes the frame back with its offsets and exclusion', () => {
  const plan = planQuery("SELECT count(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '7 days' PRECEDING AND CURRENT ROW EXCLUDE TIES) FROM t", fx.catalog);
  assert.match(plan.explain().join('\n'), /RANGE BETWEEN INTERVAL '7 days' PRECEDING AND CURRENT ROW EXCLUDE TIES/);
});

test("PostgreSQL's refusals: one ORDER BY key for RANGE offsets, offsets of the key's kind, constant, not NULL, not negative; GROUPS needs ORDER BY", async () => {
  const refusals: [string, RegExp, number][] = [
    ['SELECT sum(i) OVER (ORDER BY j, i RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t', /needs exactly one ORDER BY key/, 49],
    ['SELECT sum(i) OVER (RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t', /needs exactly one ORDER BY key/, 35],
    ['SELECT sum(i) OVER (ORDER BY s RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t', /not supported for a String key/, 46],
    ['SELECT sum(i) OVER (ORDER BY ts RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t', /takes an interval offset/, 47],
    ["SELECT sum(i) OVER (ORDER BY j RANGE BETWEEN INTERVAL '1 day' PRECEDING AND CURRENT ROW) FROM t", /takes a numeric offset/, 46],
    ['SELECT sum(i) OVER (ORDER BY j RANGE BETWEEN -1 PRECEDING AND CURRENT ROW) FROM t', /start offset must not be negative/, 46],
    ['SELECT sum(i) OVER (ORDER BY j ROWS BETWEEN CURRENT ROW AND -1 FOLLOWING) FROM t', /end offset must not be negative/, 61],
    ['SELECT sum(i) OVER (ORDER BY j ROWS BETWEEN i PRECEDING AND CURRENT ROW) FROM t', /must be a constant/, 45],
    ['SELECT sum(i) OVER (ORDER BY j ROWS BETWEEN NULL PRECEDING AND CURRENT ROW) FROM t', /must not be NULL/, 45],
    ['SELECT sum(i) OVER (GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t', /GROUPS needs ORDER BY/, 21],
    ['SELECT sum(i) OVER (ORDER BY j ROWS BETWEEN 1 FOLLOWING AND 1 PRECEDING) FROM t', /The frame ends before it starts/, 61],
  ];
  for (const [sql, message, column] of refusals) {
    await assert.rejects(runQuery(sql, fx.catalog), (e: unknown) => e instanceof SqlError && message.test(e.message) && e.column === column, sql);
    await assert.rejects(fx.oracle.query(sql), Error, `PostgreSQL refuses ${sql} too`);
  }
});

test('sliding frames (one step per row) agree with PostgreSQL: SUM, COUNT, AVG of integers, doubles and numerics of mixed scale, NULLs in and out of the frame', async () => {
  // Numerics of scale 3, 1 and 0: a sum's scale is the largest among the values in the frame.
  const mixed = 'CASE WHEN j > 50 THEN i * 0.125 WHEN j > 0 THEN i * 0.5 ELSE i::numeric END';
  await agree(`SELECT id, sum(i) OVER w, count(i) OVER w, count(*) OVER w, avg(i) OVER w, sum(d) OVER w, avg(d) OVER w, sum(${mixed}) OVER w, avg(${mixed}) OVER w FROM t WINDOW w AS (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING)`.replaceAll('OVER w', 'OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING)').replace(/ WINDOW w AS \(.*\)$/, ''));
  await agree(`SELECT id, sum(${mixed}) OVER (ORDER BY j RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING), avg(d) OVER (PARTITION BY b ORDER BY j DESC RANGE BETWEEN 10 PRECEDING AND 2 PRECEDING), count(s) OVER (ORDER BY j GROUPS BETWEEN 2 PRECEDING AND 1 PRECEDING) FROM t`);
  await agree("SELECT id, sum(i) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '30 days' PRECEDING AND CURRENT ROW), avg(e) OVER (ORDER BY ts2 NULLS FIRST RANGE BETWEEN INTERVAL '10 days' PRECEDING AND INTERVAL '10 days' FOLLOWING) FROM t");
  await agree(`SELECT id, sum(${mixed}) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE CURRENT ROW), avg(i) OVER (ORDER BY j RANGE BETWEEN 3 PRECEDING AND 3 FOLLOWING EXCLUDE GROUP), count(d) OVER (ORDER BY s GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES) FROM t`);
});

test('sliding MIN and MAX (a monotonic queue) agree with PostgreSQL over numbers, text, timestamps and NULLs; with EXCLUDE they fold each frame', async () => {
  await agree('SELECT id, min(i) OVER (ORDER BY id ROWS BETWEEN 4 PRECEDING AND 1 FOLLOWING), max(d) OVER (ORDER BY id ROWS BETWEEN 2 FOLLOWING AND 6 FOLLOWING), max(s) OVER (ORDER BY j RANGE BETWEEN 7 PRECEDING AND 7 FOLLOWING), min(ts) OVER (PARTITION BY b ORDER BY i GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM t');
  await agree("SELECT id, max(i) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '7 days' PRECEDING AND CURRENT ROW), min(s) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING EXCLUDE CURRENT ROW) FROM t");
});

test('a sliding frame over doubles stays within a rounding of a fresh sum after thousands of rows have passed through it', async () => {
  const values = Array.from({ length: 5000 }, (_, k) => [k, k % 7 === 0 ? 1e12 : (k % 13) / 10 + 0.1] as const);
  const doubles = catalogOf(memoryTable('v', [{ name: 'k', type: 'Integer' }, { name: 'x', type: 'Double' }], values.map((v) => [...v])));
  const rows = await runQuery('SELECT k, sum(x) OVER (ORDER BY k ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) FROM v', doubles);
  for (const [k, sum] of rows) {
    const fresh = values.slice(Math.max(0, Number(k) - 5), Number(k) + 1).reduce((a, [, x]) => a + x, 0);
    assert.ok(Math.abs(Number(sum) - fresh) <= 1e-15 * Math.max(1, Math.abs(fresh)) * 8, `row ${k}: ${sum} against ${fresh}`);
  }
});

test('a sliding SUM and AVG of doubles through Infinity, -Infinity and NaN agree with PostgreSQL once those rows have left the frame', async () => {
  const values = [1, Infinity, 2.5, -Infinity, 3, NaN, 4, 5, null, 6, Infinity, 7, 8];
  const special = catalogOf(memoryTable('f', [{ name: 'k', type: 'Integer' }, { name: 'x', type: 'Double' }], values.map((x, k) => [k, x])));
  await fx.oracle.exec(`CREATE TABLE f (k int, x float8); INSERT INTO f VALUES ${values.map((x, k) => `(${k}, ${x === null ? 'NULL' : `'${x}'::float8`})`).join(', ')}`);
  const sql = 'SELECT k, sum(x) OVER (ORDER BY k ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), avg(x) OVER (ORDER BY k ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), sum(x) OVER (ORDER BY k ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) FROM f';
  const ours = await runQuery(sql, special);
  const theirs = await fx.oracle.query(sql);
  const text = (rows: readonly (readonly unknown[])[]) => rows.map((r) => r.map(String).join(' ')).sort();
  assert.deepEqual(text(ours), text(theirs));
});
