// Issue 12, incremental sync: after a full sync, the next one reads Stripe's events since the
// stored cursor (one request per 100 events) and applies them, fetching by id only the objects
// whose event payload falls short. The replica then equals a fresh full sync, row for row.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { useEmulator, type E2E } from './e2e-helpers.js';
import pg from 'pg';
import { dumpReplica } from './support/replica-dump.js';
import { startPostgres, type PostgresCluster } from './support/postgres-cluster.js';

const dir = mkdtempSync(join(tmpdir(), 'stripe-sql-events-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Customers (read with expanded lists: their events fall short), and tables whose events carry the whole object. */
const TABLES = ['Customers', 'Products', 'Coupons', 'Prices', 'Events'];

/** The rows of each table; the state's counts, without its times and run bookkeeping. */
async function contents(location: string): Promise<{ tables: Record<string, string[]>; counts: unknown[] }> {
  if (location.startsWith('postgres://')) return postgresContents(location);
  const { stripe_sync_state: _state, ...tables } = dumpReplica(location);
  const db = new Database(location, { readonly: true });
  try {
    const counts = db.prepare('SELECT table_name, row_count FROM stripe_sync_state ORDER BY table_name').all();
    return { tables, counts };
  } finally {
    db.close();
  }
}

async function postgresContents(url: string): Promise<{ tables: Record<string, string[]>; counts: unknown[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const counts = (await client.query('SELECT table_name, row_count FROM stripe_sync_state ORDER BY table_name')).rows;
    const tables: Record<string, string[]> = {};
    for (const { table_name: name } of counts as { table_name: string }[]) {
      const rows = (await client.query(`SELECT * FROM "${name}"`)).rows as Record<string, unknown>[];
      tables[name] = rows.map(({ _sync_run, ...row }) => JSON.stringify(row)).sort();
    }
    return { tables, counts };
  } finally {
    await client.end();
  }
}

/** Sets a table's events cursor, as if its last sync were that old. */
async function ageCursor(location: string, table: string, cursor: Date): Promise<void> {
  const sql = 'UPDATE stripe_sync_state SET events_cursor = $1 WHERE table_name = $2';
  if (location.startsWith('postgres://')) {
    const client = new pg.Client({ connectionString: location });
    await client.connect();
    await client.query(sql, [cursor.toISOString(), table]).finally(() => client.end());
    return;
  }
  const file = new Database(location);
  file.prepare(sql.replace(/\$\d/g, '?')).run(cursor.toISOString(), table);
  file.close();
}

/** 100 writes, each one request: creates, updates and deletes over four tables. */
async function hundredWrites(e2e: E2E, prefix: string): Promise<void> {
  const db = e2e.db;
  let writes = 0;
  const write = async (sql: string) => {
    const result = await db.execute(sql);
    assert.equal(result.rowsAffected, 1, sql);
    writes++;
  };
  for (let i = 0; i < 30; i++) await write(`INSERT INTO Customers (Email, Name) VALUES ('${prefix}${i}@example.com', '${prefix} ${i}')`);
  for (let i = 0; i < 20; i++) await write(`UPDATE Customers SET Description = 'changed ${i}' WHERE Email = '${prefix}${i}@example.com'`);
  for (let i = 20; i < 30; i++) await write(`DELETE FROM Customers WHERE Email = '${prefix}${i}@example.com'`);
  const products = (await db.query('SELECT Id FROM Products ORDER BY Id LIMIT 10')).rows.map((r) => r.Id);
  for (const id of products) await write(`UPDATE Products SET Description = 'from events' WHERE Id = '${id}'`);
  for (let i = 0; i < 10; i++) await write(`INSERT INTO Products (Name) VALUES ('${prefix} product ${i}')`);
  for (let i = 0; i < 10; i++) await write(`INSERT INTO Coupons (Name, PercentOff, Duration) VALUES ('${prefix} ${i}', ${i + 5}, 'once')`);
  for (let i = 0; i < 5; i++) await write(`DELETE FROM Coupons WHERE Name = '${prefix} ${i}'`);
  const prices = (await db.query('SELECT Id FROM Prices ORDER BY Id LIMIT 5')).rows.map((r) => r.Id);
  for (const id of prices) await write(`UPDATE Prices SET Nickname = 'from events' WHERE Id = '${id}'`);
  assert.equal(writes, 100);
}

for (const kind of ['sqlite', 'postgres'] as const) {
describe(`incremental sync from events (${kind})`, () => {
  // An emulator of its own: the events of the other store's run are not in this one's reads.
  const e2e = useEmulator();
  let cluster: PostgresCluster | undefined;
  let databases = 0;
  /** A new replica: an SQLite file, or a new database in the test's own PostgreSQL cluster. */
  const replica = async (name: string) => (kind === 'sqlite' ? join(dir, `${name}.db`) : cluster!.createDatabase(`${name}_${++databases}`));
  before(async () => {
    if (kind === 'postgres') cluster = await startPostgres();
  });
  after(() => cluster?.stop());

  test('after 100 writes through stripe-sql, the next sync applies them with ⌈events/100⌉ + (objects fetched whole) requests, and equals a fresh full sync', async () => {
    const path = await replica('incremental');
    const db = e2e.connectWith({ cache: path });
    const first = await db.sync({ tables: TABLES });
    assert.deepEqual(first.tables.map((t) => t.mode), TABLES.map(() => 'full'));

    await hundredWrites(e2e, `${kind}-events`);
    e2e.emulator.clearLog();
    const second = await db.sync({ tables: TABLES });
    await db.close();
    const log = e2e.emulator.requestLog.map((r) => `${r.method} ${r.path}`);

    assert.deepEqual(second.tables.map((t) => [t.table, t.mode]), TABLES.map((t) => [t, 'events']));
    const events = second.events!;
    const newEvents = e2e.emulator.objects('event').filter((e) => Number(e.created) * 1000 >= events.since.getTime()).length;
    assert.equal(events.read, newEvents, 'every event since the cursor read once');
    assert.ok(events.read >= 100, `events read: ${events.read}`);
    const eventPages = log.filter((line) => line === 'GET /v1/events');
    assert.equal(eventPages.length, Math.ceil(events.read / 100), 'one request per 100 events');

    const by = Object.fromEntries(second.tables.map((t) => [t.table, t]));
    // Customers are read with lists Stripe sends only when asked (sources, subscriptions, tax
    // ids): their events fall short, and each changed customer still there is read by id.
    assert.equal(by.Customers!.events, 30, 'customers created, updated or deleted');
    assert.equal(by.Customers!.fetched, 20, 'the 20 created and kept');
    assert.equal(by.Products!.events, 20);
    assert.equal(by.Products!.fetched, 0, 'product events carry the whole product');
    assert.equal(by.Coupons!.events, 10);
    assert.equal(by.Prices!.events, 5);
    assert.equal(by.Events!.events, events.read);
    const fetched = second.tables.reduce((n, t) => n + (t.fetched ?? 0), 0);
    const byId = log.filter((line) => line !== 'GET /v1/events');
    assert.ok(byId.every((line) => /^GET \/v1\/customers\/cus_\w+$/.test(line)), byId.join('\n'));
    assert.equal(byId.length, fetched, 'one request per object fetched whole');
    assert.ok(log.length <= Math.ceil(events.read / 100) + fetched, `${log.length} requests`);

    const freshPath = await replica('fresh');
    const fresh = e2e.connectWith({ cache: freshPath });
    await fresh.sync({ tables: TABLES });
    await fresh.close();
    const [mine, theirs] = [await contents(path), await contents(freshPath)];
    for (const table of TABLES) assert.deepEqual(mine.tables[table], theirs.tables[table], `${table}: row for row`);
    assert.deepEqual(mine.counts, theirs.counts);

    // sys_cache shows where the next sync reads the events from: the newest event applied.
    const offline = e2e.connectWith({ cache: path, offline: true, apiKey: undefined });
    const cursors = (await offline.query(`SELECT TableName, EventsCursor FROM sys_cache WHERE TableName IN ('Customers', 'Events')`)).rows;
    await offline.close();
    const newest = Math.max(...e2e.emulator.objects('event').filter((e) => Number(e.created) * 1000 >= events.since.getTime()).map((e) => Number(e.created)));
    assert.deepEqual(cursors.map((r) => (r.EventsCursor as Date).getTime()), [newest * 1000, newest * 1000]);
  });

  test('events applied again (the minute before a full read is read twice) change nothing', async () => {
    const path = await replica('again');
    const db = e2e.connectWith({ cache: path });
    await db.sync({ tables: ['Products', 'Coupons'] });
    const stored = await contents(path);
    e2e.emulator.clearLog();
    const again = await db.sync({ tables: ['Products', 'Coupons'] });
    const twice = await db.sync({ tables: ['Products', 'Coupons'] });
    await db.close();
    assert.deepEqual(again.tables.map((t) => t.mode), ['events', 'events']);
    assert.ok(twice.tables.every((t, i) => t.events! <= again.tables[i]!.events!), 'from the newest event applied on');
    const paths = e2e.emulator.requestLog.map((r) => r.path);
    assert.ok(paths.length >= 2 && paths.every((path) => path === '/v1/events'), `no object fetched, their events carry them whole: ${paths.join(', ')}`);
    assert.deepEqual(await contents(path), stored);
  });

  test('a cursor older than the 30 days of events Stripe keeps: that table is read whole, and the report says so', async () => {
    const path = await replica('old');
    const db = e2e.connectWith({ cache: path });
    await db.sync({ tables: ['Products', 'Coupons'] });
    await ageCursor(path, 'Coupons', new Date(Date.now() - 31 * 24 * 3600_000));
    e2e.emulator.clearLog();
    const again = await db.sync({ tables: ['Products', 'Coupons'] });
    await db.close();
    const coupons = again.tables.find((t) => t.table === 'Coupons')!;
    assert.equal(coupons.mode, 'full');
    assert.match(coupons.note ?? '', /older than the 30 days of events Stripe keeps/);
    assert.equal(again.tables.find((t) => t.table === 'Products')!.mode, 'events');
    const paths = e2e.emulator.requestLog.map((r) => r.path);
    assert.deepEqual([...new Set(paths)].sort(), ['/v1/coupons', '/v1/events']);
  });

  test('a table events cannot follow (rows listed under a parent) is read whole by every sync, and the report says why', async () => {
    const path = await replica('children');
    const db = e2e.connectWith({ cache: path });
    await db.sync({ tables: ['InvoiceLineItems'] });
    const again = await db.sync({ tables: ['InvoiceLineItems'] });
    await db.close();
    assert.equal(again.tables[0]!.mode, 'full');
    assert.match(again.tables[0]!.note ?? '', /events do not follow it/);
  });
});
}
