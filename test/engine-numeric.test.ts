// Exact numbers, checked against PostgreSQL (PGlite) digit for digit: a numeric result must
// print as PostgreSQL prints it (every digit and the scale), a bigint must be exact past 2^53
// and out of range past 2^63. Arithmetic, SUM/AVG, casts, rounding, comparisons mixing
// integer, numeric and double, ORDER BY, GROUP BY and joins on numeric keys.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Numeric } from '../src/engine/numeric.js';
import type { Catalog, Column, SqlValue } from '../src/engine/table.js';
import { SqlError } from '../src/sql/errors.js';
import { asStatementError, planStatement, Session } from '../src/engine/index.js';
import { parse } from '../src/sql/parser.js';
import { catalogOf, memoryTable, runQuery, scalar } from './support/engine-runner.js';
import { PgOracle } from './support/pg-oracle.js';
import { agreeWithPostgres, type AgreeOptions } from './support/pg-agree.js';

describe('Numeric, the value', () => {
  const n = (text: string): Numeric => Numeric.parse(text)!;

  test('reads PostgreSQL numeric text and prints every digit with its scale', () => {
    for (const [input, printed] of [
      ['0.1', '0.1'], ['1.50', '1.50'], ['-0.005', '-0.005'], ['12345678901234567890.123456789012', '12345678901234567890.123456789012'],
      ['1e3', '1000'], ['1.5e-3', '0.0015'], ['  +7. ', '7'], ['.25', '0.25'], ['-0', '0'],
    ]) {
      assert.equal(n(input!).toString(), printed, input);
    }
    for (const bad of ['', '.', 'abc', '1.2.3', '1e', '--1']) assert.equal(Numeric.parse(bad), null, bad);
  });

  test('+ - * are exact, with the larger scale (sum) or both scales (product)', () => {
    assert.equal(n('0.1').plus(n('0.2')).toString(), '0.3');
    assert.equal(n('1.50').plus(n('1')).toString(), '2.50');
    assert.equal(n('1').minus(n('0.999999999999999999999')).toString(), '0.000000000000000000001');
    assert.equal(n('2.5').times(n('1.25')).toString(), '3.125');
    assert.equal(n('99999999999999999999').times(n('99999999999999999999')).toString(), '9999999999999999999800000000000000000001');
  });

  test('division rounds half away from zero at select_div_scale', () => {
    assert.equal(n('1').dividedBy(n('3'))!.toString(), '0.33333333333333333333');
    assert.equal(n('2').dividedBy(n('3'))!.toString(), '0.66666666666666666667');
    assert.equal(n('10.0').dividedBy(n('4'))!.toString(), '2.5000000000000000');
    assert.equal(n('123456789').dividedBy(n('0.001'))!.toString(), '123456789000.00000000');
    assert.equal(n('1').dividedBy(n('0')), null);
  });

  test('rounds half away from zero, compares by value whatever the scale', () => {
    assert.equal(n('2.675').round(2).toString(), '2.68');
    assert.equal(n('-2.5').round(0).toString(), '-3');
    assert.equal(n('1250').round(-2).toString(), '1300');
    assert.equal(n('1.5').round(3).toString(), '1.500');
    assert.equal(n('1.0').compareTo(n('1.000')), 0);
    assert.equal(n('-0.1').compareTo(n('0.01')), -1);
    assert.equal(n('1.0').key(), n('1.000').key());
  });
});

describe('literals and bigint in the engine', () => {
  test('0.1 + 0.2 = 0.3, as PostgreSQL reads unadorned decimal literals', async () => {
    assert.equal(await scalar('0.1 + 0.2 = 0.3'), true);
    assert.equal(String(await scalar('0.1 + 0.2')), '0.3');
    assert.equal(await scalar('0.1::float8 + 0.2 = 0.3'), false);
  });

  test('bigint is exact to 2^63 - 1 and an error past it, at the operator', async () => {
    assert.equal(await scalar('9223372036854775806 + 1'), 9223372036854775807n);
    assert.equal(await scalar('9007199254740993 - 0'), 9007199254740993n);
    assert.equal(await scalar('9007199254740993 - 2'), 9007199254740991);
    assert.equal(await scalar("'9223372036854775807'::bigint"), 9223372036854775807n);
    // The engine raises ValueOutOfRange at the expression; the statement's edge makes it a SqlError there.
    for (const [expression, column] of [['9223372036854775807 + 1', 8], ['4611686018427387904 * 2', 8], ['-(-9223372036854775807 - 1)', 8]] as const) {
      const sql = `SELECT ${expression}`;
      await assert.rejects(runQuery(sql, catalogOf()), (e: unknown) => {
        const error = asStatementError(e, sql);
        return error instanceof SqlError && error.reason === 'bigint out of range' && error.column === column;
      }, expression);
    }
    await assert.rejects(runQuery("SELECT '9223372036854775808'::bigint", catalogOf()), /out of range for type BIGINT/);
  });

  test('numeric(p,s) rounds to its scale and refuses a value too wide for its precision', async () => {
    assert.equal(String(await scalar('123.455::numeric(5,2)')), '123.46');
    await assert.rejects(runQuery('SELECT 123.456::numeric(4,2)', catalogOf()), (e: unknown) => e instanceof SqlError && /^numeric field overflow/.test(e.reason));
  });
});

