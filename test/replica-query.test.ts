// Queries over the replica: filters, order and limit pushed into the store's SQL (EXPLAIN shows
// it) with the live answers; which tables are read from the replica (the freshness rule);
// sys_cache; CACHE table and CACHE SELECT.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Connection } from '../src/index.js';
import { requestLines, useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();
const dir = mkdtempSync(join(tmpdir(), 'stripe-sql-replica-query-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('pushdown into the replica', () => {
  const path = join(dir, 'pushdown.db');
  let cached: Connection;

  before(async () => {
    cached = e2e.connectWith({ cache: path });
    await cached.sync({ tables: ['Customers', 'Charges', 'CheckoutSession'] });
  });
  after(() => cached.close());

  const someEmail = async (): Promise<string> => String((await e2e.db.query('SELECT Email FROM Customers ORDER BY Id LIMIT 1')).rows[0]!.Email);

  // Each: the query, and the WHERE the store must be sent.
  const cases: [string, string, RegExp][] = [
    ['=', `SELECT Id, Email FROM Customers WHERE Email = '{email}'`, /WHERE "Email" = \?$/],
    ['<>', `SELECT Id FROM Charges WHERE Status <> 'succeeded'`, /WHERE "Status" <> \?$/],
    ['< and >=', `SELECT Id, Amount FROM Charges WHERE Amount < 5000 AND Created >= '2024-02-01'`, /WHERE "Amount" < \? AND "Created" >= \?$/],
    ['<= and >', `SELECT Id FROM Charges WHERE Amount <= 2000 AND Amount > 100`, /WHERE "Amount" <= \? AND "Amount" > \?$/],
    ['IN', `SELECT Id, Status FROM CheckoutSession WHERE Status IN ('open', 'expired')`, /WHERE "Status" IN \(\?, \?\)$/],
    ['IS NULL', `SELECT Id FROM Customers WHERE Description IS NULL`, /WHERE "Description" IS NULL$/],
    ['IS NOT NULL', `SELECT Id FROM Charges WHERE CustomerId IS NOT NULL`, /WHERE "CustomerId" IS NOT NULL$/],
    ['LIKE', `SELECT Id, Email FROM Customers WHERE Email LIKE '%a_e%'`, /WHERE "Email" GLOB \?$/],
    ['LIKE is case-sensitive', `SELECT Id FROM Customers WHERE Email LIKE '%EXAMPLE%'`, /WHERE "Email" GLOB \?$/],
    ['Boolean', `SELECT Id FROM Charges WHERE Paid = true AND Refunded = false`, /WHERE "Paid" = \? AND "Refunded" = \?$/],
    ['OR', `SELECT Id, Status, Amount FROM Charges WHERE Status = 'failed' OR Amount > 9000`, /WHERE \("Status" = \? OR "Amount" > \?\)$/],
    ['OR of ANDs', `SELECT Id FROM Charges WHERE (Status = 'failed' AND Amount < 3000) OR CustomerId IS NULL`, /WHERE \(\("Status" = \? AND "Amount" < \?\) OR "CustomerId" IS NULL\)$/],
  ];
  for (const [name, template, where] of cases) {
    test(`${name}: in the store's WHERE, with the live answer and no request`, async () => {
      const sql = template.replace('{email}', await someEmail());
      const live = await e2e.db.query(sql, [], { rowMode: 'array' });
      const plan = cached.explain(sql);
      const scan = plan.find((line) => line.includes('ReplicaScan'));
      assert.ok(scan, plan.join('\n'));
      assert.match(scan, where);
      assert.ok(!plan.some((line) => /residual|Filter/.test(line)), plan.join('\n'));
      e2e.emulator.clearLog();
      const copy = await cached.query(sql, [], { rowMode: 'array' });
      assert.deepEqual(requestLines(e2e.emulator.requestLog), []);
      assert.deepEqual(copy.rows.map((r) => JSON.stringify(r)).sort(), live.rows.map((r) => JSON.stringify(r)).sort());
      // Every case but the upper-case pattern selects some rows of the demo data, not all of them.
      if (name !== 'LIKE is case-sensitive') assert.ok(live.rowCount > 0, `${sql}: no rows`);
      else assert.equal(live.rowCount, 0);
    });
  }

  test('ORDER BY and LIMIT go into the SQL too; rows arrive in order', async () => {
    const sql = `SELECT Id, Amount, Created FROM Charges WHERE Amount > 1000 ORDER BY Amount DESC, Id LIMIT 7`;
    const plan = cached.explain(sql);
    assert.ok(plan.some((line) => line.endsWith(`FROM "Charges" WHERE "Amount" > ? ORDER BY "Amount" DESC NULLS FIRST, "Id" ASC NULLS LAST LIMIT ?`)), plan.join('\n'));
    assert.ok(plan.includes('  parameters: 1000, 7'), plan.join('\n'));
    assert.ok(!plan.some((line) => /^Sort/.test(line.trim())), plan.join('\n'));
    assert.deepEqual((await cached.query(sql, [], { rowMode: 'array' })).rows, (await e2e.db.query(sql, [], { rowMode: 'array' })).rows);
  });

  test('NULLs sort as live, ascending and descending, with the order in the SQL', async () => {
    for (const sql of ['SELECT Id, Phone FROM Customers ORDER BY Phone, Id', 'SELECT Id, Phone FROM Customers ORDER BY Phone DESC, Id DESC LIMIT 30']) {
      assert.ok(cached.explain(sql).some((line) => line.includes('ORDER BY "Phone"')), cached.explain(sql).join('\n'));
      const live = await e2e.db.query(sql, [], { rowMode: 'array' });
      const phones = live.rows.map((r) => r[1]);
      assert.ok(phones.includes(null) && phones.some((p) => p !== null), 'some phones are NULL, some not');
      assert.deepEqual((await cached.query(sql, [], { rowMode: 'array' })).rows, live.rows, sql);
    }
  });

  test('what the store cannot take stays with the engine: a function of a column is filtered above the scan', async () => {
    const sql = `SELECT Id FROM Customers WHERE LOWER(Email) LIKE 'a%'`;
    const plan = cached.explain(sql);
    assert.ok(plan.some((line) => line.includes('SELECT "Id", "Email" FROM "Customers"') && !line.includes('WHERE')), plan.join('\n'));
    assert.deepEqual((await cached.query(sql)).rows, (await e2e.db.query(sql)).rows);
    // An OR reaching into a JSON member stays with the engine whole.
    const json = `SELECT Id FROM Customers WHERE JSON_EXTRACT(Metadata, '$.segment') = 'enterprise' OR Phone IS NULL ORDER BY Id`;
    const jsonPlan = cached.explain(json).join('\n');
    assert.match(jsonPlan, /residual: |Filter /);
    assert.doesNotMatch(jsonPlan, /WHERE/);
    const live = await e2e.db.query(json);
    assert.ok(live.rowCount > 0);
    assert.deepEqual((await cached.query(json)).rows, live.rows);
  });

  test('GROUP BY and joins over replica tables, with no request', async () => {
    const sql = `SELECT cu.Id, COUNT(*) AS n, SUM(ch.Amount) AS total FROM Charges ch JOIN Customers cu ON cu.Id = ch.CustomerId GROUP BY cu.Id ORDER BY total DESC, cu.Id LIMIT 5`;
    const live = await e2e.db.query(sql);
    e2e.emulator.clearLog();
    assert.deepEqual((await cached.query(sql)).rows, live.rows);
    assert.equal(e2e.emulator.requestLog.length, 0);
  });

  test('a table not in the replica is read from Stripe, beside one that is', async () => {
    e2e.emulator.clearLog();
    const result = await cached.query('SELECT COUNT(*) AS n FROM Invoices');
    assert.equal(result.rows[0]!.n, e2e.emulator.objects('invoice').length);
    assert.ok(requestLines(e2e.emulator.requestLog).every((line) => line.startsWith('GET /v1/invoices')));
    assert.ok(e2e.emulator.requestLog.length > 0);
  });
});

describe('the freshness rule and sys_cache', () => {
  test('with CacheTolerance, tables synced longer ago than that are brought up to date from events before a statement, those events cannot follow are read live; sys_cache says where each is read from', async () => {
    const path = join(dir, 'tolerance.db');
    const db = e2e.connectWith({ cache: path });
    await db.sync({ tables: ['Customers', 'Products', 'Balance'] });
    await db.close();
    // Products and Balance as if synced two hours ago.
    const file = new Database(path);
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString();
    file.prepare(`UPDATE stripe_sync_state SET synced_at = ? WHERE table_name IN ('Products', 'Balance')`).run(twoHoursAgo);
    file.close();
    const product = String(e2e.emulator.objects('product')[0]!.id);
    await e2e.db.execute(`UPDATE Products SET Description = 'changed since the sync' WHERE Id = '${product}'`);

    const tolerant = e2e.connectWith({ cache: path, cacheTolerance: 3600 });
    e2e.emulator.clearLog();
    await tolerant.query('SELECT Id FROM Customers');
    assert.deepEqual(e2e.emulator.requestLog.map((r) => r.path), ['/v1/events'], 'the first statement brings the stale tables up to date: one read of the events');
    e2e.emulator.clearLog();
    const changed = await tolerant.query(`SELECT Description FROM Products WHERE Id = '${product}'`);
    assert.equal(changed.rows[0]!.Description, 'changed since the sync');
    assert.equal(e2e.emulator.requestLog.length, 0, 'Products: up to date from events, read from the replica');
    await tolerant.query('SELECT * FROM Balance');
    assert.deepEqual(e2e.emulator.requestLog.map((r) => r.path), ['/v1/balance'], 'Balance: events do not follow it, older than the tolerance, read live');
    assert.match(tolerant.explain('SELECT * FROM Balance').join('\n'), /StripeScan Balance/);
    assert.match(tolerant.explain('SELECT Id FROM Products').join('\n'), /ReplicaScan Products/);

    const cache = await tolerant.query('SELECT TableName, RowCount, State, ReadFrom, AgeSeconds, SyncedAt, Cursor FROM sys_cache ORDER BY TableName');
    assert.deepEqual(cache.rows.map((r) => [r.TableName, r.State, r.ReadFrom]), [
      ['Balance', 'synced', 'Stripe'],
      ['Customers', 'synced', 'replica'],
      ['Products', 'synced', 'replica'],
    ]);
    assert.deepEqual(cache.rows.slice(1).map((r) => r.RowCount), [e2e.emulator.objects('customer').length, e2e.emulator.objects('product').length]);
    const [balance, , products] = cache.rows;
    assert.ok(Number(balance!.AgeSeconds) >= 7200 && Number(balance!.AgeSeconds) < 7300);
    assert.equal((balance!.SyncedAt as Date).toISOString(), twoHoursAgo);
    assert.ok(Number(products!.AgeSeconds) < 60);
    const newest = Math.max(...e2e.emulator.objects('product').map((p) => Number(p.created)));
    assert.equal((products!.Cursor as Date).getTime(), newest * 1000);
    await tolerant.close();

    // Without a tolerance every table synced whole is read from the replica, however old.
    const patient = e2e.connectWith({ cache: path });
    e2e.emulator.clearLog();
    await patient.query('SELECT * FROM Balance');
    assert.equal(e2e.emulator.requestLog.length, 0);
    await patient.close();
  });

  test('a connection opened before a sync reads what the sync stored, at once', async () => {
    const path = join(dir, 'later.db');
    const reader = e2e.connectWith({ cache: path });
    assert.match(reader.explain('SELECT Id FROM TaxRates').join('\n'), /StripeScan TaxRates/);
    const writer = e2e.connectWith({ cache: path });
    await writer.sync({ tables: ['TaxRates'] });
    await writer.close();
    assert.match(reader.explain('SELECT Id FROM TaxRates').join('\n'), /ReplicaScan TaxRates/);
    e2e.emulator.clearLog();
    assert.equal((await reader.query('SELECT COUNT(*) AS n FROM TaxRates')).rows[0]!.n, e2e.emulator.objects('tax_rate').length);
    assert.equal(e2e.emulator.requestLog.length, 0);
    await reader.close();
  });

  test('writes to a table read from the replica go to Stripe', async () => {
    const path = join(dir, 'writes.db');
    const db = e2e.connectWith({ cache: path });
    await db.sync({ tables: ['Customers'] });
    const id = String(e2e.emulator.objects('customer')[0]!.id);
    e2e.emulator.clearLog();
    const result = await db.execute(`UPDATE Customers SET Description = 'via the replica' WHERE Id = '${id}'`);
    assert.equal(result.rowsAffected, 1);
    assert.deepEqual(e2e.emulator.requestLog.map((r) => `${r.method} ${r.path}`), [`POST /v1/customers/${id}`]);
    assert.equal(e2e.emulator.objects('customer').find((c) => c.id === id)!.description, 'via the replica');
    await db.close();
  });
});

describe('CACHE statements', () => {
  test('CACHE table copies it whole, and it is then read from the replica', async () => {
    const path = join(dir, 'cache-table.db');
    const db = e2e.connectWith({ cache: path });
    e2e.emulator.clearLog();
    const result = await db.execute('CACHE Prices');
    assert.equal(result.rowsAffected, e2e.emulator.objects('price').length);
    assert.ok(requestLines(e2e.emulator.requestLog).every((line) => line.startsWith('GET /v1/prices?')));
    e2e.emulator.clearLog();
    const live = await e2e.db.query('SELECT * FROM Prices ORDER BY Id', [], { rowMode: 'array' });
    const before = e2e.emulator.requestLog.length;
    assert.deepEqual((await db.query('SELECT * FROM Prices ORDER BY Id', [], { rowMode: 'array' })).rows, live.rows);
    assert.equal(e2e.emulator.requestLog.length, before);
    // CACHE reads the source again even when the copy is fresh.
    e2e.emulator.clearLog();
    await db.execute('CACHE Prices');
    assert.ok(e2e.emulator.requestLog.length > 0);
    await db.close();
  });

  test('CACHE SELECT … WHERE Created > … stores the whole rows it selects, pushed down to Stripe; the table stays partial', async () => {
    const path = join(dir, 'cache-select.db');
    const db = e2e.connectWith({ cache: path });
    const since = '2024-03-01';
    const sql = `CACHE SELECT Id, Amount FROM Charges WHERE Created > '${since}'`;
    assert.match(db.explain(sql).join('\n'), /StripeScan Charges: GET \/v1\/charges\?created\[gt\]=1709251200/);
    e2e.emulator.clearLog();
    const result = await db.execute(sql);
    assert.ok(requestLines(e2e.emulator.requestLog).every((line) => line.includes('created[gt]=1709251200')));
    const expected = await e2e.db.query(`SELECT * FROM Charges WHERE Created > '${since}'`, [], { rowMode: 'array' });
    assert.equal(result.rowsAffected, expected.rowCount);

    const state = (await db.query(`SELECT RowCount, State, ReadFrom FROM sys_cache WHERE TableName = 'Charges'`)).rows[0]!;
    assert.deepEqual(state, { RowCount: expected.rowCount, State: 'partial', ReadFrom: 'Stripe' });
    // Not read whole: online queries still read Charges live; offline reads the rows CACHE stored.
    assert.match(db.explain('SELECT Id FROM Charges').join('\n'), /StripeScan Charges/);
    const offline = e2e.connectWith({ cache: path, offline: true, apiKey: undefined });
    const copy = await offline.query('SELECT * FROM Charges', [], { rowMode: 'array' });
    assert.deepEqual(copy.rows.map((r) => JSON.stringify(r)).sort(), expected.rows.map((r) => JSON.stringify(r)).sort());
    await offline.close();
    await db.close();
  });

  test('CACHE is refused without a replica, offline, and for what cannot be copied — before any request', async () => {
    e2e.emulator.clearLog();
    await assert.rejects(e2e.db.execute('CACHE Customers'), /CACHE needs a local replica/);
    const path = join(dir, 'refusals.db');
    const db = e2e.connectWith({ cache: path });
    await assert.rejects(db.execute('CACHE Mandates'), /CACHE Mandates: Mandates needs Id/);
    await assert.rejects(db.execute('CACHE SELECT COUNT(*) FROM Charges GROUP BY Status'), /CACHE SELECT copies rows of one table/);
    await assert.rejects(db.execute('CACHE Nope'), /Unknown table Nope/);
    await db.execute('CACHE Coupons');
    const offline = e2e.connectWith({ cache: path, offline: true, apiKey: undefined });
    e2e.emulator.clearLog();
    await assert.rejects(offline.execute('CACHE Coupons'), /CACHE needs a local replica/);
    assert.equal(e2e.emulator.requestLog.length, 0);
    await offline.close();
    await db.close();
  });
});
