// PostgreSQL's date type, checked against PostgreSQL itself (PGlite) on the same rows: casts
// both ways, DATE literals and CURRENT_DATE, date − date in days, date ± integer, date ±
// interval (a timestamp), comparisons with timestamps, EXTRACT / date_part / to_char /
// date_trunc of a date, GROUP BY and ORDER BY of days. Each result's columns must also have
// PostgreSQL's types: a date where it gives a date, a timestamp where it gives one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataType } from '../src/engine/table.js';
import { SqlError } from '../src/sql/errors.js';
import { planQuery, runQuery } from './support/engine-runner.js';
import { agreeWithPostgres, type AgreeOptions } from './support/pg-agree.js';
import { useStandardOracle } from './support/standard-oracle.js';

const fx = useStandardOracle(4242);

const DATE_OID = 1082;
const TIMESTAMP_OIDS = [1114, 1184];
const INTEGER_OID = 23;
const NUMERIC_OID = 1700;
const DOUBLE_OID = 701;

/** Our column type for what PostgreSQL's OID says, where the two must match exactly. */
function expectedType(oid: number): DataType | undefined {
  if (oid === DATE_OID) return 'Date';
  if (TIMESTAMP_OIDS.includes(oid)) return 'Datetime';
  if (oid === INTEGER_OID) return 'Integer';
  if (oid === NUMERIC_OID) return 'Decimal';
  if (oid === DOUBLE_OID) return 'Double';
  return undefined;
}

/** The same rows as PostgreSQL, and a Date column exactly where PostgreSQL's is a date (a Datetime where a timestamp). */
async function agree(ours: string, options: AgreeOptions = {}): Promise<void> {
  await agreeWithPostgres(ours, fx.catalog, fx.oracle, options);
  const mine = planQuery(ours, fx.catalog).columns.map((c) => c.type);
  const theirs = (await fx.oracle.columnTypes(options.pg ?? ours)).map((oid, i) => expectedType(oid) ?? mine[i]);
  assert.deepEqual(mine, theirs, `${ours}: column types`);
}

test('casts to date and back, DATE literals, and a date as text', async () => {
  await agree("SELECT DATE '2024-03-05', CAST('2024-03-05 13:45' AS date), '2024-02-29'::date, (DATE '2024-03-05')::text");
  await agree('SELECT id, ts::date, CAST(ts AS DATE), (ts::date)::text, (ts::date)::timestamptz, ts::date::varchar FROM t', {
    pg: 'SELECT id, ts::date, CAST(ts AS DATE), (ts::date)::text, (ts::date)::timestamptz, ts::date::varchar FROM t',
  });
  await agree("SELECT id, 'day ' || ts::date, ts::date || '!' FROM t WHERE ts IS NOT NULL");
});

test("timestamps with an offset as PostgreSQL writes it (+00, -05, +05:30, +0530) or UTC", async () => {
  await agree("SELECT TIMESTAMPTZ '2024-01-11 15:11:14+00', '2024-01-11 15:11:14.25-05'::timestamptz, '2024-01-11 15:11:14+05:30'::timestamptz, '2024-01-11 15:11:14+0530'::timestamptz, '2024-01-11 15:11:14 UTC'::timestamptz");
  await agree("SELECT id FROM t WHERE ts > '2024-06-01 00:00:00+02' AND ts < '2024-09-01 00:00:00-07'");
});

test('date arithmetic: date − date in days, date ± integer, date ± interval, date − timestamp', async () => {
  await agree("SELECT DATE '2024-03-05' - DATE '2024-01-01', DATE '2024-03-05' + 7, 7 + DATE '2024-03-05', DATE '2024-03-01' - 1, DATE '2024-03-05' - '2024-03-01'");
  await agree('SELECT id, ts::date - ts2::date, ts::date + 30, ts::date - i FROM t');
  await agree("SELECT id, ts::date + INTERVAL '1 month', ts::date - INTERVAL '36 hours', INTERVAL '1 day' + ts::date FROM t");
  await agree("SELECT id, (ts::date - ts2)::text, (ts - ts2::date)::text FROM t");
  await agree("SELECT DATE '2024-01-31' + INTERVAL '1 month', (DATE '2024-03-05' + 1)::text");
});

