// NaN, Infinity and -Infinity, as numeric (PostgreSQL 14+) and as float8, checked against
// PostgreSQL (PGlite): input, text output, comparison and sorting (NaN equals NaN and sorts
// above everything), arithmetic, aggregates, grouping, casts and their errors.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Numeric } from '../src/engine/numeric.js';
import type { Catalog, Column, SqlValue } from '../src/engine/table.js';
import { asStatementError } from '../src/engine/index.js';
import { SqlError } from '../src/sql/errors.js';
import { catalogOf, memoryTable, runQuery } from './support/engine-runner.js';
import { PgOracle } from './support/pg-oracle.js';
import { agreeWithPostgres, type AgreeOptions } from './support/pg-agree.js';

describe('NaN and the infinities as Numeric values', () => {
  const n = (text: string): Numeric => Numeric.parse(text)!;

  test('read as PostgreSQL reads them, printed as it prints them', () => {
    for (const [input, printed] of [['NaN', 'NaN'], [' nan ', 'NaN'], ['Infinity', 'Infinity'], ['+inf', 'Infinity'], ['-Infinity', '-Infinity'], ['-INF', '-Infinity']]) {
      assert.equal(n(input!).toString(), printed, input);
    }
    for (const bad of ['-NaN', 'infinite', 'nan1']) assert.equal(Numeric.parse(bad), null, bad);
    assert.equal(Numeric.fromDouble(NaN), Numeric.NaN);
    assert.equal(Numeric.fromDouble(-Infinity), Numeric.NEGATIVE_INFINITY);
    assert.equal(Numeric.NaN.toNumber(), NaN);
    assert.equal(JSON.stringify({ v: Numeric.INFINITY }), '{"v":"Infinity"}');
  });

  test('arithmetic as numeric.c does it', () => {
    const cases: [string, string | null][] = [
      [String(n('Infinity').plus(n('1'))), 'Infinity'],
      [String(n('Infinity').minus(n('Infinity'))), 'NaN'],
      [String(n('-Infinity').plus(n('-Infinity'))), '-Infinity'],
      [String(n('Infinity').times(n('0'))), 'NaN'],
      [String(n('-Infinity').times(n('-0.5'))), 'Infinity'],
      [String(n('1').dividedBy(n('Infinity'))), '0'],
      [String(n('Infinity').dividedBy(n('-2'))), '-Infinity'],
      [String(n('Infinity').dividedBy(n('Infinity'))), 'NaN'],
      [String(n('Infinity').dividedBy(n('0'))), 'null'],
      [String(n('7').mod(n('Infinity'))), '7'],
      [String(n('Infinity').mod(n('7'))), 'NaN'],
      [String(n('NaN').plus(n('1'))), 'NaN'],
      [String(n('-Infinity').negated()), 'Infinity'],
      [String(n('-Infinity').abs()), 'Infinity'],
    ];
    for (const [got, expected] of cases) assert.equal(got, expected);
  });

  test('order: -Infinity < finite < Infinity < NaN, and NaN equals NaN', () => {
    const sorted = ['NaN', '1e100', 'Infinity', '-Infinity', '-1e100', 'NaN', '0'].map(n).sort((a, b) => a.compareTo(b));
    assert.deepEqual(sorted.map(String), ['-Infinity', '-10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000', '0', '10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000', 'Infinity', 'NaN', 'NaN']);
    assert.equal(n('NaN').compareTo(n('NaN')), 0);
    assert.equal(n('NaN').key(), Numeric.NaN.key());
  });
});

