// Text written to a number (or boolean, timestamp, date) column, as PostgreSQL (PGlite) decides it: an untyped string literal
// is read as the column's type (a bad one is 22P02), a text expression has no assignment cast
// to a number and is refused while the statement is planned (42804), on INSERT … VALUES,
// INSERT … SELECT and UPDATE of temporary tables. Ours must also refuse before reading a row.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asStatementError, planStatement, Session } from '../src/engine/index.js';
import type { Catalog } from '../src/engine/table.js';
import { SqlError } from '../src/sql/errors.js';
import { parse } from '../src/sql/parser.js';
import { sqlStateOfSqlError } from '../src/pg/errors.js';
import { catalogOf, memoryTable } from './support/engine-runner.js';
import { PgOracle } from './support/pg-oracle.js';

describe('text into number, boolean and date columns, against PostgreSQL (PGlite)', () => {
  let oracle: PgOracle;
  const session = new Session();
  // A table the refused statements would read: a row read shows in its rowsPulled.
  const source = memoryTable('src', [{ name: 'k', type: 'Integer' }, { name: 'txt', type: 'String' }], [[1, '12'], [2, '7']]);
  const catalog: Catalog = catalogOf(source);

  const ours = async (sql: string): Promise<string> => {
    try {
      const plan = planStatement(parse(sql), sql, catalog, undefined, session);
      if (plan.kind === 'write') await plan.execute({});
      return 'ok';
    } catch (e) {
      const error = asStatementError(e, sql);
      if (!(error instanceof SqlError)) throw e;
      return `${sqlStateOfSqlError(error)} at ${error.offset}`;
    }
  };
  const theirs = async (sql: string): Promise<string> => {
    try {
      await oracle.exec(sql);
      return 'ok';
    } catch (e) {
      const error = e as { code?: string; position?: string };
      return `${error.code} at ${error.position === undefined ? '?' : Number(error.position) - 1}`;
    }
  };

  before(async () => {
    oracle = await PgOracle.start();
    for (const sql of [
      'CREATE TEMP TABLE t (i INTEGER, b BIGINT, n NUMERIC, f DOUBLE PRECISION, s TEXT)',
      "INSERT INTO t VALUES (1, 2, 3.5, 4.25, '5')",
      'CREATE TEMP TABLE u (flag BOOLEAN, at TIMESTAMPTZ, d DATE, s TEXT)',
      "INSERT INTO u VALUES (true, '2024-01-02 03:04:05+00', '2024-01-02', 'x')",
    ]) {
      assert.equal(await ours(sql), 'ok', sql);
      await oracle.exec(sql);
    }
    await oracle.exec('CREATE TABLE src (k integer, txt text)');
    await oracle.exec("INSERT INTO src VALUES (1, '12'), (2, '7')");
  });
  after(async () => {
    await oracle.close();
  });

  test('a text expression is refused at the expression (42804), before any row is read', async () => {
    for (const sql of [
      "INSERT INTO t (i) VALUES ('7' || '1')",
      "INSERT INTO t (b) VALUES (upper('7'))",
      "INSERT INTO t (n) VALUES (CAST(2.5 AS TEXT))",
      'INSERT INTO t (f) SELECT txt FROM src',
      'INSERT INTO t (i, s) SELECT k, txt FROM src UNION ALL SELECT txt, txt FROM src',
      'INSERT INTO t (s, i) SELECT txt, txt FROM src',
      'UPDATE t SET i = s',
      "UPDATE t SET n = s || '0' WHERE i = 1",
      'UPDATE t SET b = (SELECT txt FROM src WHERE k = 1)',
      "INSERT INTO t (i) SELECT '1' UNION SELECT '2'",
      'INSERT INTO t (f) SELECT * FROM (SELECT txt FROM src) AS x',
      // Boolean, timestamp and date columns have no assignment cast from text either.
      'INSERT INTO u (flag) SELECT txt FROM src',
      "UPDATE u SET flag = s || 'rue'",
      'INSERT INTO u (at) SELECT txt FROM src',
      "UPDATE u SET d = upper(s)",
    ]) {
      const pulled = source.rowsPulled;
      const [mine, pg] = [await ours(sql), await theirs(sql)];
      if (sql.includes('UNION ALL')) {
        // PostgreSQL refuses the union itself (integer and text cannot be matched); ours the text it resolves to.
        assert.equal(mine.slice(0, 5), pg.slice(0, 5), sql);
        assert.equal(source.rowsPulled, pulled, `${sql}: nothing read`);
        continue;
      }
      assert.equal(mine, pg, sql);
      assert.match(mine, /^42804 at \d+$/, sql);
      assert.equal(source.rowsPulled, pulled, `${sql}: nothing read`);
    }
  });

  test('an untyped literal is read as the column type, a bad one is 22P02; casts and numbers pass', async () => {
    for (const sql of [
      "INSERT INTO t (i, b, n, f) VALUES ('7', '-8', '1.25', '2.5e3')",
      "INSERT INTO t (n) SELECT '0.5' FROM src",
      "UPDATE t SET i = '9' WHERE i = 7",
      'UPDATE t SET i = CAST(s AS INTEGER) WHERE s IS NOT NULL',
      'INSERT INTO t (i, n) SELECT txt::int, k FROM src',
      "INSERT INTO t (i) VALUES ('x')",
      "UPDATE t SET n = 'abc'",
      "INSERT INTO u (flag, at, d) VALUES ('false', '2024-05-06 07:08:09+00', '2024-05-06')",
      "UPDATE u SET flag = 'maybe'",
    ]) {
      const [mine, pg] = [await ours(sql), await theirs(sql)];
      assert.equal(mine.slice(0, 5), pg.slice(0, 5), sql);
      assert.ok(mine === 'ok' || mine.startsWith('22P02'), `${sql}: ${mine}`);
    }
    const rows = session.getTempTable('t')!.rows.map((row) => row.map((v) => (v === null ? null : String(v))));
    const pgRows = (await oracle.query('SELECT i, b, n, f, s FROM t')).map((row) => row.map((v) => (v === null ? null : String(v))));
    const sorted = (r: (string | null)[][]) => r.map((x) => JSON.stringify(x)).sort();
    assert.deepEqual(sorted(rows), sorted(pgRows));
  });
});
