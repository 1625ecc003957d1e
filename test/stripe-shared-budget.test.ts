// One request budget per (API key, account) per process: every client (connection) of the same
// key and account takes its tokens from it, and Stripe's 429s lower it (AIMD). Time is an
// injected clock whose timers fire only when the test advances it: nothing sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../src/index.js';
import { AIMD, BudgetRegistry, StripeApiError, StripeClient } from '../src/stripe/index.js';
import { SharedBudget } from '../src/stripe/shared-budget.js';
import { fakeClock, until } from './support/fake-clock.js';

/** A Stripe that answers at once with `status` (200 unless told), recording each request. */
function fakeFetch(statusOf: (index: number) => number = () => 200) {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    const status = statusOf(calls.length);
    calls.push(String(input));
    const body = status === 200
      ? { object: 'list', url: '/v1/customers', data: [{ id: `cus_${calls.length}`, object: 'customer' }], has_more: false }
      : { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Request rate limit exceeded.' } };
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, calls };
}

const KEY = 'sk_test_51Hsharedbudgetsharedbudget0001';

test('two clients of the same key draw from one budget; another key or account does not', async () => {
  const clock = fakeClock();
  const budgets = new BudgetRegistry(clock);
  const stripe = fakeFetch();
  // 4/s: a burst of 1, then one request per 250 ms, for both clients together.
  const make = (apiKey: string, accountId?: string) =>
    new StripeClient({ apiKey, accountId, baseUrl: 'http://stripe.invalid', fetch: stripe.fetch, budgets, maxRequestsPerSecond: 4 });
  const a = make(KEY);
  const b = make(KEY);

  await a.request({ method: 'GET', path: '/v1/customers' });
  let bDone = false;
  const bCosts: unknown[] = [];
  const bRequest = b.request({ method: 'GET', path: '/v1/customers', onRequest: (cost) => bCosts.push(cost) }).then(() => (bDone = true));
  await until(() => b.stats.budget.queued === 1);
  assert.equal(stripe.calls.length, 1, 'the second client waits for the token the first one spent');

  // Meanwhile another key, and the same key for a connected account, have budgets of their own.
  await make('sk_test_51Hsharedbudgetotherkey00000002').request({ method: 'GET', path: '/v1/customers' });
  await make(KEY, 'acct_1Connected').request({ method: 'GET', path: '/v1/customers' });
  assert.equal(stripe.calls.length, 3);
  assert.equal(bDone, false);

  clock.advance(249);
  await until(() => true);
  assert.equal(bDone, false, 'a token accrues only after 1/4 s');
  clock.advance(1);
  await bRequest;
  assert.equal(stripe.calls.length, 4);
  assert.deepEqual(a.stats.budget, b.stats.budget);
  assert.deepEqual(a.stats.budget, {
    key: 'sk_test_…0001', account: null, configuredPerSecond: 4, currentPerSecond: 4, requests: 2, throttled: 0, queued: 0, clients: 2,
  });
  assert.equal(a.stats.requests, 1, 'each client still counts its own requests');
  assert.deepEqual(bCosts, [{ retries: 0, throttled: 0, waitedMs: 250 }], 'the request reports its wait (EXPLAIN ANALYZE shows it)');
});

test('the registry never holds the key in the clear', () => {
  const budgets = new BudgetRegistry(fakeClock());
  const client = new StripeClient({ apiKey: KEY, baseUrl: 'http://stripe.invalid', fetch: fakeFetch().fetch, budgets });
  void client.stats;
  const held = JSON.stringify([...(budgets as unknown as { budgets: Map<string, unknown> }).budgets.keys()]);
  assert.ok(!held.includes(KEY) && !held.includes(KEY.slice(8)), held);
  assert.ok(!JSON.stringify(client.stats).includes(KEY));
});

test('the shared rate is the highest one any client asked for', async () => {
  const clock = fakeClock();
  const budgets = new BudgetRegistry(clock);
  const stripe = fakeFetch();
  const slow = new StripeClient({ apiKey: KEY, baseUrl: 'http://stripe.invalid', fetch: stripe.fetch, budgets, maxRequestsPerSecond: 2 });
  assert.equal(slow.stats.budget.configuredPerSecond, 2);
  const fast = new StripeClient({ apiKey: KEY, baseUrl: 'http://stripe.invalid', fetch: stripe.fetch, budgets, maxRequestsPerSecond: 40 });
  assert.equal(fast.stats.budget.configuredPerSecond, 40);
  assert.equal(slow.stats.budget.currentPerSecond, 40);
});

