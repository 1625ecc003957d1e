// Issue 12, "A local replica": a sync of the demo data, then the same queries offline. Every
// synced table answers the same rows from the replica as live, offline sends nothing, and a
// sync stopped midway (an injected failure) and run again ends identical to one that was not.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ConnectionError, StripeApiError, type Connection } from '../src/index.js';
import { useEmulator } from './e2e-helpers.js';
import { dumpReplica as dump } from './support/replica-dump.js';

const e2e = useEmulator();
const dir = mkdtempSync(join(tmpdir(), 'stripe-sql-replica-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Rows as comparable text, in a fixed order whatever order they came in. */
function rowSet(rows: readonly unknown[][]): string[] {
  return rows.map((row) => JSON.stringify(row)).sort();
}

describe('sync of the demo data, then offline', () => {
  const path = join(dir, 'demo.db');
  let synced: string[] = [];
  let skipped: { table: string; reason: string }[] = [];
  let offline: Connection;

  before(async () => {
    const db = e2e.connectWith({ cache: path });
    const report = await db.sync();
    await db.close();
    synced = report.tables.map((t) => t.table);
    skipped = report.skipped;
    offline = e2e.connectWith({ cache: path, offline: true, apiKey: undefined });
  });
  after(() => offline.close());

  test('every table Stripe lists without a filter is synced; the others are skipped with the reason', () => {
    assert.ok(synced.length >= 100, `synced ${synced.length} tables`);
    for (const name of ['Customers', 'Charges', 'CheckoutSession', 'Invoices', 'InvoiceLineItems', 'Subscriptions', 'Balance', 'Events']) {
      assert.ok(synced.includes(name), `${name} synced`);
    }
    const reasons = Object.fromEntries(skipped.map((s) => [s.table, s.reason]));
    assert.match(reasons['Mandates'] ?? '', /Id/);
    assert.match(reasons['UsageRecordSummaries'] ?? '', /SubscriptionItemId/);
    assert.ok(!synced.some((name) => name in reasons));
  });

  test('offline, every synced table answers the same rows as the live query, and no request is made', async () => {
    for (const table of synced) {
      const sql = `SELECT * FROM ${table}`;
      const live = await e2e.db.query(sql, [], { rowMode: 'array' });
      e2e.emulator.clearLog();
      const copy = await offline.query(sql, [], { rowMode: 'array' });
      assert.equal(e2e.emulator.requestLog.length, 0, `${table}: no request offline`);
      assert.deepEqual(copy.columns, live.columns, `${table}: columns`);
      assert.ok(live.rowCount > 0, `${table} has rows in the demo data`);
      assert.deepEqual(rowSet(copy.rows), rowSet(live.rows), `${table}: rows`);
    }
    assert.equal(offline.stats.requests, 0);
  });

  test('offline ORDER BY Id gives the live order', async () => {
    for (const table of ['Customers', 'Charges', 'PaymentIntent', 'Prices']) {
      const sql = `SELECT * FROM ${table} ORDER BY Id`;
      const live = await e2e.db.query(sql, [], { rowMode: 'array' });
      assert.deepEqual((await offline.query(sql, [], { rowMode: 'array' })).rows, live.rows, table);
    }
  });

  test('offline, a table the replica lacks is an error naming it, before any request', async () => {
    e2e.emulator.clearLog();
    await assert.rejects(offline.query('SELECT Id FROM Mandates'), /Mandates is not in the replica .*Offline=true/);
    assert.equal(e2e.emulator.requestLog.length, 0);
  });

  test('offline, writes and procedures are refused and nothing is sent', async () => {
    e2e.emulator.clearLog();
    await assert.rejects(offline.execute(`UPDATE Customers SET Description = 'x' WHERE Email = 'nobody@example.com'`), /Offline=true/);
    await assert.rejects(offline.execute(`INSERT INTO Customers (Email) VALUES ('a@example.com')`), /Offline=true/);
    await assert.rejects(offline.query(`EXEC ExpireCheckoutSession @CheckoutSessionId = 'cs_test_1'`), /Offline=true/);
    assert.equal(e2e.emulator.requestLog.length, 0);
  });

  test('offline, the connection lists only the replica tables, described as live', () => {
    const names = offline.tables().map((t) => t.name);
    assert.deepEqual([...names].sort(), [...synced].sort());
    const described = offline.tables().find((t) => t.name === 'Charges')!;
    const live = e2e.db.tables().find((t) => t.name === 'Charges')!;
    assert.deepEqual({ ...described, insertable: live.insertable, updatable: live.updatable, deletable: live.deletable, filters: live.filters }, live);
    assert.deepEqual([described.insertable, described.updatable, described.deletable], [false, false, false], 'offline takes no writes');
    assert.deepEqual(described.filters, {}, 'offline, no filter runs at Stripe');
  });
});

describe('connection properties', () => {
  test('CacheLocation, Offline and CacheTolerance in a connection string', async () => {
    const path = join(dir, 'props.db');
    const { connect } = await import('../src/index.js');
    const db = connect(`AuthScheme=APIKey;BaseUrl=${e2e.emulator.url};APIKey=sk_test_props;CacheLocation=${path};CacheTolerance=60`);
    await db.sync({ tables: ['Coupons'] });
    await db.close();
    const offline = connect(`CacheLocation=${path};Offline=true`);
    assert.equal((await offline.query('SELECT COUNT(*) AS n FROM Coupons')).rows[0]!.n, e2e.emulator.objects('coupon').length);
    await offline.close();
    assert.throws(() => connect('Offline=true'), (error: unknown) => error instanceof ConnectionError && /CacheLocation/.test(error.message));
    assert.throws(() => connect(`CacheLocation=${join(dir, 'nothing-here.db')};Offline=true`), /no replica there/);
    assert.throws(() => connect('CacheTolerance=soon;APIKey=sk_test_x'), /CacheTolerance must be a number/);
    // A key given as the location is refused without being repeated.
    assert.throws(() => connect('CacheLocation=sk_test_51Hsecretsecret;APIKey=sk_test_x'), (error: unknown) =>
      error instanceof ConnectionError && /looks like an API key/.test(error.message) && !error.message.includes('secret'));
    // A PostgreSQL replica nobody answers at: the first statement says where, never the password.
    const unreachable = connect('CacheLocation=postgres://u:pw@127.0.0.1:1/db;APIKey=sk_test_x');
    await assert.rejects(unreachable.query('SELECT Id FROM Customers'), (error: unknown) =>
      error instanceof ConnectionError && /CacheLocation postgres:\/\/u:…@127\.0\.0\.1:1\/db/.test(error.message) && !error.message.includes('pw'));
    await unreachable.close();
  });
});

describe('an interrupted sync', () => {
  const tables = ['Customers', 'CheckoutSessionLineItems', 'Charges'];

  test('stopped by a failure midway through a table, run again: identical to a sync that was not stopped', async () => {
    const whole = join(dir, 'whole.db');
    const resumed = join(dir, 'resumed.db');
    const reference = e2e.connectWith({ cache: whole });
    await reference.sync({ tables });
    await reference.close();

    // The line items of the oldest checkout session are read last (parents newest first): the
    // request for them fails once, after the rows of every other session have been stored.
    const sessions = e2e.emulator.objects('checkout.session');
    const oldest = String(sessions[sessions.length - 1]!.id);
    e2e.emulator.injectFaults({ count: 1, status: 500, pathPrefix: `/v1/checkout/sessions/${oldest}/line_items` });
    const first = e2e.connectWith({ cache: resumed, maxRetries: 0 });
    await assert.rejects(first.sync({ tables }), (error: unknown) => error instanceof StripeApiError && error.status === 500);
    await first.close();

    const state = (path: string) => {
      const db = new Database(path, { readonly: true });
      try {
        return Object.fromEntries((db.prepare('SELECT table_name, running, row_count, run_rows, synced_at FROM stripe_sync_state').all() as { table_name: string }[]).map((r) => [r.table_name, r]));
      } finally {
        db.close();
      }
    };
    const stopped = state(resumed) as unknown as Record<string, { running: number; run_rows: number; synced_at: string | null }>;
    assert.equal(stopped['Customers']!.running, 0, 'Customers was complete');
    assert.equal(stopped['CheckoutSessionLineItems']!.running, 1, 'the line items were interrupted');
    const total = Number((await e2e.db.query('SELECT COUNT(*) AS n FROM CheckoutSessionLineItems')).rows[0]!.n);
    const kept = stopped['CheckoutSessionLineItems']!.run_rows;
    assert.ok(kept >= 100 && kept < total, `pages stored before the failure: ${kept} of ${total}`);
    assert.equal(stopped['Charges'], undefined, 'Charges not begun');

    const again = e2e.connectWith({ cache: resumed });
    const report = await again.sync({ tables });
    await again.close();
    assert.deepEqual(report.tables.map((t) => [t.table, t.resumed]), [['Customers', false], ['CheckoutSessionLineItems', true], ['Charges', false]]);
    assert.deepEqual(dump(resumed), dump(whole));
  });

  test('stopped from outside (an abort) after the first page: the rows stored stay, nothing twice after the next run', async () => {
    const path = join(dir, 'aborted.db');
    const stop = new AbortController();
    const db = e2e.connectWith({ cache: path });
    await assert.rejects(db.sync({
      tables: ['CheckoutSession'],
      signal: stop.signal,
      onProgress: (p) => {
        if (p.phase === 'rows') stop.abort(new Error('stopped'));
      },
    }));
    const partial = await e2e.connectWith({ cache: path, offline: true, apiKey: undefined });
    const status = (await partial.query(`SELECT State, RowCount FROM sys_cache WHERE TableName = 'CheckoutSession'`)).rows[0]!;
    assert.equal(status.State, 'interrupted');
    assert.equal(status.RowCount, 100);
    await partial.close();
    await db.sync({ tables: ['CheckoutSession'] });
    await db.close();
    const check = new Database(path, { readonly: true });
    const [count, distinct] = check.prepare('SELECT COUNT(*), COUNT(DISTINCT "Id") FROM "CheckoutSession"').raw().get() as number[];
    check.close();
    assert.equal(count, e2e.emulator.objects('checkout.session').length);
    assert.equal(distinct, count);
  });
});

describe('a sync run again', () => {
  test('brings the table up to date from events: updates what changed and removes what Stripe no longer has', async () => {
    const path = join(dir, 'again.db');
    const db = e2e.connectWith({ cache: path });
    await db.sync({ tables: ['Customers'] });
    const [gone, changed] = e2e.emulator.objects('customer').slice(-2).map((c) => String(c.id));
    await e2e.db.execute(`DELETE FROM Customers WHERE Id = '${gone}'`);
    await e2e.db.execute(`UPDATE Customers SET Description = 'changed in Stripe' WHERE Id = '${changed}'`);
    const report = await db.sync({ tables: ['Customers'] });
    assert.equal(report.tables[0]!.mode, 'events');
    assert.equal(report.tables[0]!.removed, 1);
    assert.equal(report.tables[0]!.rows, e2e.emulator.objects('customer').length);
    const copy = e2e.connectWith({ cache: path, offline: true, apiKey: undefined });
    assert.equal((await copy.query(`SELECT COUNT(*) AS n FROM Customers WHERE Id = '${gone}'`)).rows[0]!.n, 0);
    assert.equal((await copy.query(`SELECT Description FROM Customers WHERE Id = '${changed}'`)).rows[0]!.Description, 'changed in Stripe');
    await copy.close();
    await db.close();
  });
});
