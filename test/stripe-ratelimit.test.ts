import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BudgetRegistry, StripeClient } from '../src/stripe/index.js';
import { ConcurrencyLimit, RateBudget, TokenBucket, defaultBurst, defaultRequestsPerSecond } from '../src/stripe/ratelimit.js';
import { ok, startFakeStripe } from './stripe-fake-server.js';
import { fakeClock, settled, until } from './support/fake-clock.js';
import { virtualStripe } from './support/virtual-time.js';

const KEY = 'sk_test_51Hratelimitratelimitratelim0000';

test('defaults: 50/s for live keys, 20/s otherwise; a quarter second of burst', () => {
  assert.equal(defaultRequestsPerSecond('sk_live_abc'), 50);
  assert.equal(defaultRequestsPerSecond('rk_live_abc'), 50);
  assert.equal(defaultRequestsPerSecond('sk_test_abc'), 20);
  assert.equal(defaultRequestsPerSecond('rk_test_abc'), 20);
  assert.equal(defaultBurst(20), 5);
  assert.equal(defaultBurst(50), 13);
  assert.equal(defaultBurst(1), 1);
});

test('token bucket: the burst goes at once, then one token per 1/rate, in FIFO order', async () => {
  const clock = fakeClock();
  const bucket = new TokenBucket(100, 3, clock.now, clock.setTimer);
  const order: number[] = [];
  const takes = Array.from({ length: 10 }, (_, i) => bucket.take().then((waited) => (order.push(i), waited)));
  await settled();
  assert.deepEqual(order, [0, 1, 2], 'the burst');
  // 7 tokens beyond the burst at 100/s: one each 10 ms, never sooner.
  for (let ms = 10; ms <= 70; ms += 10) {
    clock.advance(9);
    await settled();
    assert.equal(order.length, ms / 10 + 2, `nothing more before ${ms} ms`);
    clock.advance(1);
    await settled();
    assert.equal(order.length, ms / 10 + 3, `one more at ${ms} ms`);
  }
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(await Promise.all(takes), [0, 0, 0, 10, 20, 30, 40, 50, 60, 70]);
});

test('token bucket with an injected clock hands out exactly what has accrued', async () => {
  const clock = fakeClock();
  const bucket = new TokenBucket(10, 2, clock.now, clock.setTimer);
  assert.equal(await bucket.take(), 0);
  assert.equal(await bucket.take(), 0);
  clock.advance(100); // one token accrued
  assert.equal(await bucket.take(), 0);
  clock.advance(10_000); // long idle: capped at capacity 2
  assert.equal(await bucket.take(), 0);
  assert.equal(await bucket.take(), 0);
  let third = false;
  const pending = bucket.take().then(() => (third = true));
  clock.advance(99);
  await settled();
  assert.equal(third, false, 'a token accrues only after 1/10 s');
  clock.advance(1);
  await pending;
  assert.equal(third, true);
});

test('an aborted waiter leaves the bucket queue', async () => {
  const bucket = new TokenBucket(20, 1);
  await bucket.take();
  const controller = new AbortController();
  const aborted = bucket.take(controller.signal);
  const next = bucket.take();
  controller.abort();
  await assert.rejects(aborted, { name: 'AbortError' });
  assert.ok((await next) > 0);
});

test('concurrency limit: slots pass FIFO on release; aborted waiters drop out', async () => {
  const limit = new ConcurrencyLimit(2);
  await limit.acquire();
  await limit.acquire();
  const order: string[] = [];
  const controller = new AbortController();
  const a = limit.acquire().then(() => order.push('a'));
  const b = limit.acquire(controller.signal).then(() => order.push('b'));
  const c = limit.acquire().then(() => order.push('c'));
  controller.abort();
  await assert.rejects(b, { name: 'AbortError' });
  assert.equal(limit.inFlight, 2);
  limit.release();
  await a;
  limit.release();
  await c;
  assert.deepEqual(order, ['a', 'c']);
  assert.equal(limit.inFlight, 2);
  limit.release();
  limit.release();
  assert.equal(limit.inFlight, 0);
});

test('concurrency limit with a moving cap: a higher cap lets waiters in at the next release, a lower one as slots free', async () => {
  let cap = 2;
  const limit = new ConcurrencyLimit(() => cap);
  await limit.acquire();
  await limit.acquire();
  const started: string[] = [];
  const waiting = ['a', 'b', 'c', 'd'].map((name) => limit.acquire().then(() => started.push(name)));
  cap = 4;
  assert.equal(limit.limit, 4);
  limit.release();
  await settled();
  assert.deepEqual(started, ['a', 'b', 'c'], 'the freed slot and the two gained');
  assert.equal(limit.inFlight, 4);
  cap = 2;
  limit.release();
  limit.release();
  await settled();
  assert.deepEqual(started, ['a', 'b', 'c'], 'over the lowered cap: no one enters');
  assert.equal(limit.inFlight, 2);
  limit.release();
  await waiting[3];
  assert.deepEqual(started, ['a', 'b', 'c', 'd']);
  assert.equal(limit.inFlight, 2);
});

