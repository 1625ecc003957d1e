// How a query behaves when Stripe pushes back: rate limits, server errors, a bad key, a
// connected account the key cannot reach. Through the whole stack, against the emulator. The
// retries wait on a fake clock the transport keeps (support/virtual-time.ts), not for real.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { connect, StripeApiError, ConnectionError } from '../src/index.js';
import { startEmulator, DEMO_API_KEY } from '../emulator/index.js';
import { BudgetRegistry } from '../src/stripe/index.js';
import { useEmulator } from './e2e-helpers.js';
import { virtualStripe } from './support/virtual-time.js';

const e2e = useEmulator();

beforeEach(() => {
  e2e.emulator.clearLog();
  e2e.emulator.setRateLimit(null);
});

test('429s are retried and the query still returns every row', async () => {
  e2e.emulator.injectFaults({ count: 2, status: 429, method: 'GET' });
  const stripe = virtualStripe();
  const db = e2e.connectWith({ fetch: stripe.fetch, budgets: stripe.budgets });
  const { rowCount } = await stripe.run(db.query('SELECT Id FROM CheckoutSession'));
  await db.close();
  assert.equal(rowCount, e2e.emulator.objects('checkout.session').length);
  assert.ok(stripe.clock.now() > 0, 'the retries waited (on the fake clock)');
  const statuses = e2e.emulator.requestLog.map((r) => r.status);
  assert.deepEqual(statuses.slice(0, 3), [429, 429, 200]);
  assert.equal(statuses.filter((s) => s === 200).length, Math.ceil(rowCount / 100));
});

test('a 503 mid-scan is retried from the same cursor: no page lost, none repeated', async () => {
  const expected = e2e.emulator.objects('checkout.session').map((s) => s.id);
  // Let the first page through, then fail the next request once.
  const stripe = virtualStripe();
  const db = e2e.connectWith({ fetch: stripe.fetch, budgets: stripe.budgets });
  const ids: unknown[] = [];
  await stripe.run((async () => {
    for await (const row of db.stream('SELECT Id FROM CheckoutSession')) {
      ids.push(row.Id);
      if (ids.length === 1) e2e.emulator.injectFaults({ count: 1, status: 503, method: 'GET' });
    }
  })());
  await db.close();
  assert.deepEqual(ids, expected);
  const log = e2e.emulator.requestLog;
  assert.equal(log[1]!.status, 503);
  assert.equal(log[2]!.query, log[1]!.query, 'the retry asks for the same page');
});

test('the request budget keeps the connection under the emulator’s rate limit (both on one fake clock)', async () => {
  const stripe = virtualStripe();
  const emulator = await startEmulator({ clock: stripe.clock });
  try {
    emulator.setRateLimit(10);
    const ids = emulator.objects('checkout.session').slice(0, 12).map((s) => `'${s.id}'`);
    const sql = `SELECT Id FROM CheckoutSession WHERE Id IN (${ids.join(', ')})`;
    const connectTo = (maxRequestsPerSecond: number, budgets = stripe.budgets) =>
      connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, fetch: stripe.fetch, budgets, maxRequestsPerSecond, maxRetries: 0 });

    // Without a budget under it, the limit bites: the same reads at once exceed 10 in a second.
    // (Its own budgets, so the 429s it gets do not slow the measured connection's.)
    const eager = connectTo(1000, new BudgetRegistry(stripe.clock));
    await assert.rejects(stripe.run(eager.query(sql)), (error: unknown) => error instanceof StripeApiError && error.status === 429);
    await eager.close();
    assert.ok(emulator.requestLog.some((r) => r.status === 429), 'the emulator limits on the fake clock');

    stripe.clock.advance(1000); // a quiet second: the emulator's window is empty again
    emulator.clearLog();
    const started = stripe.clock.now();
    const db = connectTo(8);
    const { rowCount } = await stripe.run(db.query(sql));
    await db.close();
    assert.equal(rowCount, 12);
    const log = emulator.requestLog;
    assert.equal(log.length, 12, 'one GET per id, none retried');
    assert.ok(log.every((r) => r.status === 200), 'no request was rate limited');
    // 8 a second with a burst of 2 (a quarter second's worth): the last 10 reads waited 1.25 s for their tokens.
    assert.equal(stripe.clock.now() - started, 1250);
  } finally {
    await emulator.close();
  }
});

test('a rejected key is a StripeApiError that explains itself and never shows the key', async () => {
  const key = 'sk_test_invalid_secret_1234567890abcd';
  const db = connect({ apiKey: key, baseUrl: e2e.emulator.url });
  await assert.rejects(db.query('SELECT Id FROM CheckoutSession LIMIT 1'), (error: unknown) => {
    assert.ok(error instanceof StripeApiError);
    assert.equal(error.status, 401);
    assert.match(error.message, /sk_test_…abcd/);
    assert.ok(!JSON.stringify({ message: error.message, stack: error.stack }).includes('secret_1234567890'));
    return true;
  });
  assert.equal(e2e.emulator.requestLog.length, 1, '401 is not retried');
  await db.close();
});

test('an account the key cannot reach is a 403 StripeApiError, not retried', async () => {
  await assert.rejects(
    e2e.db.query(`SELECT Id FROM CheckoutSession WHERE AccountId = 'acct_nobody'`),
    (error: unknown) => error instanceof StripeApiError && error.status === 403,
  );
  assert.equal(e2e.emulator.requestLog.length, 1);
});

test('nothing listening at the base URL: a ConnectionError after the retries', async () => {
  const db = connect({ apiKey: 'sk_test_abcdefghijklmnop', baseUrl: 'http://127.0.0.1:9', maxRetries: 1 });
  await assert.rejects(db.query('SELECT Id FROM CheckoutSession LIMIT 1'), ConnectionError);
  await db.close();
});

test('a closed connection refuses new statements', async () => {
  const db = e2e.connectWith({});
  await db.close();
  await assert.rejects(db.query('SELECT Id FROM CheckoutSession'), /closed/);
  assert.equal(e2e.emulator.requestLog.length, 0);
});