describe('against PostgreSQL (PGlite)', () => {
  let oracle: PgOracle;
  let catalog: Catalog;
  const columns: Column[] = [
    { name: 'id', type: 'Integer' },
    { name: 'n', type: 'Decimal' },
    { name: 'f', type: 'Double' },
  ];
  const numerics = ['NaN', 'Infinity', '-Infinity', '1.50', '-2', 'NaN', '0.001', 'Infinity', null];
  const doubles = ['NaN', '-Infinity', '2.5', 'Infinity', 'NaN', '-1', '0.5', null, '3'];
  const rows = numerics.map((text, i) => ({ id: i + 1, n: text, f: doubles[i]! }));

  before(async () => {
    const values: SqlValue[][] = rows.map((r) => [r.id, r.n === null ? null : Numeric.parse(r.n), r.f === null ? null : Number(r.f)]);
    catalog = catalogOf(memoryTable('specials', columns, values));
    oracle = await PgOracle.start();
    await oracle.exec('CREATE TABLE specials (id integer, n numeric, f double precision)');
    const text = (v: string | null): string => (v === null ? 'NULL' : `'${v}'`);
    await oracle.exec(`INSERT INTO specials VALUES ${rows.map((r) => `(${r.id}, ${text(r.n)}, ${text(r.f)})`).join(', ')}`);
  });
  after(async () => {
    await oracle.close();
  });

  const agree = (sql: string, options: AgreeOptions = {}): Promise<void> => agreeWithPostgres(sql, catalog, oracle, options);

  test('input and text output', async () => {
    await agree("SELECT 'NaN'::numeric, 'Infinity'::numeric, '-inf'::numeric, 'NaN'::float8, '-Infinity'::float8, 'inf'::float8");
    await agree('SELECT id, n, f, n::text, f::text FROM specials');
  });

  test('ORDER BY puts NaN above everything, ascending and descending, and with a LIMIT', async () => {
    await agree('SELECT id, n FROM specials ORDER BY n, id', { keys: [1, 0] });
    await agree('SELECT id, n FROM specials ORDER BY n DESC, id', { keys: [1, 0] });
    await agree('SELECT id, f FROM specials ORDER BY f NULLS FIRST, id', { keys: [1, 0] });
    await agree('SELECT id, f FROM specials ORDER BY f DESC, id LIMIT 3', { keys: [1, 0] });
  });

  test('comparisons: NaN = NaN, NaN above every value; equal infinities are equal', async () => {
    await agree("SELECT id FROM specials WHERE n = 'NaN'");
    await agree("SELECT id FROM specials WHERE f = 'NaN'::float8");
    await agree('SELECT id FROM specials WHERE n > 1e300');
    await agree('SELECT id FROM specials WHERE f < 1e300');
    await agree("SELECT id, n = n, n < 'Infinity'::numeric, f >= 'Infinity'::float8, f <> f, n > f FROM specials");
    await agree("SELECT id FROM specials WHERE n IN ('NaN', 1.5)");
    await agree("SELECT id FROM specials WHERE n BETWEEN '-Infinity' AND 0");
  });

  test('arithmetic', async () => {
    await agree('SELECT id, n + 1, n - n, n * 0, n * -2, n / 3, 1 / n, n % 3, 5 % n, -n, abs(n) FROM specials WHERE n <> 0');
    await agree('SELECT id, f + 1, f - f, f * 0, f / 2, -f, abs(f), n + f FROM specials');
  });

  test('aggregates and grouping', async () => {
    await agree('SELECT sum(n), avg(n), min(n), max(n), count(DISTINCT n), sum(f), avg(f), min(f), max(f), count(DISTINCT f) FROM specials');
    await agree('SELECT id % 3, sum(n), avg(n), max(f), min(f) FROM specials GROUP BY 1');
    await agree("SELECT sum(n), avg(n) FROM specials WHERE n <> 'NaN' AND n <> '-Infinity'");
    await agree('SELECT n, count(*) FROM specials GROUP BY n');
    await agree('SELECT f, count(*) FROM specials GROUP BY f');
    await agree('SELECT DISTINCT n FROM specials');
  });

  test('casts, rounding and the errors PostgreSQL raises', async () => {
    await agree('SELECT id, n::float8, f::numeric, round(n, 2), floor(n), ceil(n), sign(n), sign(f) FROM specials');
    await agree("SELECT id, n::numeric(10,2) FROM specials WHERE n IS NULL OR n = 'NaN' OR n BETWEEN -100 AND 100");
    for (const [sql, message] of [
      ["SELECT 'NaN'::numeric::int", /cannot convert NaN to/],
      ["SELECT 'Infinity'::numeric::bigint", /cannot convert infinity to/],
      ["SELECT 'Infinity'::numeric(5,2)", /numeric field overflow/],
      ["SELECT '-NaN'::numeric", /invalid input syntax for type numeric|Invalid input syntax for type NUMERIC/],
    ] as const) {
      await assert.rejects(oracle.query(sql), message, `PostgreSQL: ${sql}`);
      await assert.rejects(runQuery(sql, catalog).catch((e: unknown) => Promise.reject(asStatementError(e, sql))), (e: unknown) => e instanceof SqlError && message.test(e.reason), `ours: ${sql}`);
    }
  });
});
