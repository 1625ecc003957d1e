// Temporary-table DDL: constraints (NOT NULL, UNIQUE, PRIMARY KEY, CHECK, DEFAULT) enforced all
// or nothing, indexes, views, INSERT … ON CONFLICT / INSERT OR REPLACE, empty IN lists.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planStatement, Session } from '../src/engine/index.js';
import type { Catalog, Row } from '../src/engine/table.js';
import { SqlError } from '../src/sql/errors.js';
import { parse } from '../src/sql/parser.js';
import { catalogOf, collect, sessions } from './engine-fixtures.js';

function runner(session = new Session(), catalog: Catalog = catalogOf(sessions())) {
  const planOf = (sql: string) => planStatement(parse(sql), sql, catalog, undefined, session);
  const run = async (sql: string): Promise<Row[] | number> => {
    const plan = planOf(sql);
    if (plan.kind === 'write') {
      const result = await plan.execute({});
      return result.rows ?? result.rowsAffected;
    }
    return collect(plan.rows({}));
  };
  /** Planning or running `sql` fails with a SqlError whose reason matches, pointing at the first `at` in the text. */
  const fails = async (sql: string, reason: RegExp, at?: string): Promise<void> => {
    await assert.rejects(
      async () => run(sql),
      (e: unknown) => {
        assert.ok(e instanceof SqlError, `not a SqlError: ${String(e)}`);
        assert.match(e.reason, reason);
        if (at !== undefined) assert.deepEqual([e.line, e.column], [1, sql.indexOf(at) + 1], `position of: ${e.reason}`);
        return true;
      },
    );
  };
  return { run, fails, planOf, session };
}

test('CREATE TABLE parses column and table constraints, named or not', () => {
  const stmt = parse('CREATE TEMP TABLE IF NOT EXISTS t (a INT CONSTRAINT a_pos CHECK (a > 0) NOT NULL, b TEXT DEFAULT 1 + 2 UNIQUE, PRIMARY KEY (a, b), CONSTRAINT t_ck CHECK (a < 9))');
  assert.ok(stmt.kind === 'createTable');
  assert.equal(stmt.ifNotExists, true);
  assert.deepEqual(stmt.columns[0]!.constraints.map((c) => [c.kind, c.name]), [['check', 'a_pos'], ['notNull', undefined]]);
  assert.deepEqual(stmt.columns[1]!.constraints.map((c) => c.kind), ['default', 'unique']);
  assert.deepEqual(stmt.constraints.map((c) => [c.kind, c.name]), [['primaryKey', undefined], ['check', 't_ck']]);
  assert.throws(() => parse('CREATE TEMP TABLE t (a INT REFERENCES u)'), (e: unknown) => e instanceof SqlError && /Expected NOT NULL, NULL, UNIQUE, PRIMARY KEY, DEFAULT, CHECK, ',' or '\)' but found 'REFERENCES'/.test(e.reason) && e.column === 28);
  assert.throws(() => parse('CREATE TEMP TABLE t (a INT CONSTRAINT c)'), (e: unknown) => e instanceof SqlError && /after CONSTRAINT c/.test(e.reason));
});

test('NOT NULL: a NULL is refused by name and column, and a multi-row INSERT writes nothing', async () => {
  const { run, fails } = runner();
  await run('CREATE TEMP TABLE t (id INT NOT NULL, note TEXT NULL)');
  await fails("INSERT INTO t (note, id) VALUES ('a', 1), ('b', NULL)", /^Column id: NULL violates NOT NULL constraint t_id_not_null \(row 2\)$/, 'id) VALUES');
  await fails("INSERT INTO t VALUES (NULL, 'x')", /NOT NULL constraint t_id_not_null/, 't VALUES');
  assert.deepEqual(await run('SELECT * FROM t'), []);
  assert.equal(await run("INSERT INTO t VALUES (1, NULL)"), 1);
  await fails('UPDATE t SET id = NULL', /^Column id: NULL violates NOT NULL constraint/, 'id = NULL');
  assert.deepEqual(await run('SELECT * FROM t'), [[1, null]]);
  await assert.rejects(run('CREATE TEMP TABLE u (a INT NULL NOT NULL)'), /declared both NULL and NOT NULL/);
});

