// Writes are counted as Stripe carried them out, even when the answer never arrived: a DELETE
// whose answer was lost and whose retry finds nothing (404) was deleted by the lost attempt; a
// write whose answer came after the client's timeout is retried under its Idempotency-Key and
// reported as the success it was. Time is a fake clock the transport keeps (retry waits,
// timeouts) and late answers are held on it (support/virtual-time.ts): nothing waits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConnectOptions } from '../src/index.js';
import { requestLines, useEmulator } from './e2e-helpers.js';
import { virtualStripe, type VirtualStripeOptions } from './support/virtual-time.js';

const e2e = useEmulator();

/** Runs `sql` on a connection whose time is a fake clock; the answers as `late` says. */
async function execute(sql: string, options: Partial<ConnectOptions> = {}, late?: VirtualStripeOptions['latencyMs']) {
  const stripe = virtualStripe(late ? { latencyMs: late } : {});
  const db = e2e.connectWith({ ...options, fetch: stripe.fetch, budgets: stripe.budgets });
  try {
    return { ...(await stripe.run(db.query(sql))), clock: stripe.clock };
  } finally {
    await db.close();
  }
}

/** The first request of `method` answers 1.5 s late; the others at once. */
function firstLate(method: string): VirtualStripeOptions['latencyMs'] {
  let seen = false;
  return (_index, _url, init) => {
    if (seen || init?.method !== method) return 0;
    seen = true;
    return 1500;
  };
}

function putCustomers(prefix: string, count: number): string[] {
  const created = Math.floor(Date.UTC(2025, 5, 1) / 1000);
  const objects = Array.from({ length: count }, (_, i) => ({
    id: `cus_${prefix}${String(i).padStart(3, '0')}`, object: 'customer', created: created + i, email: `${prefix}${i}@x.test`, livemode: false, metadata: {},
  }));
  e2e.emulator.putObjects(objects);
  return objects.map((o) => o.id);
}

const live = (ids: string[]) => {
  const wanted = new Set(ids);
  return e2e.emulator.objects('customer').filter((c) => wanted.has(String(c.id)) && c.deleted !== true).length;
};

test('a DELETE whose answer is lost, then 404 on the retry, counts as deleted', async (t) => {
  t.after(() => e2e.emulator.clearFaults());
  const [id] = putCustomers('lostdel', 1);
  e2e.emulator.injectFaults({ count: 1, reset: true, afterCommit: true, method: 'DELETE' });
  e2e.emulator.clearLog();
  const result = await execute(`DELETE FROM Customers WHERE Id = '${id}'`);
  assert.equal(result.rowsAffected, 1);
  assert.equal(live([id!]), 0);
  assert.deepEqual(e2e.emulator.requestLog.map((r) => `${r.method} ${r.path} ${r.status}`), [
    `DELETE /v1/customers/${id} 0`,
    `DELETE /v1/customers/${id} 404`,
  ]);
});

test('a DELETE answered 500 after Stripe deleted, then 404 on the retry, counts as deleted', async (t) => {
  t.after(() => e2e.emulator.clearFaults());
  const [id] = putCustomers('fivedel', 1);
  e2e.emulator.injectFaults({ count: 1, status: 500, afterCommit: true, method: 'DELETE' });
  e2e.emulator.clearLog();
  const result = await execute(`DELETE FROM Customers WHERE Id = '${id}'`);
  assert.equal(result.rowsAffected, 1);
  assert.equal(live([id!]), 0);
  assert.deepEqual(e2e.emulator.requestLog.map((r) => `${r.method} ${r.path} ${r.status}`), [
    `DELETE /v1/customers/${id} 500`,
    `DELETE /v1/customers/${id} 404`,
  ]);
});

test('an Id Stripe never had still counts 0 rows: its first answer is the 404', async () => {
  e2e.emulator.clearLog();
  const result = await e2e.db.execute("DELETE FROM Customers WHERE Id = 'cus_neverwas'");
  assert.equal(result.rowsAffected, 0);
  assert.deepEqual(requestLines(e2e.emulator.requestLog), ['DELETE /v1/customers/cus_neverwas']);
});

test('a 50-row DELETE with a fifth of its answers lost reports 50', async (t) => {
  t.after(() => e2e.emulator.clearFaults());
  const ids = putCustomers('bulkdel', 50);
  e2e.emulator.injectFaults({ count: 1000, probability: 0.2, seed: 11, reset: true, afterCommit: true, method: 'DELETE' });
  e2e.emulator.clearLog();
  const result = await execute(`DELETE FROM Customers WHERE Id IN (${ids.map((id) => `'${id}'`).join(', ')})`, { maxRetries: 8 });
  const deletes = e2e.emulator.requestLog.filter((r) => r.method === 'DELETE');
  const lost = deletes.filter((r) => r.status === 0).length;
  assert.ok(lost >= 5, `answers lost: ${lost}`);
  assert.equal(result.rowsAffected, 50);
  assert.equal(live(ids), 0);
  // Each lost answer cost one retry; a customer whose answer was lost ends with the 404 of one already deleted.
  assert.equal(deletes.length, 50 + lost);
  const hadLoss = new Set(deletes.filter((r) => r.status === 0).map((r) => r.path));
  assert.deepEqual(deletes.filter((r) => r.status === 404).map((r) => r.path).sort(), [...hadLoss].sort());
});

test('an INSERT whose answer comes after the timeout is retried under the same key: one customer, reported created', async (t) => {
  t.after(() => e2e.emulator.clearFaults());
  e2e.emulator.clearLog();
  const result = await execute("INSERT INTO Customers (Email) VALUES ('late@x.test')", { timeoutMs: 300, maxRetries: 2 }, firstLate('POST'));
  assert.equal(result.rowsAffected, 1);
  const made = e2e.emulator.objects('customer').filter((c) => c.email === 'late@x.test');
  assert.deepEqual(made.map((c) => c.id), [result.lastInsertId]);
  const posts = e2e.emulator.requestLog.filter((r) => r.method === 'POST');
  assert.deepEqual(posts.map((r) => `${r.method} ${r.path} ${r.status}`), ['POST /v1/customers 200', 'POST /v1/customers 200']);
  assert.equal(posts[0]!.headers['idempotency-key'], posts[1]!.headers['idempotency-key']);
  // Given up at 300 ms, not when the late answer came (1.5 s).
  assert.ok(result.clock.now() < 1500, `${result.clock.now()} ms`);
});

test('an UPDATE whose answer comes after the timeout is reported done, with the row Stripe sent', async (t) => {
  t.after(() => e2e.emulator.clearFaults());
  const [id] = putCustomers('lateupd', 1);
  e2e.emulator.clearLog();
  const { rows, rowsAffected } = await execute(
    `UPDATE Customers SET Description = 'late' WHERE Id = '${id}' RETURNING Id, Description`, { timeoutMs: 300, maxRetries: 2 }, firstLate('POST'),
  );
  assert.equal(rowsAffected, 1);
  assert.deepEqual(rows, [{ Id: id, Description: 'late' }]);
  const posts = e2e.emulator.requestLog.filter((r) => r.method === 'POST');
  assert.deepEqual(posts.map((r) => `${r.method} ${r.path} ${r.status}`), [`POST /v1/customers/${id} 200`, `POST /v1/customers/${id} 200`]);
  assert.equal(posts[0]!.headers['idempotency-key'], posts[1]!.headers['idempotency-key']);
});
