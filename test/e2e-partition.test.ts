// A long full scan reads the rest of the list in parallel `created` windows once it has proven
// long, and still returns every row exactly once; an ordered or limited read stays sequential.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();
const COUNT = 1500;

let loaded = false;
function loadBulk(): void {
  if (loaded) return;
  loaded = true;
  // Many customers, several per second, with a two-year gap: the shapes that test window edges.
  const now = Math.floor(Date.UTC(2026, 0, 1) / 1000);
  const objects = Array.from({ length: COUNT }, (_, i) => ({
    id: `cus_bulk${String(i).padStart(5, '0')}`,
    object: 'customer',
    created: i < 1000 ? now - Math.floor(i / 4) * 7 : now - 2 * 365 * 86400 - i * 600,
    email: `bulk${i}@x.test`,
    livemode: false,
    metadata: {},
  }));
  e2e.emulator.putObjects(objects);
}

function createdWindows(): number {
  return e2e.emulator.requestLog.filter((r) => r.path === '/v1/customers' && /created\[(gte|lt)\]/.test(decodeURIComponent(r.query ?? ''))).length;
}

test('a full scan of a long list: every row once, the tail read in parallel windows', async () => {
  loadBulk();
  const seeded = e2e.emulator.objects('customer').length;
  e2e.emulator.clearLog();
  const { rows } = await e2e.db.query('SELECT COUNT(*) AS n, COUNT(DISTINCT Id) AS ids FROM Customers');
  assert.deepEqual(rows, [{ n: seeded, ids: seeded }]);
  assert.ok(seeded >= COUNT);
  assert.ok(createdWindows() > 0, 'windows were used');
  // The first five pages are the plain walk, as a sequential read would make them.
  const first = e2e.emulator.requestLog.slice(0, 5).map((r) => decodeURIComponent(r.query ?? ''));
  assert.ok(first.every((q) => !q.includes('created')), first.join('\n'));
});

test('ORDER BY Created DESC needs Stripe\'s own order: read sequentially, same rows', async () => {
  loadBulk();
  e2e.emulator.clearLog();
  const ordered = await e2e.db.query('SELECT Id FROM Customers ORDER BY Created DESC', undefined, { rowMode: 'array' });
  assert.equal(createdWindows(), 0);
  const parallel = await e2e.db.query('SELECT Id FROM Customers', undefined, { rowMode: 'array' });
  assert.deepEqual(parallel.rows.map((r) => r[0]).sort(), ordered.rows.map((r) => r[0]).sort());
});

test('EXPLAIN ANALYZE counts every request of a partitioned read, probes included', async () => {
  loadBulk();
  e2e.emulator.clearLog();
  const { rows } = await e2e.db.query('EXPLAIN ANALYZE SELECT COUNT(*) FROM Customers');
  const last = String(Object.values(rows.at(-1)!)[0]);
  const requests = Number(/(\d+) requests?(?: \(.*\))?$/.exec(last)?.[1]);
  assert.equal(requests, e2e.emulator.requestLog.length, last);
});

test("EXPLAIN ANALYZE shows the table's retries after Stripe's 429", async () => {
  e2e.emulator.clearLog();
  e2e.emulator.injectFaults({ count: 1, status: 429, pathPrefix: '/v1/customers' });
  const { rows } = await e2e.db.query("EXPLAIN ANALYZE SELECT Id FROM Customers WHERE Email = 'nobody@x.test'");
  const lines = rows.map((row) => String(Object.values(row)[0]));
  assert.deepEqual(e2e.emulator.requestLog.map((r) => r.status), [429, 200]);
  assert.match(lines.find((l) => /^ +actual:/.test(l))!, /^ +actual: 0 rows, 1 request \(1 retry, 1 after 429(; .*)?\), [\d.]+ ms$/, lines.join('\n'));
});
