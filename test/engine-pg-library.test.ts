// PostgreSQL's string and numeric function library (functions/pg-text.ts, pg-math.ts), each
// function checked against PostgreSQL itself (PGlite) over the same generated rows, NULLs
// included, and with the edge arguments PostgreSQL defines (negative positions, empty fills,
// out-of-range fields, numeric exactness).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planQuery, runQuery } from './support/engine-runner.js';
import type { QueryPlan } from '../src/engine/plan-types.js';
import { SqlError } from '../src/sql/errors.js';
import { agreeWithPostgres, type AgreeOptions } from './support/pg-agree.js';
import { useStandardOracle } from './support/standard-oracle.js';

const fx = useStandardOracle(9191);

const agree = (sql: string, options: AgreeOptions = {}): Promise<void> => agreeWithPostgres(sql, fx.catalog, fx.oracle, options);

test('strpos, split_part, lpad / rpad, initcap, reverse, repeat, btrim, translate', async () => {
  await agree("SELECT id, strpos(s, 'a'), split_part(s, ' ', 1), split_part(s, ' ', -1), split_part(s, 'a', 5), lpad(s, 12, '*-'), rpad(s, 3), lpad(s, 0), initcap(s), reverse(s), repeat(u, 2), btrim(s, 'ax'), translate(s, 'ae', 'E') FROM t");
  await agree("SELECT lpad('hi', 5), rpad('hi', 5, ''), repeat('ab', -1), initcap('hello wORLD-foo 9lives'), split_part('a,b,c', ',', 2), btrim('  x  '), strpos('héllo', 'l')");
});

test('starts_with, ascii, chr, character_length, octet_length, md5, to_hex', async () => {
  await agree("SELECT id, starts_with(s, 'a'), ascii(s), character_length(s), octet_length(s), md5(s), to_hex(i), to_hex(i * 1000) FROM t");
  await agree("SELECT chr(65), chr(9731), ascii('☃'), octet_length('☃'), md5(''), to_hex(255), to_hex(-1)");
});

test('concat_ws skips NULLs; quote_ident, quote_literal, quote_nullable and format', async () => {
  await agree("SELECT id, concat_ws('-', s, u, i), quote_literal(s), quote_nullable(u), format('%s=%L (%I)', s, u, coalesce(s, 'x')) FROM t");
  await agree("SELECT quote_ident('abc'), quote_ident('Abc'), quote_ident('a b'), quote_ident('x\"y'), quote_literal('it''s'), format('%2$s %1$s %%', 'a', 'b'), format('%s|%L', NULL, NULL), concat_ws(',', NULL, 'a', NULL, 'b')");
});

test('regexp_replace: first match, g for all, i, and \\1 groups', async () => {
  await agree("SELECT id, regexp_replace(s, '[aeiou]', '_'), regexp_replace(s, '[aeiou]', '_', 'g'), regexp_replace(s, '^(\\w)(\\w*)', '\\2\\1', 'g'), regexp_replace(s, 'A', 'x', 'gi') FROM t");
  await agree("SELECT regexp_replace('a.b.c', '\\.', '$', 'g'), regexp_replace('2024-03-05', '(\\d+)-(\\d+)-(\\d+)', '\\3/\\2/\\1')");
});

test('trunc, log, log10, cbrt, div, gcd, lcm, width_bucket, num_nulls, degrees and the trigonometric functions', async () => {
  await agree('SELECT id, trunc(d), trunc(d::numeric, 1), trunc(i), cbrt(d), div(i, 3), div(d::numeric, 2), gcd(i, 12), lcm(i, 4), width_bucket(d, -100, 100, 8), num_nulls(i, d, s), num_nonnulls(i, d, s) FROM t');
  await agree('SELECT id, log(abs(i) + 1), log10(abs(d) + 1), degrees(d), radians(d), sin(d), cos(d), atan2(d, i) FROM t');
  await agree('SELECT trunc(-5.57, 1), trunc(5.5), log(100), log(2, 8), log(10, 1000), width_bucket(5.35, 0.024, 10.06, 5), width_bucket(20, 10, 0, 4), gcd(-12, 18), lcm(0, 5)');
});