test('PRIMARY KEY and UNIQUE: duplicates refused (NULLs are distinct), the key implies NOT NULL', async () => {
  const { run, fails } = runner();
  await run('CREATE TEMP TABLE t (id INT PRIMARY KEY, email TEXT UNIQUE, a INT, b INT, UNIQUE (a, b))');
  assert.equal(await run("INSERT INTO t VALUES (1, 'x@y', 1, NULL), (2, NULL, 1, NULL), (3, NULL, 1, 2)"), 3);
  await fails("INSERT INTO t VALUES (4, 'z', 0, 0), (1, 'w', 0, 1)", /^Column id: duplicate key id = 1 violates PRIMARY KEY constraint t_pkey \(row 2\)$/, 't VALUES');
  await fails("INSERT INTO t (id, email) VALUES (5, 'x@y')", /duplicate key email = 'x@y' violates UNIQUE constraint t_email_key/, 'email)');
  await fails('INSERT INTO t (id, a, b) VALUES (6, 1, 2)', /^Column a: duplicate key \(a, b\) = \(1, 2\) violates UNIQUE constraint t_a_b_key/, 'a, b)');
  // Within one statement too, and the rows before the duplicate are not kept.
  await fails('INSERT INTO t (id) VALUES (7), (8), (7)', /duplicate key id = 7 .* \(row 3\)/);
  await fails('INSERT INTO t (email) VALUES (NULL)', /NULL violates NOT NULL constraint t_id_not_null/);
  await run('CREATE TEMP TABLE u (k INT UNIQUE, PRIMARY KEY (k))');
  await fails('INSERT INTO u VALUES (NULL)', /NULL violates NOT NULL constraint u_k_not_null/);
  await fails('CREATE TEMP TABLE w (a INT PRIMARY KEY, b INT PRIMARY KEY)', /Table w has more than one PRIMARY KEY/, 'PRIMARY KEY)');
  assert.deepEqual(await run('SELECT id FROM t ORDER BY id'), [[1], [2], [3]]);
});

