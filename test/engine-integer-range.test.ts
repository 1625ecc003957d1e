// Integer arithmetic stays in its declared type, as PostgreSQL's does: integer (int4) with
// integer is an integer and raises "integer out of range" past ±2^31, an integer with a bigint
// is promoted to bigint (out of range past ±2^63). Each expression is run on our engine and on
// PostgreSQL (PGlite): both answer the same value with the same result type (as the wire
// server announces it), or both fail with the same message.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog, Column, SqlValue } from '../src/engine/table.js';
import { asStatementError, planStatement, Session } from '../src/engine/index.js';
import { parse } from '../src/sql/parser.js';
import { SqlError } from '../src/sql/errors.js';
import { oidOfType } from '../src/pg/types.js';
import { sqlStateOfSqlError } from '../src/pg/errors.js';
import { catalogOf, memoryTable, planQuery } from './support/engine-runner.js';
import { PgOracle } from './support/pg-oracle.js';

type Outcome = { rows: string[][]; oids: number[] } | { error: string };

async function ours(sql: string, catalog: Catalog): Promise<Outcome> {
  try {
    const plan = planQuery(sql, catalog);
    const rows: string[][] = [];
    for await (const row of plan.rows({})) rows.push(row.map((v) => (v === null ? 'NULL' : String(v))));
    return { rows, oids: plan.columns.map((c) => oidOfType(c.type)) };
  } catch (e) {
    const error = asStatementError(e, sql);
    if (error instanceof SqlError) return { error: error.reason };
    throw e;
  }
}