test('dates compare with dates, timestamps and text; CURRENT_DATE is today', async () => {
  await agree("SELECT id FROM t WHERE ts::date = ts2::date OR ts::date BETWEEN DATE '2024-02-01' AND DATE '2024-02-10'");
  await agree("SELECT id, ts::date < ts2, ts::date >= ts2, ts::date = date_trunc('day', ts) FROM t");
  await agree("SELECT id FROM t WHERE ts >= DATE '2024-06-01' AND ts::date <= '2024-09-30'");
  await agree("SELECT id FROM t WHERE ts::date > TIMESTAMP '2024-06-01 12:00' AND ts::date < TIMESTAMP '2024-07-01 00:00:01'");
  // Text beside a date is read as a date, its time of day dropped.
  await agree("SELECT id, ts::date < '2024-06-03 12:00', ts::date = '2024-06-03 23:59' FROM t");
  await agree("SELECT id FROM t WHERE ts::date BETWEEN '2024-02-01 23:00' AND '2024-02-10 01:00' OR ts::date = '2024-06-03 10:00'");
  await agree('SELECT CURRENT_DATE = now()::date, CURRENT_DATE - 1 < CURRENT_DATE, CURRENT_DATE + 1 > now(), (CURRENT_DATE)::text = to_char(now(), \'YYYY-MM-DD\')');
});

test('EXTRACT, date_part, to_char and date_trunc of a date', async () => {
  await agree("SELECT id, EXTRACT(year FROM ts::date), EXTRACT(dow FROM ts::date), EXTRACT(doy FROM ts::date), EXTRACT(week FROM ts::date), EXTRACT(epoch FROM ts::date), date_part('day', ts::date), date_part('quarter', ts::date) FROM t");
  await agree("SELECT id, to_char(ts::date, 'YYYY-MM-DD'), to_char(ts::date, 'FMMonth DD, YYYY'), to_char(ts::date, 'Dy IW HH24:MI') FROM t");
  await agree("SELECT id, date_trunc('month', ts::date), date_trunc('week', ts::date), date_trunc('year', ts::date)::date FROM t");
});

test('EXTRACT is a numeric with PostgreSQL\'s scale (microseconds for seconds and epoch of a timestamp), date_part a double', async () => {
  await agree("SELECT id, EXTRACT(second FROM ts), EXTRACT(epoch FROM ts), EXTRACT(millisecond FROM ts), EXTRACT(microseconds FROM ts), EXTRACT(minute FROM ts), EXTRACT(isodow FROM ts) FROM t");
  await agree("SELECT EXTRACT(second FROM TIMESTAMP '2024-01-02 03:04:05.25'), EXTRACT(epoch FROM DATE '2024-01-02'), EXTRACT(epoch FROM INTERVAL '1 day 2 hours 0.5 seconds'), EXTRACT(second FROM INTERVAL '90 seconds'), EXTRACT(year FROM INTERVAL '14 months')");
  await agree("SELECT id, date_part('second', ts), date_part('epoch', ts), date_part('epoch', ts::date) FROM t");
  await agree('SELECT EXTRACT(year FROM ts) AS y, count(*) FROM t GROUP BY 1 ORDER BY 1', { keys: [0] });
});

test('EXTRACT refuses, at the call, a unit its source has not: hours of a date, the weekday of an interval, an unknown unit', async () => {
  for (const [sql, message] of [
    ['SELECT EXTRACT(hour FROM ts::date) FROM t', 'unit "hour" not supported for type date'],
    ["SELECT EXTRACT(dow FROM INTERVAL '1 day')", 'unit "dow" not supported for type interval'],
    ['SELECT EXTRACT(fortnight FROM ts) FROM t', 'unit "fortnight" not recognized for type timestamp with time zone'],
  ] as const) {
    await assert.rejects(runQuery(sql, fx.catalog), (e: unknown) => e instanceof SqlError && e.message.startsWith(message) && e.column === 8, sql);
    await assert.rejects(fx.oracle.query(sql), (e: Error) => e.message === message, `PostgreSQL refuses ${sql} too`);
  }
});