test('a temporary table stores DECIMAL(p,s) at its scale and refuses a value too wide, on INSERT and UPDATE', async () => {
  const session = new Session();
  const run = async (sql: string): Promise<unknown> => {
    const plan = planStatement(parse(sql), sql, catalogOf(), undefined, session);
    if (plan.kind === 'write') return (await plan.execute({})).rowsAffected;
    const rows: SqlValue[][] = [];
    for await (const row of plan.rows({})) rows.push(row);
    return rows.map((row) => row.map(String));
  };
  await run('CREATE TEMP TABLE prices (id INT, amount NUMERIC(10,2))');
  await run('INSERT INTO prices VALUES (1, 0.5), (2, 1.005), (3, 2)');
  assert.deepEqual(await run('SELECT id, amount FROM prices ORDER BY id'), [['1', '0.50'], ['2', '1.01'], ['3', '2.00']]);
  await run('UPDATE prices SET amount = amount / 3 WHERE id = 3');
  assert.deepEqual(await run('SELECT amount FROM prices WHERE id = 3'), [['0.67']]);
  const overflow = (e: unknown): boolean => {
    const error = asStatementError(e, '');
    return error instanceof SqlError && /numeric field overflow/.test(error.reason);
  };
  await assert.rejects(run('INSERT INTO prices VALUES (4, 123456789.123)'), overflow);
  await assert.rejects(run('UPDATE prices SET amount = amount * 100000000'), overflow);
  assert.deepEqual(await run('SELECT id, amount FROM prices ORDER BY id'), [['1', '0.50'], ['2', '1.01'], ['3', '0.67']], 'nothing changed by the refused statements');
});

