// PostgreSQL's aggregates, window functions and GREATEST/LEAST, checked against PostgreSQL
// itself (PGlite) on the same generated rows.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQuery } from './support/engine-runner.js';
import { agreeWithPostgres, type AgreeOptions } from './support/pg-agree.js';
import { useStandardOracle } from './support/standard-oracle.js';

const fx = useStandardOracle(4242);

function agree(ours: string, options: AgreeOptions = {}): Promise<void> {
  return agreeWithPostgres(ours, fx.catalog, fx.oracle, options);
}

test('string_agg, array_agg, bool_and, bool_or and every, grouped and over no rows', async () => {
  await agree("SELECT string_agg(s, ', ') FROM (SELECT s FROM t ORDER BY id) x");
  await agree('SELECT b, string_agg(u, \'|\'), count(*) FROM (SELECT b, u FROM t ORDER BY id) x GROUP BY b');
  await agree('SELECT array_agg(i) FROM (SELECT i FROM t WHERE id <= 20 ORDER BY id) x', { pg: 'SELECT array_agg(i)::text FROM (SELECT i FROM t WHERE id <= 20 ORDER BY id) x' });
  await agree('SELECT array_agg(s) FROM (SELECT s FROM t WHERE id <= 20 ORDER BY id) x', { pg: 'SELECT array_agg(s)::text FROM (SELECT s FROM t WHERE id <= 20 ORDER BY id) x' });
  await agree('SELECT s, bool_and(b), bool_or(b), every(b) FROM t GROUP BY s');
  await agree('SELECT bool_and(b), bool_or(b), string_agg(s, \',\'), count(*) FROM t WHERE i > 1000');
});

test('GREATEST and LEAST ignore NULLs and compare numbers, text and timestamps', async () => {
  await agree('SELECT id, GREATEST(i, j), LEAST(i, j), GREATEST(d, e, i), LEAST(s, u), GREATEST(ts, ts2) FROM t');
  await agree('SELECT GREATEST(NULL, NULL) IS NULL, LEAST(3, NULL, 1)');
});

test('LAG, LEAD, FIRST_VALUE, LAST_VALUE and NTH_VALUE over the default frame', async () => {
  await agree('SELECT id, LAG(i) OVER (ORDER BY id), LEAD(i) OVER (ORDER BY id), LAG(i, 3, -1) OVER (ORDER BY id), LEAD(s, 2, \'none\') OVER (ORDER BY id) FROM t');
  await agree('SELECT id, LAG(j) OVER (PARTITION BY b ORDER BY id), LEAD(d, 1, 0) OVER (PARTITION BY b ORDER BY id) FROM t');
  await agree('SELECT id, FIRST_VALUE(i) OVER (PARTITION BY s ORDER BY id), LAST_VALUE(i) OVER (PARTITION BY s ORDER BY id), NTH_VALUE(i, 2) OVER (PARTITION BY s ORDER BY id) FROM t');
  // Without ORDER BY the frame is the whole partition; with peers it ends at the last peer.
  await agree('SELECT id, LAST_VALUE(id) OVER (PARTITION BY s), FIRST_VALUE(id) OVER (PARTITION BY s) FROM t', { pg: 'SELECT id, max(id) OVER (PARTITION BY s), min(id) OVER (PARTITION BY s) FROM t' });
  await agree('SELECT id, NTH_VALUE(j, 1) OVER (PARTITION BY b ORDER BY i NULLS FIRST) IS NOT NULL OR j IS NULL FROM t', {
    pg: 'SELECT id, NTH_VALUE(j, 1) OVER (PARTITION BY b ORDER BY i NULLS FIRST) IS NOT NULL OR j IS NULL FROM t',
  });
});

test('NTILE, PERCENT_RANK and CUME_DIST, with ties', async () => {
  await agree('SELECT id, NTILE(4) OVER (ORDER BY id), NTILE(7) OVER (PARTITION BY b ORDER BY id), NTILE(500) OVER (ORDER BY id) FROM t');
  await agree('SELECT id, PERCENT_RANK() OVER (ORDER BY i NULLS FIRST), CUME_DIST() OVER (ORDER BY i NULLS FIRST), PERCENT_RANK() OVER (PARTITION BY s ORDER BY j NULLS FIRST) FROM t');
});

test('window function arguments are checked where they are written', async () => {
  await assert.rejects(runQuery('SELECT NTILE(0) OVER (ORDER BY id) FROM t', fx.catalog), /NTILE's number of buckets must be a positive integer constant \(line 1, column 14\)/);
  await assert.rejects(runQuery('SELECT LAG(i, j) OVER (ORDER BY id) FROM t', fx.catalog), /LAG's offset must be a non-negative integer constant/);
  await assert.rejects(runQuery('SELECT string_agg(s) FROM t', fx.catalog), /STRING_AGG takes 2 arguments, got 1/);
  await assert.rejects(runQuery('SELECT string_agg(s, u) FROM t', fx.catalog), /STRING_AGG's argument here must be a constant \(line 1, column 22\)/);
});

test('window frames: ROWS and RANGE, running and sliding aggregates, value functions over the frame', async () => {
  await agree('SELECT id, sum(i) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), avg(d) OVER (ORDER BY id ROWS BETWEEN 6 PRECEDING AND CURRENT ROW), count(*) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) FROM t');
  await agree('SELECT id, sum(j) OVER (PARTITION BY b ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING), max(i) OVER (PARTITION BY s ORDER BY id ROWS 3 PRECEDING), min(i) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) FROM t');
  await agree('SELECT id, sum(i) OVER (ORDER BY j NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), count(*) OVER (ORDER BY j NULLS FIRST RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM t');
  await agree('SELECT id, first_value(i) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), last_value(i) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING), nth_value(i, 2) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM t');
  await agree('SELECT id, sum(i) OVER (ORDER BY id RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t');
  await assert.rejects(runQuery('SELECT sum(i) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND 1 PRECEDING) FROM t', fx.catalog), /The frame ends before it starts/);
});