test('GROUP BY and ORDER BY days; aggregates, windows and UNION of dates', async () => {
  await agree("SELECT date_trunc('month', ts)::date AS m, count(*) FROM t WHERE ts IS NOT NULL GROUP BY 1 ORDER BY 1", { keys: [0] });
  await agree('SELECT ts::date AS day, count(*) FROM t GROUP BY 1 ORDER BY 1 DESC NULLS LAST', { keys: [0] });
  await agree('SELECT min(ts::date), max(ts::date), count(DISTINCT ts::date), max(ts::date) - min(ts::date) FROM t');
  await agree('SELECT id, ts::date - lag(ts::date) OVER (ORDER BY ts, id) FROM t WHERE ts IS NOT NULL');
  await agree('SELECT ts::date FROM t WHERE i > 10 UNION SELECT ts2::date FROM t WHERE i < -10');
  await agree('SELECT id, COALESCE(ts::date, ts2), CASE WHEN i > 0 THEN ts::date ELSE ts2 END FROM t');
  await agree("SELECT d FROM generate_series(DATE '2024-01-31', DATE '2024-06-01', INTERVAL '1 month') AS g(d)");
});

test("a timestamp as text is PostgreSQL's: `2024-01-02 03:04:05+00`, the fraction only when there is one", async () => {
  await agree("SELECT id, ts::text, CAST(ts AS varchar), 'at ' || ts, ts || '!', ts::date || ' ' || ts FROM t WHERE ts IS NOT NULL");
  await agree("SELECT TIMESTAMPTZ '2024-01-02 03:04:05.25+00'::text, TIMESTAMPTZ '2024-01-02 03:04:05.123+00'::text, 'x' || TIMESTAMPTZ '2024-01-02 00:00:00+00', (TIMESTAMPTZ '2024-01-02 03:04:05+00' + INTERVAL '0.5 seconds')::text");
  await agree("SELECT id, string_agg(ts::text, ', '), min(ts)::text, max(ts) || '' FROM t WHERE ts IS NOT NULL GROUP BY id");
});

test("date + a string literal is ambiguous, as PostgreSQL says, at the operator; date − a string literal reads it as a date", async () => {
  for (const [sql, message, column] of [
    ["SELECT DATE '2024-01-02' + '1 day'", /^Operator is not unique: date \+ unknown/, 26],
    ["SELECT '1' + DATE '2024-01-02'", /^Operator is not unique: unknown \+ date/, 12],
    ["SELECT id, ts::date + '1' FROM t", /^Operator is not unique: date \+ unknown/, 21],
    ["SELECT DATE '2024-01-02' - '1 day'", /^Invalid input syntax for type date: "1 day"/, 28],
  ] as const) {
    await assert.rejects(runQuery(sql, fx.catalog), (e: unknown) => e instanceof SqlError && message.test(e.message) && e.column === column, sql);
    await assert.rejects(fx.oracle.query(sql), (e: Error & { position?: string }) => Number(e.position) === column, `PostgreSQL refuses ${sql} at ${column} too`);
  }
  await agree("SELECT id, ts::date - '2024-01-01', ts::date + INTERVAL '1 day', ts::date + 1 FROM t");
});

test('date errors: no date from a number, no date + date, date * n, bad text', async () => {
  const refuse = async (sql: string, message: RegExp): Promise<void> => {
    await assert.rejects(runQuery(sql, fx.catalog), (e: unknown) => e instanceof SqlError && message.test(e.message), sql);
    await assert.rejects(fx.oracle.query(sql), Error, `PostgreSQL refuses ${sql} too`);
  };
  await refuse('SELECT d::date FROM t', /Cannot cast Double to DATE/);
  await refuse("SELECT DATE '2024-03-05' + DATE '2024-03-05'", /Operator \+ cannot be applied to Date/);
  await refuse("SELECT DATE '2024-03-05' * 2", /Operator \* cannot be applied to Date/);
  await refuse("SELECT DATE '2024-02-30'", /Invalid input syntax for type DATE: "2024-02-30"/);
});