describe('against PostgreSQL (PGlite)', () => {
  let oracle: PgOracle;
  let catalog: Catalog;

  const columns: Column[] = [
    { name: 'id', type: 'Integer' },
    { name: 'i', type: 'Integer' },
    { name: 'l', type: 'Long' },
    { name: 'n', type: 'Decimal' },
    { name: 'm', type: 'Decimal' },
    { name: 'f', type: 'Double' },
  ];
  const fractions = ['0.1', '1.50', '-2.25', '12345678901234567890.123456789', '0.000000000001', '7', '-0.5', '3.14159265358979323846', '100.00', null];

  /** Rows as text, for PostgreSQL's INSERT and for our values (m is numeric(12,4), so written at scale 4). */
  const rows = Array.from({ length: 40 }, (_, k) => {
    const id = k + 1;
    const i = k % 9 === 4 ? null : (k * 37) % 23 - 11;
    const l = k % 11 === 3 ? null : k % 4 === 0 ? `${9007199254740993n + BigInt(k) * 1000003n}` : `${k * 1000 - 7}`;
    const n = fractions[k % fractions.length]!;
    const m = k % 6 === 5 ? null : ((k * 7919) % 100000 / 1000 - 40).toFixed(4);
    const f = k % 8 === 7 ? null : k / 8 - 2;
    return { id, i, l, n, m, f };
  });

  before(async () => {
    const values: SqlValue[][] = rows.map((r) => [
      r.id,
      r.i,
      r.l === null ? null : Number.isSafeInteger(Number(r.l)) ? Number(r.l) : BigInt(r.l),
      r.n === null ? null : Numeric.parse(r.n),
      r.m === null ? null : Numeric.parse(r.m),
      r.f,
    ]);
    catalog = catalogOf(memoryTable('nums', columns, values));
    oracle = await PgOracle.start();
    await oracle.exec('CREATE TABLE nums (id integer, i integer, l bigint, n numeric, m numeric(12,4), f double precision)');
    const sqlText = (v: unknown): string => (v === null ? 'NULL' : String(v));
    await oracle.exec(`INSERT INTO nums VALUES ${rows.map((r) => `(${r.id}, ${sqlText(r.i)}, ${sqlText(r.l)}, ${sqlText(r.n)}, ${sqlText(r.m)}, ${sqlText(r.f)})`).join(', ')}`);
  });

  after(async () => {
    await oracle.close();
  });

  const agree = (sql: string, options: AgreeOptions = {}): Promise<void> => agreeWithPostgres(sql, catalog, oracle, options);

  test('arithmetic mixing integer, bigint and numeric is exact, with PostgreSQL scales', async () => {
    await agree('SELECT id, n + m, n - i, n * m, i * n, m * 2, -n, l + 1, l - i, l * 2, l + n, 0.1 + 0.2, 1.50 + 1 FROM nums');
    await agree('SELECT id, n / 3, m / i, i / 7.0, l / 7, n / m, 1 / 3.0, 10.0 / 4, n % 7, m % 0.3, l % 1000 FROM nums WHERE i <> 0 AND m <> 0');
  });

  test('with a double, arithmetic is double', async () => {
    await agree('SELECT id, n + f, f * m, i / f, f - l FROM nums WHERE f <> 0');
  });

  test('SUM and AVG: exact, sum at the largest scale, avg at the division scale', async () => {
    await agree('SELECT sum(n), sum(m), sum(i), sum(l), avg(n), avg(m), avg(i), avg(l), avg(f), min(n), max(m), count(n) FROM nums');
    await agree('SELECT i % 3, sum(n), avg(m), sum(l), avg(i) FROM nums GROUP BY 1');
    await agree('SELECT id, sum(m) OVER (ORDER BY id) FROM nums');
  });

  test('casts to and from numeric, numeric(p,s), int and bigint round as PostgreSQL does', async () => {
    await agree('SELECT id, n::numeric(30,2), m::int, m::bigint, n::float8, i::numeric, l::numeric / 7, m::numeric(8,1), f::numeric(10,3), round(n, 3), round(m), abs(n), floor(m), ceil(n), sign(m) FROM nums WHERE n < 1000000');
    await agree("SELECT '123.4500'::numeric, '1e-3'::numeric, '-0.5'::numeric::int, '2.5'::numeric::int, 2.5::float8::int, 3.5::float8::int, 1.005::numeric(5,2), 99999999999999999999");
  });

  test('comparisons mix integer, numeric and double by value', async () => {
    await agree('SELECT id FROM nums WHERE n > i');
    await agree('SELECT id FROM nums WHERE m >= n OR n = 7');
    await agree('SELECT id FROM nums WHERE f < n');
    await agree('SELECT id FROM nums WHERE l > 9007199254740992');
    await agree('SELECT id FROM nums WHERE n BETWEEN 0.1 AND 100.000');
    await agree('SELECT id FROM nums WHERE n IN (1.5, 7, 100, -0.50)');
    await agree('SELECT id, n = 1.5, n <> 7.00, m < 0, l = 9007199254740993 FROM nums');
  });

  test('ORDER BY, GROUP BY and joins use the value, not the scale', async () => {
    await agree('SELECT id, n FROM nums ORDER BY n, id', { keys: [1, 0] });
    await agree('SELECT id, l FROM nums ORDER BY l DESC NULLS LAST, id', { keys: [1, 0] });
    await agree('SELECT n * 1, count(*) FROM nums GROUP BY 1');
    await agree('SELECT a.id, b.id FROM nums a JOIN nums b ON a.n = b.i');
    await agree('SELECT a.id, b.id FROM nums a JOIN nums b ON a.n = b.n * 1.0');
  });

  test('one GROUP BY key mixing integers and numerics that equal them makes one group per value', async () => {
    // Small integers group through an array; an equal numeric (5.0 beside 5) must land in the
    // same group, whichever comes first.
    await agree('SELECT k, count(*) FROM (SELECT 5 AS k UNION ALL SELECT 5.0 UNION ALL SELECT 5 UNION ALL SELECT 7.00) s GROUP BY k');
    await agree('SELECT k, count(*) FROM (VALUES (5.0), (5), (0.000), (0)) AS s(k) GROUP BY k');
    await agree('SELECT CASE WHEN i > 0 THEN i ELSE i * 1.0 END AS k, count(*) FROM nums WHERE i >= -3 GROUP BY 1');
    await agree('SELECT COALESCE(i, n) AS k, count(*) FROM nums GROUP BY 1');
    assert.deepEqual(
      (await runQuery('SELECT k, count(*) FROM (VALUES (5), (5.0), (5)) AS s(k) GROUP BY k', catalog)).map(([k, c]) => [String(k), c]),
      [['5', 3]],
    );
  });

  test('errors where PostgreSQL errors: bigint out of range, numeric field overflow', async () => {
    for (const [sql, message] of [
      ['SELECT l * 1024 FROM nums', /bigint out of range/],
      ['SELECT 9223372036854775807 + i FROM nums WHERE i > 0', /bigint out of range/],
      ['SELECT n::numeric(5,2) FROM nums', /numeric field overflow/],
    ] as const) {
      await assert.rejects(oracle.query(sql), message, `PostgreSQL: ${sql}`);
      await assert.rejects(runQuery(sql, catalog), (e: unknown) => e instanceof Error && message.test(e.message), `ours: ${sql}`);
    }
  });
});