test('random() and gen_random_uuid() are new each row and never folded into a constant', async () => {
  const rows = await runQuery('SELECT random(), gen_random_uuid() FROM t WHERE id <= 20', fx.catalog);
  assert.equal(new Set(rows.map((r) => r[0])).size, 20);
  assert.equal(new Set(rows.map((r) => r[1])).size, 20);
  for (const [r, uuid] of rows) {
    assert.ok(typeof r === 'number' && r >= 0 && r < 1);
    assert.match(String(uuid), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  }
  // One plan run twice: a value folded while planning would repeat.
  const plan = planQuery('SELECT random(), gen_random_uuid()', fx.catalog);
  const [first, second] = [await collectRows(plan), await collectRows(plan)];
  assert.notDeepEqual(first, second);
});

async function collectRows(plan: QueryPlan): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const row of plan.rows({})) rows.push([...row]);
  return rows;
}

test("SQL's keyword forms: position(a IN b), substring(s FROM i FOR n), trim(BOTH | LEADING | TRAILING c FROM s)", async () => {
  await agree("SELECT id, position('a' IN s), substring(s FROM 2 FOR 3), substring(s FROM 3), substring(s FOR 2), trim(BOTH 'a' FROM s), trim(LEADING FROM s), trim(TRAILING ' ' FROM s), trim(FROM s) FROM t");
  await agree("SELECT position('lo' IN 'hello') * 10, substring('abcdef' FROM 2 FOR 3) || '!', trim(both 'x' from 'xaxx')");
});

test('a form from another dialect is refused with the spelling that works, at its position', async () => {
  for (const [sql, reason, column] of [
    ["SELECT IFNULL(s, 'x') FROM t", 'Unknown function IFNULL; write COALESCE(a, b)', 8],
    ["SELECT id FROM t WHERE ts > NOW() - INTERVAL 30 DAY", "Write the interval as a quoted string: INTERVAL '30 day'", 46],
    ['SELECT id FROM t LIMIT 5, 10', "MySQL's LIMIT offset, count is not supported; write LIMIT count OFFSET offset", 25],
    ['SELECT `id` FROM t', 'Unexpected character ` (a MySQL quote); quote names with double quotes: "Name"', 8],
    ["SELECT group_concat(s) FROM t", "Unknown function GROUP_CONCAT; write string_agg(x, ',')", 8],
    ["SELECT DATE_FORMAT(ts, '%Y') FROM t", "Unknown function DATE_FORMAT; write to_char(ts, 'YYYY-MM-DD')", 8],
  ] as const) {
    await assert.rejects(runQuery(sql, fx.catalog), (e: unknown) => e instanceof SqlError && e.reason === reason && e.column === column, sql);
  }
});

test('make_date, make_timestamp, make_interval, age, date_bin, justify_*, isfinite and type names called as casts', async () => {
  await agree("SELECT id, age(ts, ts2), age(ts2, ts), date_bin(INTERVAL '15 minutes', ts, TIMESTAMPTZ '2001-01-01 00:00+00'), date_bin(INTERVAL '7 days', ts, TIMESTAMPTZ '2024-01-01 00:00+00'), isfinite(ts), date(ts), justify_hours(ts - ts2), justify_interval(ts - ts2) FROM t");
  await agree("SELECT make_date(2024, 2, 29), make_timestamp(2024, 3, 5, 13, 45, 30.5), make_interval(1, 2, 1, 3, 4, 5, 6.5), age(TIMESTAMP '2024-03-31 10:00', TIMESTAMP '2023-01-31 12:30'), age(TIMESTAMP '2024-02-29', TIMESTAMP '2023-03-31'), justify_days(INTERVAL '65 days'), justify_hours(INTERVAL '-50 hours 10 minutes'), int8(7) * 2, text(42) || '!'");
  const [[today]] = await runQuery("SELECT age(CURRENT_DATE - 400) = age(now()::date, CURRENT_DATE - 400)", fx.catalog) as unknown[][];
  assert.equal(today, true);
});

test('AT TIME ZONE and timezone(): the wall clock in a zone, DST included, and POSIX offsets', async () => {
  await agree("SELECT id, to_char(ts AT TIME ZONE 'America/New_York', 'YYYY-MM-DD HH24:MI:SS'), to_char(timezone('Asia/Kolkata', ts), 'YYYY-MM-DD HH24:MI'), to_char(ts AT TIME ZONE '+05', 'HH24:MI'), date_trunc('day', ts AT TIME ZONE 'Europe/Paris') = date_trunc('day', ts AT TIME ZONE 'Europe/Paris') FROM t WHERE ts IS NOT NULL");
  await agree("SELECT to_char(TIMESTAMPTZ '2024-03-10 06:59:59+00' AT TIME ZONE 'America/New_York', 'HH24:MI:SS'), to_char(TIMESTAMPTZ '2024-03-10 07:00:00+00' AT TIME ZONE 'America/New_York', 'HH24:MI:SS')");
});