async function theirs(sql: string, oracle: PgOracle): Promise<Outcome> {
  try {
    const rows = (await oracle.query(sql)).map((row) => row.map((v) => (v === null ? 'NULL' : String(v))));
    return { rows, oids: await oracle.columnTypes(sql) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('integer and bigint ranges, against PostgreSQL (PGlite)', () => {
  let oracle: PgOracle;
  let catalog: Catalog;

  const columns: Column[] = [
    { name: 'id', type: 'Integer' },
    { name: 'i', type: 'Integer' },
    { name: 'l', type: 'Long' },
  ];
  const rows: SqlValue[][] = [
    [1, 50000, 3000000000],
    [2, -2147483648, -9007199254740993n],
    [3, 2147483647, 9223372036854775807n],
    [4, null, null],
  ];

  before(async () => {
    catalog = catalogOf(memoryTable('ints', columns, rows));
    oracle = await PgOracle.start();
    await oracle.exec('CREATE TABLE ints (id integer, i integer, l bigint)');
    await oracle.exec(`INSERT INTO ints VALUES ${rows.map((r) => `(${r.map((v) => (v === null ? 'NULL' : String(v))).join(', ')})`).join(', ')}`);
  });

  after(async () => {
    await oracle.close();
  });

  const agree = async (sql: string): Promise<Outcome> => {
    const [mine, pg] = [await ours(sql, catalog), await theirs(sql, oracle)];
    assert.deepEqual(mine, pg, sql);
    return mine;
  };

  test('integer with integer raises "integer out of range" past ±2^31, at every operator', async () => {
    for (const sql of [
      'SELECT 2147483647 + 1',
      'SELECT -2147483647 - 2',
      'SELECT 65536 * 32768',
      'SELECT (-2147483647 - 1) / -1',
      'SELECT -(-2147483647 - 1)',
      'SELECT abs(-2147483647 - 1)',
      'SELECT abs(i) FROM ints WHERE id = 2',
      'SELECT i * 100000 FROM ints WHERE id = 1',
      'SELECT i + 1 FROM ints WHERE id = 3',
      'SELECT i - 1 FROM ints WHERE id = 2',
      'SELECT i * i FROM ints WHERE id = 1',
      'SELECT length(\'abc\') * 1000000000',
      'SELECT i + 1 + 2 + 3 FROM ints WHERE id = 3',
      'SELECT 2147483647 * 2 / 2 FROM ints WHERE id = 4',
      'SELECT -2147483648 - 1',
      'SELECT -(-2147483647 - 1)',
    ]) {
      const outcome = await agree(sql);
      assert.ok('error' in outcome && outcome.error === 'integer out of range', `${sql}: ${JSON.stringify(outcome)}`);
    }
  });

  test('within range an integer result is an integer (OID 23), exact at the edges', async () => {
    for (const sql of [
      'SELECT -2147483648, -2147483648 + 0, 2147483648, -9223372036854775808, -(2147483647 + 0)',
      'SELECT 2147483646 + 1, -2147483647 - 1, 46340 * 46340, (-2147483647 - 1) % -1, 7 / 2, -7 % 3',
      'SELECT id, i + 0, i / 2, i % 1000, i - 0 FROM ints ORDER BY id',
      'SELECT id, i * 40000 FROM ints WHERE id = 1',
    ]) {
      const outcome = await agree(sql);
      assert.ok('rows' in outcome, sql);
    }
  });

  test('an integer with a bigint is a bigint (OID 20): no error until ±2^63', async () => {
    for (const sql of [
      'SELECT 2147483647 + 1::bigint, 2147483648 + 1, 65536::int8 * 32768, -(-2147483648::int8), -(-2147483648)',
      'SELECT id, i::bigint * 100000, i + l, l - i, l / 2, l % 7 FROM ints WHERE id <> 3 ORDER BY id',
      'SELECT i * l FROM ints WHERE id = 1',
      'SELECT id, abs(l), abs(i::bigint) FROM ints ORDER BY id',
      'SELECT id, max(i) * 100000::int8, count(*) * 2147483647, sum(i) FROM ints GROUP BY id ORDER BY id',
    ]) {
      const outcome = await agree(sql);
      assert.ok('rows' in outcome && outcome.oids.includes(20), sql);
    }
    for (const sql of ['SELECT l + 1 FROM ints WHERE id = 3', 'SELECT l * i FROM ints WHERE id = 3', 'SELECT 9223372036854775807 + 1', 'SELECT abs(-9223372036854775807 - 1)']) {
      const outcome = await agree(sql);
      assert.ok('error' in outcome && outcome.error === 'bigint out of range', sql);
    }
  });

  test('an integer or smallint column of a temporary table refuses a value past its range, as PostgreSQL does', async () => {
    const session = new Session();
    const pg = await PgOracle.start();
    try {
      const both = async (sql: string): Promise<{ ours: string; theirs: string }> => {
        let mine = 'ok';
        try {
          const plan = planStatement(parse(sql), sql, catalogOf(), undefined, session);
          if (plan.kind === 'write') await plan.execute({});
        } catch (e) {
          mine = /out of range/.test((e as Error).message) ? 'out of range' : (e as Error).message;
        }
        const theirs = await pg.exec(sql).then(() => 'ok', (e: Error) => (/out of range/.test(e.message) ? 'out of range' : e.message));
        return { ours: mine, theirs };
      };
      for (const [sql, expected] of [
        ['CREATE TEMP TABLE r (i INTEGER, s SMALLINT, l BIGINT)', 'ok'],
        ['INSERT INTO r VALUES (2147483647, 32767, 9223372036854775807), (-2147483648, -32768, 1)', 'ok'],
        ['INSERT INTO r VALUES (2147483648, 1, 1)', 'out of range'],
        ["INSERT INTO r (i) VALUES ('3000000000')", 'out of range'],
        ['INSERT INTO r VALUES (1, 32768, 1)', 'out of range'],
        ['INSERT INTO r (i) SELECT l FROM r', 'out of range'],
        ['INSERT INTO r (i) SELECT l FROM r WHERE l = 1', 'ok'],
        ['UPDATE r SET s = s + 1 WHERE s > 0', 'out of range'],
        ['UPDATE r SET i = l - 2 WHERE l = 1', 'ok'],
      ] as const) {
        assert.deepEqual(await both(sql), { ours: expected, theirs: expected }, sql);
      }
      const table = session.getTempTable('r')!;
      const theirs = (await pg.query('SELECT i, s, l FROM r ORDER BY i')).map((row) => row.map(String));
      assert.deepEqual(table.rows.map((row) => row.map(String)).sort((a, b) => Number(a[0]) - Number(b[0])), theirs);
    } finally {
      await pg.close();
    }
  });

  test('"integer out of range" is SQLSTATE 22003 on the wire, positioned at the expression', async () => {
    const sql = 'SELECT id, i * 100000 FROM ints';
    await assert.rejects(
      (async () => {
        for await (const _ of planQuery(sql, catalog).rows({}));
      })().catch((e: unknown) => Promise.reject(asStatementError(e, sql))),
      (e: unknown) => e instanceof SqlError && e.reason === 'integer out of range' && e.offset === sql.indexOf('i * ') && sqlStateOfSqlError(e) === '22003',
    );
  });
});

test("an Integer column holding a value past int4 (Stripe's integers are unbounded) computes as bigint instead of failing on its own input", async () => {
  const amounts = memoryTable('amounts', [{ name: 'id', type: 'Integer' }, { name: 'amount', type: 'Integer' }], [[1, 150_000_000_000], [2, 2_000_000_000]]);
  const rows: SqlValue[][] = [];
  for await (const row of planQuery('SELECT id, amount + 1, amount * 2, -amount FROM amounts WHERE id = 1', catalogOf(amounts)).rows({})) rows.push([...row]);
  // Row 1's amount is past int4 already: bigint arithmetic. Row 2's fits, but its double does not: int4's error.
  assert.deepEqual(rows[0], [1, 150_000_000_001, 300_000_000_000, -150_000_000_000]);
  await assert.rejects(
    (async () => {
      for await (const _ of planQuery('SELECT amount * 2 FROM amounts WHERE id = 2', catalogOf(amounts)).rows({}));
    })(),
    /integer out of range/,
  );
});