test('UPDATE keeps keys unique at the end of the statement, all or nothing', async () => {
  const { run, fails } = runner();
  await run('CREATE TEMP TABLE t (k INT PRIMARY KEY, v TEXT)');
  await run("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  // Each row moves onto the key the next one leaves: fine once the statement is done.
  assert.equal(await run('UPDATE t SET k = k + 1'), 3);
  assert.deepEqual(await run('SELECT k, v FROM t ORDER BY k'), [[2, 'a'], [3, 'b'], [4, 'c']]);
  await fails('UPDATE t SET k = 9 WHERE k >= 3', /^Column k: duplicate key k = 9 violates PRIMARY KEY constraint t_pkey/, 'k = 9');
  assert.deepEqual(await run('SELECT k FROM t ORDER BY k'), [[2], [3], [4]]);
  assert.equal(await run('DELETE FROM t WHERE k = 2'), 1);
  assert.equal(await run("INSERT INTO t VALUES (2, 'again')"), 1);
});

test('CHECK: a false condition is refused, a NULL one passes; column and table checks', async () => {
  const { run, fails } = runner();
  await run('CREATE TEMP TABLE t (lo INT CHECK (lo >= 0), hi INT, CONSTRAINT ordered CHECK (lo <= hi))');
  assert.equal(await run('INSERT INTO t VALUES (1, 2), (NULL, 5), (3, NULL)'), 3);
  await fails('INSERT INTO t VALUES (-1, 2)', /^Column lo: -1 violates CHECK constraint t_lo_check \(lo >= 0\) \(row 1\)$/, 't VALUES');
  await fails('INSERT INTO t (hi, lo) VALUES (1, 2)', /^Column lo: \(lo, hi\) = \(2, 1\) violates CHECK constraint ordered \(lo <= hi\) \(row 1\)$/, 'lo)');
  await fails('UPDATE t SET hi = 0 WHERE lo = 1', /CHECK constraint ordered/);
  assert.deepEqual(await run('SELECT lo, hi FROM t ORDER BY hi'), [[1, 2], [null, 5], [3, null]]);
  await fails('CREATE TEMP TABLE u (a INT CHECK (SUM(a) > 0))', /Aggregate SUM is not allowed in a CHECK constraint/, 'SUM(');
  await fails('CREATE TEMP TABLE u (a INT CHECK (b > 0))', /Unknown column b/, 'b > 0');
});

test('DEFAULT fills the columns an INSERT leaves out, per row; an explicit NULL stays NULL', async () => {
  const { run, fails } = runner();
  await run("CREATE TEMP TABLE t (id INT, status TEXT DEFAULT 'open' NOT NULL, n INT DEFAULT 40 + 2, at DATETIME DEFAULT NOW())");
  const before = Date.now();
  assert.deepEqual(await run('INSERT INTO t (id) VALUES (1), (2) RETURNING id, status, n'), [[1, 'open', 42], [2, 'open', 42]]);
  assert.equal(await run("INSERT INTO t (id, status, n) VALUES (3, 'done', NULL)"), 1);
  assert.equal(await run('INSERT INTO t (id) SELECT id + 10 FROM t WHERE id < 3'), 2);
  assert.deepEqual(await run('SELECT id, status, n FROM t ORDER BY id'), [[1, 'open', 42], [2, 'open', 42], [3, 'done', null], [11, 'open', 42], [12, 'open', 42]]);
  const [[at]] = (await run('SELECT MIN(at) FROM t')) as [[Date]];
  assert.ok(at instanceof Date && at.getTime() >= before - 1000);
  await fails("INSERT INTO t (id, status) VALUES (4, NULL)", /NOT NULL constraint t_status_not_null/);
  await fails("CREATE TEMP TABLE u (a INT DEFAULT 'x')", /DEFAULT 'x' is not a valid Integer \(column a\)/, "'x'");
  await fails('CREATE TEMP TABLE u (a INT, b INT DEFAULT a)', /The DEFAULT of b cannot read a column/, 'a)');
});

test('CREATE [UNIQUE] INDEX: a unique index enforces its key; DROP INDEX, REINDEX, IF [NOT] EXISTS', async () => {
  const { run, fails } = runner();
  await run('CREATE TEMP TABLE t (a INT, b TEXT)');
  await run("INSERT INTO t VALUES (1, 'x'), (1, 'y')");
  assert.equal(await run('CREATE INDEX t_a ON t (a DESC, b)'), 0);
  await fails('CREATE UNIQUE INDEX t_a_u ON t (a)', /Cannot create unique index t_a_u: \(a\) = \(1\) is in more than one row of t/, 'CREATE');
  await run('CREATE UNIQUE INDEX t_b ON t (b)');
  await fails("INSERT INTO t VALUES (2, 'x')", /duplicate key b = 'x' violates UNIQUE constraint t_b/);
  await fails('CREATE INDEX t_b ON t (a)', /An index named t_b already exists/, 'CREATE');
  assert.equal(await run('CREATE INDEX IF NOT EXISTS t_b ON t (a)'), 0);
  await fails('CREATE INDEX t ON t (a)', /A table named t already exists/);
  await fails('CREATE INDEX t_c ON t (c)', /Column c named in the index does not exist/, 'c)');
  await fails('CREATE INDEX s_a ON Sessions (Id)', /Sessions is not a temporary table/, 'Sessions');
  assert.equal(await run('REINDEX t_b'), 0);
  await fails('REINDEX nope', /Unknown index or table nope/, 'REINDEX');
  assert.equal(await run('DROP INDEX t_b'), 0);
  assert.equal(await run("INSERT INTO t VALUES (2, 'x')"), 1);
  await fails('DROP INDEX t_b', /Unknown index t_b/, 'DROP');
  assert.equal(await run('DROP INDEX IF EXISTS t_b'), 0);
  // Indexes go with their table.
  await run('DROP TABLE t');
  await fails('DROP INDEX t_a', /Unknown index t_a/);
});

test('views: expanded where named, named columns, late rows seen, CTEs hide them', async () => {
  const { run, fails } = runner();
  await run('CREATE TEMP TABLE t1 (x INT, y TEXT)');
  await run("INSERT INTO t1 VALUES (1, 'a'), (0, 'b'), (NULL, 'c')");
  assert.equal(await run('CREATE VIEW v1 AS SELECT x FROM t1 WHERE x > 0'), 0);
  await run('CREATE TEMPORARY VIEW v2 (n, label) AS SELECT x * 10, y FROM t1');
  assert.deepEqual(await run('SELECT x FROM v1'), [[1]]);
  await run("INSERT INTO t1 VALUES (5, 'e')");
  assert.deepEqual(await run('SELECT v1.x, v2.label FROM v1 JOIN v2 ON v2.n = v1.x * 10 ORDER BY 1'), [[1, 'a'], [5, 'e']]);
  assert.deepEqual(await run('SELECT COUNT(*) FROM v2 WHERE n IS NULL'), [[1]]);
  assert.deepEqual(await run('WITH v1 AS (SELECT 7 AS x) SELECT x FROM v1'), [[7]]);
  assert.deepEqual(await run('SELECT (SELECT MAX(x) FROM v1), EXISTS (SELECT 1 FROM v2 WHERE label = \'b\')'), [[5, true]]);
  await fails('CREATE VIEW v1 AS SELECT 1', /A view named v1 already exists/, 'CREATE');
  await fails('CREATE VIEW t1 AS SELECT 1', /A table named t1 already exists/, 'CREATE');
  await fails('CREATE VIEW v3 (a, b) AS SELECT x FROM t1', /View v3 names 2 columns but its query returns 1/, 'a, b)');
  await fails('CREATE VIEW v3 AS SELECT z FROM t1', /Unknown column z/, 'z FROM');
  await fails('CREATE VIEW v3 AS SELECT x, x FROM t1', /Column x appears twice in view v3/);
  await fails('CREATE VIEW Sessions AS SELECT 1', /Sessions is already a table of the catalog/);
});

test('views: writes refused, dropped only once and only after the views reading them', async () => {
  const { run, fails } = runner();
  await run('CREATE TEMP TABLE t1 (x INT)');
  await run('CREATE VIEW v1 AS SELECT x FROM t1');
  await run('CREATE VIEW v2 AS SELECT x FROM v1');
  await fails('INSERT INTO v1 VALUES (2)', /v1 is a view: INSERT INTO a view is not supported/, 'v1');
  await fails('UPDATE v1 SET x = 2', /v1 is a view: UPDATE a view is not supported/, 'v1');
  await fails('DELETE FROM v1 WHERE x > 0', /v1 is a view: DELETE FROM a view is not supported/, 'v1');
  await fails('DROP TABLE t1', /Cannot drop table t1: views v1, v2 read it; drop those views first/, 'DROP');
  await fails('DROP VIEW v1', /Cannot drop view v1: view v2 reads it/, 'DROP');
  await fails('DROP TABLE v1', /v1 is a view: DROP VIEW v1/);
  await fails('DROP VIEW t1', /t1 is a table, not a view/);
  assert.equal(await run('DROP VIEW v2'), 0);
  assert.equal(await run('DROP VIEW v1'), 0);
  await fails('DROP VIEW v1', /Unknown view v1/, 'DROP');
  assert.equal(await run('DROP VIEW IF EXISTS v1'), 0);
  await fails('SELECT * FROM v1', /Unknown table v1/);
  assert.equal(await run('DROP TABLE t1'), 0);
});

test('a view belongs to its session', async () => {
  const a = runner();
  const b = runner(new Session(), catalogOf(sessions()));
  await a.run('CREATE VIEW answers AS SELECT 42 AS n');
  assert.deepEqual(await a.run('SELECT n FROM answers'), [[42]]);
  await b.fails('SELECT n FROM answers', /Unknown table answers/);
});

test('ON CONFLICT DO NOTHING skips rows that duplicate a key, even one inserted by the same statement', async () => {
  const { run, fails } = runner();
  await run('CREATE TEMP TABLE t (id INT PRIMARY KEY, code TEXT UNIQUE, n INT)');
  await run("INSERT INTO t VALUES (1, 'a', 0)");
  assert.deepEqual(await run("INSERT INTO t VALUES (1, 'z', 1), (2, 'b', 1), (2, 'c', 1) ON CONFLICT DO NOTHING RETURNING id, code"), [[2, 'b']]);
  assert.equal(await run("INSERT INTO t VALUES (3, 'a', 1) ON CONFLICT DO NOTHING"), 0);
  // Naming a key: a conflict on another key is still an error.
  await fails("INSERT INTO t VALUES (4, 'a', 1) ON CONFLICT (id) DO NOTHING", /duplicate key code = 'a' violates UNIQUE constraint t_code_key/);
  await fails("INSERT INTO t VALUES (4, 'd', 1) ON CONFLICT (n) DO NOTHING", /t has no PRIMARY KEY or UNIQUE constraint on exactly \(n\)/, 'n) DO');
  await fails("INSERT INTO t VALUES (4, 'd', 1) ON CONFLICT (x) DO NOTHING", /Unknown column x in t/, 'x) DO');
  assert.deepEqual(await run('SELECT id, code, n FROM t ORDER BY id'), [[1, 'a', 0], [2, 'b', 1]]);
});

test('ON CONFLICT (key) DO UPDATE SET … = EXCLUDED.… [WHERE …]', async () => {
  const { run, fails } = runner();
  await run('CREATE TEMP TABLE stock (sku TEXT PRIMARY KEY, qty INT CHECK (qty >= 0), seen INT DEFAULT 1)');
  await run("INSERT INTO stock (sku, qty) VALUES ('a', 5), ('b', 1)");
  assert.deepEqual(
    await run("INSERT INTO stock (sku, qty) VALUES ('a', 3), ('c', 7) ON CONFLICT (sku) DO UPDATE SET qty = stock.qty + EXCLUDED.qty, seen = stock.seen + 1 RETURNING sku, qty, seen"),
    [['a', 8, 2], ['c', 7, 1]],
  );
  // WHERE false: the existing row stays, the proposed one is not inserted either.
  assert.equal(await run("INSERT INTO stock (sku, qty) VALUES ('b', 100) ON CONFLICT (sku) DO UPDATE SET qty = EXCLUDED.qty WHERE stock.qty > 10"), 0);
  await fails("INSERT INTO stock (sku, qty) VALUES ('a', 1), ('a', 2) ON CONFLICT (sku) DO UPDATE SET qty = EXCLUDED.qty", /ON CONFLICT DO UPDATE cannot change the same row twice/);
  await fails("INSERT INTO stock (sku, qty) VALUES ('a', 1) ON CONFLICT (sku) DO UPDATE SET qty = -1", /CHECK constraint stock_qty_check/);
  await fails("INSERT INTO stock (sku, qty) VALUES ('a', 1) ON CONFLICT (sku) DO UPDATE SET qty = qty + 1", /Column qty is ambiguous/, 'qty + 1');
  await fails("INSERT INTO stock (sku, qty) VALUES ('a', 1) ON CONFLICT DO UPDATE SET qty = 1", /ON CONFLICT DO UPDATE needs the conflict columns/, 'UPDATE SET');
  await fails("INSERT INTO stock (sku, qty) VALUES ('z', -5) ON CONFLICT DO NOTHING", /CHECK constraint stock_qty_check/);
  assert.deepEqual(await run('SELECT sku, qty, seen FROM stock ORDER BY sku'), [['a', 8, 2], ['b', 1, 1], ['c', 7, 1]]);
});

test("SQLite's INSERT OR REPLACE / REPLACE INTO delete the rows a new row duplicates", async () => {
  const { run, fails } = runner();
  await run('CREATE TEMP TABLE t (x INT PRIMARY KEY, y TEXT UNIQUE)');
  await run("INSERT INTO t VALUES (1, 'one'), (2, 'two')");
  assert.equal(await run("INSERT OR REPLACE INTO t VALUES (1, 'uno')"), 1);
  // Duplicates x of one row and y of another: both go.
  assert.equal(await run("REPLACE INTO t VALUES (2, 'uno')"), 1);
  assert.equal(await run("REPLACE INTO t (x, y) SELECT 3, 'three'"), 1);
  assert.deepEqual(await run('SELECT x, y FROM t ORDER BY x'), [[2, 'uno'], [3, 'three']]);
  await fails("INSERT OR REPLACE INTO Sessions (Status) VALUES ('open')", /INSERT OR REPLACE works on temporary tables only/, 'OR REPLACE');
  await fails("INSERT OR REPLACE INTO t VALUES (4, 'x') ON CONFLICT DO NOTHING", /cannot also have ON CONFLICT/, 'ON CONFLICT');
});

test('IF NOT EXISTS keeps what is there; a UNIQUE index is an ON CONFLICT target; no key, no conflict', async () => {
  const { run, fails } = runner();
  await run('CREATE TEMP TABLE t (a INT, b INT)');
  await run('INSERT INTO t VALUES (1, 1)');
  assert.equal(await run('CREATE TEMP TABLE IF NOT EXISTS t (z TEXT)'), 0);
  assert.deepEqual(await run('SELECT * FROM t'), [[1, 1]]);
  await fails('CREATE TEMP TABLE t (z TEXT)', /A table named t already exists/, 'CREATE');
  // Without a key nothing conflicts: DO NOTHING and REPLACE just insert.
  assert.equal(await run('INSERT INTO t VALUES (1, 1) ON CONFLICT DO NOTHING'), 1);
  assert.equal(await run('REPLACE INTO t VALUES (1, 1)'), 1);
  await run('DELETE FROM t WHERE a = 1');
  await run('CREATE UNIQUE INDEX t_ab ON t (b, a)');
  await run('INSERT INTO t VALUES (1, 1)');
  assert.deepEqual(await run('INSERT INTO t VALUES (1, 1) ON CONFLICT (a, b) DO UPDATE SET a = t.a + 10 RETURNING a, b'), [[11, 1]]);
  await run('DROP INDEX t_ab');
  await fails('INSERT INTO t VALUES (1, 1) ON CONFLICT (a, b) DO NOTHING', /no PRIMARY KEY or UNIQUE constraint on exactly \(a, b\)/, 'a, b) DO');
});

test('UPDATE and DELETE of identical rows take one row per target row', async () => {
  const { run } = runner();
  await run('CREATE TEMP TABLE t (a INT, b TEXT UNIQUE)');
  await run("INSERT INTO t VALUES (1, NULL), (1, NULL), (1, 'x')");
  assert.equal(await run("UPDATE t SET a = 2 WHERE b IS NULL"), 2);
  assert.deepEqual(await run('SELECT a, b FROM t ORDER BY a, b'), [[1, 'x'], [2, null], [2, null]]);
  assert.equal(await run('DELETE FROM t WHERE a = 2'), 2);
  assert.equal(await run("INSERT INTO t VALUES (3, 'y')"), 1);
  assert.deepEqual(await run('SELECT a, b FROM t ORDER BY a'), [[1, 'x'], [3, 'y']]);
});

test('x IN () is false and x NOT IN () true, even for NULL (SQLite)', async () => {
  const { run } = runner();
  assert.deepEqual(await run('SELECT 1 IN (), 1 NOT IN (), NULL IN (), NULL NOT IN ()'), [[false, true, false, true]]);
  await run('CREATE TEMP TABLE t (x INT)');
  await run('INSERT INTO t VALUES (1), (NULL)');
  assert.deepEqual(await run('SELECT COUNT(*) FROM t WHERE x NOT IN ()'), [[2]]);
});

test('INSERT INTO temp SELECT of a million rows (rows are appended one by one, not spread)', async () => {
  const { run } = runner();
  await run('CREATE TEMP TABLE digits (d INT)');
  await run('INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)');
  await run('CREATE TEMP TABLE thousand (n INT PRIMARY KEY)');
  await run('INSERT INTO thousand SELECT a.d * 100 + b.d * 10 + c.d FROM digits a, digits b, digits c');
  await run('CREATE TEMP TABLE big (n INT)');
  assert.equal(await run('INSERT INTO big SELECT a.n * 1000 + b.n FROM thousand a, thousand b'), 1_000_000);
  assert.deepEqual(await run('SELECT COUNT(*), MAX(n) FROM big'), [[1_000_000, 999_999]]);
  // RETURNING projects the written rows through a table of its own, filled one by one too.
  const returned = (await run('INSERT INTO big SELECT n FROM big WHERE n < 300000 RETURNING n')) as unknown[][];
  assert.equal(returned.length, 300_000);
  assert.deepEqual([returned[0], returned.at(-1)], [[0], [299_999]]);
});

test('views over views: 200 deep work, the 201st level is a SqlError where CREATE VIEW names the view below', async () => {
  const { run, fails } = runner();
  await run('CREATE VIEW v0 AS SELECT 1 AS k');
  for (let i = 1; i <= 200; i++) await run(`CREATE VIEW v${i} AS SELECT k + 1 AS k FROM v${i - 1}`);
  assert.deepEqual(await run('SELECT k FROM v199'), [[200]]);
  await fails('SELECT k FROM v200', /^Views and WITH queries name one another more than 200 levels deep$/, 'v200');
  await fails('CREATE VIEW v201 AS SELECT k FROM v200', /^Views and WITH queries name one another more than 200 levels deep$/, 'v200');
});