test('the default cap on requests in flight follows the latency seen and the rate in force after a 429; MaxConcurrency stays put', async () => {
  let status = 200;
  const answer: typeof fetch = async () =>
    new Response(JSON.stringify(status === 200 ? { id: 'obj_1', object: 'thing' } : { error: { type: 'invalid_request_error', message: 'slow down' } }), { status });
  const stripe = virtualStripe({ latencyMs: () => 200, target: answer });
  const make = (maxConcurrency?: number) => new StripeClient({
    apiKey: KEY, baseUrl: 'http://stripe.invalid', fetch: stripe.fetch, budgets: stripe.budgets, maxRequestsPerSecond: 100, maxRetries: 0,
    ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
  });
  const c = make();
  const fixed = make(3);
  assert.equal(c.maxInFlight, 10, 'before the first answer');
  await stripe.run(c.request({ method: 'GET', path: '/v1/customers' }));
  await stripe.run(fixed.request({ method: 'GET', path: '/v1/customers' }));
  assert.equal(c.maxInFlight, 25, '100/s × 0.2 s × 1.25');
  status = 429;
  await assert.rejects(stripe.run(c.request({ method: 'GET', path: '/v1/customers' })), { status: 429 });
  assert.equal(c.stats.budget.currentPerSecond, 50);
  assert.equal(c.maxInFlight, 13, '50/s × 0.2 s × 1.25');
  assert.equal(fixed.maxInFlight, 3);
});

test('rate budget: a permit released twice frees one slot only', async () => {
  const budget = new RateBudget({ requestsPerSecond: 1000, maxConcurrency: 2 });
  const p1 = await budget.acquire();
  await budget.acquire();
  p1.release();
  p1.release();
  assert.equal(budget.inFlight, 1);
});

/** A Stripe that answers at once (status from `statusOf`), counting the attempts it got. */
function answeringFetch(statusOf: (attempt: number) => number = () => 200) {
  const counts = { attempts: 0 };
  const fetcher: typeof fetch = async () => {
    const status = statusOf(++counts.attempts);
    const body = status === 200 ? { id: 'obj_1', object: 'thing' } : { error: { type: 'api_error', message: 'x' } };
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetcher, counts };
}

test('30 requests at 20/s (burst 5): the burst at once, then one each 50 ms, and the wait is counted', async () => {
  const clock = fakeClock();
  const stripe = answeringFetch();
  const c = new StripeClient({ apiKey: KEY, baseUrl: 'http://stripe.invalid', fetch: stripe.fetcher, budgets: new BudgetRegistry(clock), maxRequestsPerSecond: 20 });
  const all = Promise.all(Array.from({ length: 30 }, () => c.request({ method: 'GET', path: '/v1/customers' })));
  await until(() => stripe.counts.attempts === 5);
  for (let i = 1; i <= 25; i++) {
    clock.advance(49);
    await settled();
    assert.equal(stripe.counts.attempts, 4 + i, `nothing more before ${i * 50} ms`);
    clock.advance(1);
    await until(() => stripe.counts.attempts === 5 + i);
  }
  await all;
  assert.equal(c.stats.requests, 30);
  // Request 5 + i waited i × 50 ms.
  assert.equal(c.stats.throttledMs, 50 * ((25 * 26) / 2));
});

test('the concurrency cap is exact at the server', async (t) => {
  const server = await startFakeStripe();
  t.after(() => server.close());
  const stripe = virtualStripe({ latencyMs: () => 30 });
  const c = new StripeClient({ apiKey: KEY, baseUrl: server.baseUrl, maxRequestsPerSecond: 1000, maxConcurrency: 3, fetch: stripe.fetch, budgets: stripe.budgets });
  await stripe.run(Promise.all(Array.from({ length: 12 }, () => c.request({ method: 'GET', path: '/v1/customers' }))));
  assert.equal(server.requests.length, 12);
  assert.equal(stripe.peakInFlight, 3);
  assert.equal(stripe.clock.now(), 4 * 30, 'four rounds of three');
  assert.equal(c.inFlight, 0);
});

test('with one slot, requests reach the server in the order they were made', async (t) => {
  const server = await startFakeStripe();
  t.after(() => server.close());
  const stripe = virtualStripe({ latencyMs: () => 2 });
  const c = new StripeClient({ apiKey: KEY, baseUrl: server.baseUrl, maxRequestsPerSecond: 1000, maxConcurrency: 1, fetch: stripe.fetch, budgets: stripe.budgets });
  await stripe.run(Promise.all(Array.from({ length: 10 }, (_, i) => c.request({ method: 'GET', path: `/v1/customers/cus_${i}` }))));
  assert.deepEqual(server.requests.map((r) => r.url), Array.from({ length: 10 }, (_, i) => `/v1/customers/cus_${i}`));
  assert.equal(stripe.peakInFlight, 1);
});

test('retries spend tokens too', async () => {
  // At 4/s the burst is 1 token, so 5 attempts need 4 refills of 250 ms each.
  const clock = fakeClock();
  const stripe = answeringFetch((attempt) => (attempt <= 4 ? 500 : 200));
  const c = new StripeClient({
    apiKey: KEY, baseUrl: 'http://stripe.invalid', fetch: stripe.fetcher, budgets: new BudgetRegistry(clock), maxRequestsPerSecond: 4, retryBaseDelayMs: 0, retryMaxDelayMs: 0,
  });
  const done = c.request({ method: 'GET', path: '/v1/customers' });
  await until(() => stripe.counts.attempts === 1);
  for (let attempt = 2; attempt <= 5; attempt++) {
    clock.advance(249);
    await settled();
    assert.equal(stripe.counts.attempts, attempt - 1, 'the retry waits for a token');
    clock.advance(1);
    await until(() => stripe.counts.attempts === attempt);
  }
  await done;
  assert.equal(c.stats.requests, 5);
  assert.equal(c.stats.retries, 4);
});
