// executeBatch: one statement, many parameter sets; checked before anything is sent, bounded
// concurrency, and a partial failure reported set by set.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { BatchError, SqlError, StripeApiError } from '../src/index.js';
import { useEmulator } from './e2e-helpers.js';
import { virtualStripe } from './support/virtual-time.js';

const e2e = useEmulator();
const INSERT = `INSERT INTO CheckoutSession (Mode, SuccessUrl, Currency, ClientReferenceId) VALUES ('setup', 'https://x.test', 'usd', ?)`;

beforeEach(() => e2e.emulator.clearLog());

test('every parameter set creates one session, each POST with its own idempotency key', async () => {
  const refs = Array.from({ length: 12 }, (_, i) => `batch-a-${i}`);
  const result = await e2e.db.executeBatch(INSERT, refs.map((r) => [r]));
  assert.equal(result.rowsAffected, 12);
  assert.deepEqual(result.results.map((r) => r.index), refs.map((_, i) => i));
  const created = e2e.emulator.objects('checkout.session').filter((s) => String(s.client_reference_id).startsWith('batch-a-'));
  assert.equal(created.length, 12);
  for (const r of result.results) {
    assert.ok(r.ok);
    const session = created.find((s) => s.id === r.lastInsertId);
    assert.equal(session?.client_reference_id, refs[r.index]);
  }
  const keys = new Set(e2e.emulator.requestLog.map((r) => r.headers['idempotency-key']));
  assert.equal(keys.size, 12);
});

test('a bad parameter set is a SqlError naming the set, and nothing is sent', async () => {
  await assert.rejects(
    e2e.db.executeBatch(`INSERT INTO CheckoutSession (Mode, SuccessUrl, ExpiresAt) VALUES ('setup', 'https://x.test', ?)`, [
      [new Date(Date.now() + 7200_000)],
      ['not a date'],
    ]),
    (e: unknown) => e instanceof SqlError && /^Parameter set 2: /.test(e.reason),
  );
  assert.equal(e2e.emulator.requestLog.length, 0);
});

test('when Stripe rejects some sets, the others take effect and the error lists each outcome', async () => {
  const customers = ['cus_N8rO0qc7j1SJJ9', 'cus_missing_1', 'cus_N8rO0qc7j1SJJ9', 'cus_missing_2'];
  const sql = `INSERT INTO CheckoutSession (Mode, SuccessUrl, Currency, CustomerId, ClientReferenceId) VALUES ('setup', 'https://x.test', 'usd', ?, 'batch-b')`;
  const error = await e2e.db.executeBatch(sql, customers.map((c) => [c]), { concurrency: 2 }).then(
    () => assert.fail('expected a BatchError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof BatchError);
  assert.equal(error.succeeded, 2);
  assert.equal(error.failed, 2);
  assert.deepEqual(error.results.map((r) => r.ok), [true, false, true, false]);
  const failure = error.results[1]!;
  assert.ok(!failure.ok && failure.error instanceof StripeApiError && /cus_missing_1/.test(failure.error.message));
  assert.match(error.message, /^2 of 4 parameter sets failed \(the other 2 took effect\); first failure, set 2: /);
  assert.equal(e2e.emulator.objects('checkout.session').filter((s) => s.client_reference_id === 'batch-b').length, 2);
});

test('concurrency is bounded', async () => {
  // Each answer is held 30 ms of fake time, so the sets pile up to the bound and no further.
  const stripe = virtualStripe({ latencyMs: () => 30 });
  const counted = e2e.connectWith({ fetch: stripe.fetch, budgets: stripe.budgets });
  try {
    const result = await stripe.run(counted.executeBatch(INSERT, Array.from({ length: 9 }, (_, i) => [`batch-c-${i}`]), { concurrency: 3 }));
    assert.equal(result.rowsAffected, 9);
    assert.equal(stripe.peakInFlight, 3);
    assert.equal(e2e.emulator.requestLog.filter((r) => r.method === 'POST').length, 9);
    assert.equal(stripe.clock.now(), 90, 'three rounds of three');
  } finally {
    await counted.close();
  }
});

test('200 INSERTs with 20% of responses lost after the create: exactly 200 customers', async () => {
  const before = e2e.emulator.objects('customer').length;
  e2e.emulator.injectFaults({ count: 10_000, probability: 0.2, seed: 7, afterCommit: true, status: 500, method: 'POST', pathPrefix: '/v1/customers' });
  try {
    const sets = Array.from({ length: 200 }, (_, i) => [`lost-${i}@example.com`]);
    const result = await e2e.db.executeBatch('INSERT INTO Customers (Email) VALUES (?)', sets, { concurrency: 10 });
    assert.equal(result.rowsAffected, 200);
  } finally {
    e2e.emulator.clearFaults();
  }
  const lost = e2e.emulator.requestLog.filter((r) => r.status === 500).length;
  assert.ok(lost >= 20, `${lost} responses were lost`);
  const created = e2e.emulator.objects('customer').filter((c) => String(c.email).startsWith('lost-'));
  assert.equal(created.length, 200);
  assert.equal(new Set(created.map((c) => c.email)).size, 200);
  assert.equal(e2e.emulator.objects('customer').length, before + 200);
});
