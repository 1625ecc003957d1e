// Writes are counted as Stripe carried them out, even when the answer never arrived: a DELETE
// whose answer was lost and whose retry finds nothing (404) was deleted by the lost attempt; a
// write whose answer came after the client's timeout is retried under its Idempotency-Key and
// reported as the success it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestLines, useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();

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
  const result = await e2e.db.execute(`DELETE FROM Customers WHERE Id = '${id}'`);
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
  const result = await e2e.db.execute(`DELETE FROM Customers WHERE Id = '${id}'`);
  assert.equal(result.rowsAffected, 1);
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
  const db = e2e.connectWith({ maxRetries: 8 });
  try {
    const result = await db.execute(`DELETE FROM Customers WHERE Id IN (${ids.map((id) => `'${id}'`).join(', ')})`);
    const lost = e2e.emulator.requestLog.filter((r) => r.method === 'DELETE' && r.status === 0).length;
    assert.ok(lost >= 5, `answers lost: ${lost}`);
    assert.equal(result.rowsAffected, 50);
    assert.equal(live(ids), 0);
  } finally {
    await db.close();
  }
});

test('an INSERT whose answer comes after the timeout is retried under the same key: one customer, reported created', async (t) => {
  t.after(() => e2e.emulator.clearFaults());
  const db = e2e.connectWith({ timeoutMs: 300, maxRetries: 2 });
  try {
    e2e.emulator.injectFaults({ count: 1, delayMs: 1500, method: 'POST', pathPrefix: '/v1/customers' });
    e2e.emulator.clearLog();
    const result = await db.execute("INSERT INTO Customers (Email) VALUES ('late@x.test')");
    assert.equal(result.rowsAffected, 1);
    const made = e2e.emulator.objects('customer').filter((c) => c.email === 'late@x.test');
    assert.deepEqual(made.map((c) => c.id), [result.lastInsertId]);
    const posts = e2e.emulator.requestLog.filter((r) => r.method === 'POST');
    assert.equal(posts.length, 2);
    assert.equal(posts[0]!.headers['idempotency-key'], posts[1]!.headers['idempotency-key']);
  } finally {
    await db.close();
  }
});

test('an UPDATE whose answer comes after the timeout is reported done, with the row Stripe sent', async (t) => {
  t.after(() => e2e.emulator.clearFaults());
  const [id] = putCustomers('lateupd', 1);
  const db = e2e.connectWith({ timeoutMs: 300, maxRetries: 2 });
  try {
    e2e.emulator.injectFaults({ count: 1, delayMs: 1500, method: 'POST', pathPrefix: `/v1/customers/${id}` });
    const { rows, rowsAffected } = await db.query(`UPDATE Customers SET Description = 'late' WHERE Id = '${id}' RETURNING Id, Description`);
    assert.equal(rowsAffected, 1);
    assert.deepEqual(rows, [{ Id: id, Description: 'late' }]);
  } finally {
    await db.close();
  }
});
