// UPDATE, DELETE and RETURNING in the engine, over temporary (memory) tables: these have no key,
// so every target is found by a query and named by its whole row.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PartialWriteError, planStatement, Session, type StatementPlan } from '../src/engine/index.js';
import { MemoryTable } from '../src/engine/memory-table.js';
import type { Catalog, Row } from '../src/engine/table.js';
import { SqlError } from '../src/sql/errors.js';
import { parse } from '../src/sql/parser.js';
import { catalogOf, collect } from './engine-fixtures.js';
import { numericText } from './support/numeric-text.js';

function runner(catalog: Catalog = catalogOf(), session = new Session()) {
  const planOf = (sql: string, params?: unknown[]): StatementPlan => planStatement(parse(sql), sql, catalog, params, session);
  return {
    session,
    planOf,
    async run(sql: string, params?: unknown[]): Promise<Row[] | number> {
      const plan = planOf(sql, params);
      if (plan.kind === 'write') {
        const result = await plan.execute({});
        return result.rows ?? result.rowsAffected;
      }
      return collect(plan.rows({}));
    },
  };
}

async function withItems() {
  const r = runner();
  await r.run('CREATE TABLE #items (Name VARCHAR(20), Qty INT, Price DECIMAL(10,2))');
  await r.run("INSERT INTO #items VALUES ('apple', 3, 0.5), ('pear', 1, 0.75), ('apple', 3, 0.5), ('fig', NULL, 2)");
  return r;
}

test('UPDATE with a WHERE changes the matching rows, with expressions over the old values', async () => {
  const { run } = await withItems();
  assert.equal(await run("UPDATE #items SET Qty = Qty * 2, Price = Price + 1 WHERE Name = 'apple'"), 2);
  assert.deepEqual(numericText((await run('SELECT Name, Qty, Price FROM #items ORDER BY Name, Qty')) as Row[]), [
    // Price is DECIMAL(10,2): stored at scale 2, as PostgreSQL stores numeric(10,2).
    ['apple', 6, '1.50'],
    ['apple', 6, '1.50'],
    ['fig', null, '2.00'],
    ['pear', 1, '0.75'],
  ]);
});

test('UPDATE without WHERE changes every row; NULL logic applies in WHERE', async () => {
  const { run } = await withItems();
  assert.equal(await run('UPDATE #items SET Qty = 0 WHERE Qty > 1'), 2);
  assert.equal(await run('UPDATE #items SET Price = NULL'), 4);
  assert.deepEqual(await run('SELECT COUNT(*), COUNT(Price), SUM(Qty) FROM #items'), [[4, 0, 1]]);
});

test('UPDATE … RETURNING gives the rows as written', async () => {
  const { run } = await withItems();
  assert.deepEqual(numericText((await run("UPDATE #items SET Qty = 9 WHERE Name = 'pear' RETURNING Name, Qty, Qty * Price AS Total")) as Row[]), [['pear', 9, '6.75']]);
});

test('DELETE with and without WHERE; identical rows are deleted once each', async () => {
  const { run } = await withItems();
  assert.equal(await run("DELETE FROM #items WHERE Name = 'apple'"), 2);
  assert.deepEqual(await run('SELECT Name FROM #items ORDER BY Name'), [['fig'], ['pear']]);
  assert.equal(await run('DELETE FROM #items WHERE Qty IS NULL'), 1);
  assert.equal(await run('DELETE #items'), 1);
  assert.deepEqual(await run('SELECT * FROM #items'), []);
});

test('a subquery in WHERE selects the rows', async () => {
  const { run } = await withItems();
  assert.equal(await run('DELETE FROM #items WHERE Price = (SELECT MAX(Price) FROM #items)'), 1);
  assert.deepEqual(await run('SELECT Name FROM #items ORDER BY Name'), [['apple'], ['apple'], ['pear']]);
});

test('INSERT … RETURNING * and expressions over a temporary table', async () => {
  const { run } = await withItems();
  assert.deepEqual(await run("INSERT INTO #items (Name, Qty) VALUES ('kiwi', 4), ('lime', 5) RETURNING *"), [
    ['kiwi', 4, null],
    ['lime', 5, null],
  ]);
  assert.deepEqual(await run("INSERT INTO #items (Name) SELECT 'x' || Name FROM #items WHERE Qty = 1 RETURNING UPPER(Name) AS n"), [['XPEAR']]);
});

test('SCOPE_IDENTITY() is NULL before any INSERT created an Id, then the session\'s last one', async () => {
  const catalog = catalogOf();
  const session = new Session();
  const { run } = runner(catalog, session);
  assert.deepEqual(await run('SELECT SCOPE_IDENTITY()'), [[null]]);
  session.lastInsertId = 'cs_42';
  assert.deepEqual(await run('SELECT SCOPE_IDENTITY(), LAST_INSERT_ID()'), [['cs_42', 'cs_42']]);
});

