import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planStatement, Session, type StatementPlan } from '../src/engine/index.js';
import type { Catalog, Row } from '../src/engine/table.js';
import { SqlError } from '../src/sql/errors.js';
import { parse } from '../src/sql/parser.js';
import { catalogOf, collect, sessions } from './engine-fixtures.js';

function runner(catalog: Catalog, session: Session) {
  const planOf = (sql: string, params?: unknown[]): StatementPlan => planStatement(parse(sql), sql, catalog, params, session);
  return {
    planOf,
    async run(sql: string, params?: unknown[]): Promise<Row[] | number> {
      const plan = planOf(sql, params);
      if (plan.kind === 'write') return (await plan.execute({})).rowsAffected;
      return collect(plan.rows({}));
    },
  };
}

test('CREATE TABLE #t, INSERT VALUES, SELECT, DROP TABLE', async () => {
  const session = new Session();
  const { run } = runner(catalogOf(sessions()), session);
  assert.equal(await run('CREATE TABLE #t (Id VARCHAR(20), Amount INT, At DATETIME, Ok BIT)'), 0);
  assert.equal(await run("INSERT INTO #t (Id, Amount, At, Ok) VALUES ('a', 1, '2024-01-01', 1), ('b', NULL, NULL, 0)"), 2);
  assert.deepEqual(await run('SELECT * FROM #t ORDER BY Id DESC'), [
    ['b', null, null, false],
    ['a', 1, new Date('2024-01-01T00:00:00Z'), true],
  ]);
  assert.equal(await run('DROP TABLE #t'), 0);
  assert.throws(() => runner(catalogOf(), session).planOf('SELECT * FROM #t'), (e: unknown) => e instanceof SqlError && /Unknown table #t/.test(e.reason));
  assert.equal(await run('DROP TABLE IF EXISTS #t'), 0);
});

test('CREATE TEMP / TEMPORARY TABLE; the table belongs to its session only', async () => {
  const a = new Session();
  const b = new Session();
  const catalog = catalogOf(sessions());
  await runner(catalog, a).run('CREATE TEMP TABLE scratch (x INTEGER)');
  await runner(catalog, a).run('CREATE TEMPORARY TABLE other (y TEXT)');
  assert.deepEqual(a.tempTableNames(), ['scratch', 'other']);
  assert.throws(() => runner(catalog, b).planOf('SELECT * FROM scratch'), SqlError);
  assert.throws(() => runner(catalog, a).planOf('CREATE TEMP TABLE scratch (x INT)'), (e: unknown) => e instanceof SqlError && /already exists/.test(e.reason));
  assert.throws(() => runner(catalog, a).planOf('CREATE TABLE Sessions2 (x INT)'), (e: unknown) => e instanceof SqlError && /Only temporary tables/.test(e.reason));
  assert.throws(() => runner(catalog, a).planOf('DROP TABLE Sessions'), (e: unknown) => e instanceof SqlError && /not a temporary table/.test(e.reason));
});

test('INSERT INTO temp SELECT … copies query results, coerced to the column types', async () => {
  const session = new Session();
  const table = sessions({ pushdown: { Status: ['='] } });
  const { run } = runner(catalogOf(table), session);
  await run('CREATE TABLE #big (Id VARCHAR, Amount DECIMAL(10,2))');
  assert.equal(await run("INSERT INTO #big SELECT Id, AmountTotal FROM Sessions WHERE Status = 'complete'"), 2);
  assert.deepEqual(table.requests.at(-1)!.predicates.map((p) => p.text), ["Status = 'complete'"]);
  assert.deepEqual(await run('SELECT b.Id, s.Email FROM #big b JOIN Sessions s ON s.Id = b.Id ORDER BY 1'), [
    ['cs_2', null],
    ['cs_5', 'e@x.com'],
  ]);
  assert.equal(await run('INSERT INTO #big (Id) SELECT Id FROM Sessions WHERE AmountTotal IS NULL'), 1);
  assert.deepEqual(await run('SELECT COUNT(*), COUNT(Amount) FROM #big'), [[3, 2]]);
  assert.throws(
    () => runner(catalogOf(table), session).planOf('INSERT INTO #big (Id) SELECT Id, Status FROM Sessions'),
    (e: unknown) => e instanceof SqlError && /The query returns 2 columns but 1 is listed/.test(e.reason),
  );
});

test('INSERT INTO Name#TEMP creates the table on first use, with types from the values', async () => {
  const session = new Session();
  const { run, planOf } = runner(catalogOf(sessions()), session);
  assert.equal(await run("INSERT INTO LineItems#TEMP (Price, Quantity, Name) VALUES ('price_1', 2, NULL)"), 1);
  assert.deepEqual(session.getTempTable('lineitems#temp')!.columns.map((c) => [c.name, c.type]), [
    ['Price', 'String'],
    ['Quantity', 'Integer'],
    ['Name', 'String'],
  ]);
  assert.equal(await run("INSERT INTO LineItems#TEMP (Price, Quantity) VALUES ('price_2', 5)"), 1);
  assert.deepEqual(await run('SELECT Price, Quantity FROM LineItems#TEMP ORDER BY Quantity DESC'), [
    ['price_2', 5],
    ['price_1', 2],
  ]);
  // Planning alone creates nothing.
  planOf('INSERT INTO Other#TEMP (A) VALUES (1)');
  assert.equal(session.getTempTable('Other#TEMP'), undefined);
});

test('INSERT … SELECT into a catalog table goes through its insert()', async () => {
  const target = sessions();
  const session = new Session();
  const { run } = runner(catalogOf(target), session);
  await run("CREATE TABLE #src (Status VARCHAR, Email VARCHAR)");
  await run("INSERT INTO #src VALUES ('open', 'z@x.com')".replace('VALUES', '(Status, Email) VALUES'));
  assert.equal(await run('INSERT INTO Sessions (Status, Email) SELECT Status, Email FROM #src'), 1);
  assert.deepEqual(target.inserts.at(-1), { columns: ['Status', 'Email'], rows: [['open', 'z@x.com']] });
});

test('without a session, temporary tables are a clear error', () => {
  const sql = 'CREATE TABLE #t (x INT)';
  assert.throws(() => planStatement(parse(sql), sql, catalogOf()), (e: unknown) => e instanceof SqlError && /need a connection session/.test(e.reason));
});

test('lastInsertId is recorded on the session', async () => {
  const session = new Session();
  const table = sessions();
  table.insert = async (request) => ({ rowsAffected: request.rows.length, lastInsertId: 'cs_new' });
  await runner(catalogOf(table), session).run("INSERT INTO Sessions (Status) VALUES ('open')");
  assert.equal(session.lastInsertId, 'cs_new');
});

test('INSERT … VALUES without a column list fills the columns in table order', async () => {
  const session = new Session();
  const { run, planOf } = runner(catalogOf(), session);
  await run('CREATE TABLE #p (a INT, b VARCHAR)');
  assert.equal(await run("INSERT INTO #p VALUES (1, 'x'), (2, NULL)"), 2);
  assert.deepEqual(await run('SELECT * FROM #p'), [
    [1, 'x'],
    [2, null],
  ]);
  assert.throws(() => planOf('INSERT INTO #p VALUES (1)'), (e: unknown) => e instanceof SqlError && /VALUES row 1 has 1 value but 2 columns are listed/.test(e.reason));
});