test('AIMD: a 429 halves the rate once per second of congestion; quiet seconds add a tenth back, up to the configured rate', () => {
  const clock = fakeClock();
  const budget = new SharedBudget('sk_test_…0001', undefined, 40, clock.now, clock.setTimer);
  budget.join(40);
  budget.onThrottled();
  assert.equal(budget.requestsPerSecond, 20);
  budget.onThrottled(); // same burst of 429s
  clock.advance(AIMD.holdMs - 1);
  budget.onThrottled();
  assert.equal(budget.requestsPerSecond, 20, 'the 429s of one burst count once');
  clock.advance(1);
  budget.onThrottled();
  assert.equal(budget.requestsPerSecond, 10);
  for (let i = 0; i < 5; i++) {
    clock.advance(AIMD.holdMs);
    budget.onThrottled();
  }
  assert.equal(budget.requestsPerSecond, AIMD.floorPerSecond, 'never below the floor');

  clock.advance(2000);
  budget.onAnswered();
  assert.equal(budget.requestsPerSecond, 1 + 40 * AIMD.recoveryPerSecond * 2);
  budget.onAnswered(); // no time passed: nothing earned
  assert.equal(budget.requestsPerSecond, 9);
  clock.advance(60_000);
  budget.onAnswered();
  assert.equal(budget.requestsPerSecond, 40, 'back to the configured rate, not beyond');
  assert.equal(budget.snapshot().throttled, 9);
});

test('a 429 seen by one client slows the next request of another client of the same key', async () => {
  const clock = fakeClock();
  const budgets = new BudgetRegistry(clock);
  const stripe = fakeFetch((index) => (index === 0 ? 429 : 200));
  const make = () => new StripeClient({ apiKey: KEY, baseUrl: 'http://stripe.invalid', fetch: stripe.fetch, budgets, maxRequestsPerSecond: 8, maxRetries: 0 });
  const a = make();
  const b = make();
  await assert.rejects(a.request({ method: 'GET', path: '/v1/customers' }), (error: unknown) => error instanceof StripeApiError && error.status === 429);
  assert.deepEqual({ current: b.stats.budget.currentPerSecond, throttled: b.stats.budget.throttled }, { current: 4, throttled: 1 });
  // Burst of ceil(4/4) = 1 left after the one spent: b's first request goes, its second waits 1/4 s, not 1/8 s.
  await b.request({ method: 'GET', path: '/v1/customers' });
  let done = false;
  const second = b.request({ method: 'GET', path: '/v1/customers' }).then(() => (done = true));
  await until(() => b.stats.budget.queued === 1);
  clock.advance(125);
  await until(() => true);
  assert.equal(done, false, 'the halved rate holds');
  clock.advance(125);
  await second;
});

test('two connections with the same key share one budget: connection.stats shows it', async () => {
  const stripe = fakeFetch();
  const apiKey = 'sk_test_51Hsharedbudgetconnections0003';
  const first = connect({ apiKey, baseUrl: 'http://stripe.invalid', fetch: stripe.fetch, maxRequestsPerSecond: 500 });
  const second = connect({ apiKey, baseUrl: 'http://stripe.invalid', fetch: stripe.fetch, maxRequestsPerSecond: 500 });
  const other = connect({ apiKey: 'sk_test_51Hsharedbudgetconnections0004', baseUrl: 'http://stripe.invalid', fetch: stripe.fetch });
  try {
    await first.query('SELECT Id FROM Customers');
    await second.query('SELECT Id FROM Customers');
    assert.equal(first.stats.requests, 1);
    assert.equal(second.stats.requests, 1);
    assert.deepEqual(first.stats.budget, second.stats.budget);
    assert.equal(second.stats.budget.requests, 2, 'both connections spent from it');
    assert.equal(second.stats.budget.clients, 2);
    assert.equal(other.stats.budget.requests, 0);
    assert.equal(other.stats.budget.key, 'sk_test_…0004');
  } finally {
    await Promise.all([first.close(), second.close(), other.close()]);
  }
});