test('SCOPE_IDENTITY() in INSERT … VALUES is the Id the session last created', async () => {
  const { run, session } = runner();
  session.lastInsertId = 'cus_7';
  await run('CREATE TABLE #links (CustomerId VARCHAR(40))');
  assert.equal(await run('INSERT INTO #links VALUES (SCOPE_IDENTITY())'), 1);
  assert.deepEqual(await run('SELECT CustomerId FROM #links'), [['cus_7']]);
});

test('planning errors point at the culprit and change nothing', async () => {
  const r = await withItems();
  const cases: [string, RegExp, string][] = [
    ['UPDATE #items SET Qtty = 1', /Unknown column Qtty in #items \(did you mean Qty\?\)/, 'Qtty'],
    ['UPDATE #items SET Qty = 1, qty = 2', /Column Qty is set more than once/, 'qty ='],
    ["UPDATE #items SET Qty = 'many'", /'many' is not a valid Integer \(column Qty\)/, "'many'"],
    ['UPDATE #nope SET a = 1', /Unknown table #nope/, '#nope'],
    ['DELETE FROM #items WHERE Nme = 1', /Unknown column Nme/, 'Nme'],
    ['UPDATE #items SET Qty = 1 RETURNING Nope', /Unknown column Nope/, 'Nope'],
  ];
  for (const [sql, reason, at] of cases) {
    await assert.rejects(r.run(sql), (e: unknown) => {
      assert.ok(e instanceof SqlError, `${sql}: ${String(e)}`);
      assert.match(e.reason, reason, sql);
      assert.equal(e.column, sql.indexOf(at) + 1, sql);
      return true;
    });
  }
  assert.deepEqual(await r.run('SELECT SUM(Qty) FROM #items'), [[7]]);
});

test('a read-only table refuses UPDATE and DELETE while planning', () => {
  const table = new MemoryTable('Fixed', [{ name: 'a', type: 'Integer' }], [[1]], { readOnly: true });
  const { planOf } = runner(catalogOf(table));
  assert.throws(() => planOf('UPDATE Fixed SET a = 2'), (e: unknown) => e instanceof SqlError && e.reason === 'Table Fixed does not support UPDATE' && e.column === 8);
  assert.throws(() => planOf('DELETE FROM Fixed'), (e: unknown) => e instanceof SqlError && e.reason === 'Table Fixed does not support DELETE' && e.column === 13);
});

test('a table that reports some rows failed: PartialWriteError lists each row', async () => {
  const table = new MemoryTable('T', [{ name: 'Id', type: 'String', key: true }, { name: 'v', type: 'Integer' }], [['a', 1], ['b', 2], ['c', 3]]);
  Object.assign(table, { rowIdentity: ['Id'] });
  table.update = async (request) => ({
    rowsAffected: 1,
    rows: request.rows.map((r, index) =>
      r.key.Id === 'b' ? { index, ok: false as const, id: 'b', error: new Error('refused') } : index === 0 ? { index, ok: true as const, id: String(r.key.Id) } : { index, ok: false as const, id: String(r.key.Id), error: new Error('not sent') }),
  });
  const { run } = runner(catalogOf(table));
  await assert.rejects(run("UPDATE T SET v = 0 WHERE Id IN ('a', 'b', 'c')"), (e: unknown) => {
    assert.ok(e instanceof PartialWriteError);
    assert.equal(e.message, 'UPDATE T: 1 of 3 rows written (a); row 2 (b): refused; row 3 (c): not sent');
    assert.deepEqual(e.succeededIds, ['a']);
    return true;
  });
});

test('with a row identity, WHERE key = constant writes without reading', async () => {
  const table = new MemoryTable('T', [{ name: 'Id', type: 'String', key: true }, { name: 'v', type: 'Integer' }], [['a', 1], ['b', 2]]);
  Object.assign(table, { rowIdentity: ['Id'] });
  const { run, planOf } = runner(catalogOf(table));
  assert.equal(await run("UPDATE T SET v = 5 WHERE Id = 'b'"), 1);
  assert.equal(table.scans.length, 0, 'no read before the write');
  assert.deepEqual(table.rows, [['a', 1], ['b', 5]]);
  assert.deepEqual(planOf("DELETE FROM T WHERE Id IN ('a', 'b') AND Id = 'a'").explain(), ['Delete from T', "  by key, no read first: Id = 'a'"]);
  assert.equal(await run("UPDATE T SET v = v + 1 WHERE Id = 'a'"), 1);
  assert.equal(table.scans.length, 1, 'a value that reads the row needs the row');
  assert.deepEqual(table.rows, [['a', 2], ['b', 5]]);
});
