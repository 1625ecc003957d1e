import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BudgetRegistry, StripeApiError, StripeClient } from '../src/stripe/index.js';
import { isRetryable, parseRetryAfterMs, retryDelayMs } from '../src/stripe/retry.js';
import type { RequestCost } from '../src/stripe/types.js';
import { ok, startFakeStripe, stripeError, type ScriptedResponse } from './stripe-fake-server.js';
import { virtualStripe } from './support/virtual-time.js';

const KEY = 'sk_test_51Hretryretryretryretryretry0000';

function scripted(responses: ScriptedResponse[]) {
  return startFakeStripe((_req, index) => responses[Math.min(index, responses.length - 1)]!);
}

// Each test is its own account's story: the 429s of one must not lower the shared budget (AIMD) of the next.
function client(baseUrl: string, extra: Partial<ConstructorParameters<typeof StripeClient>[0]> = {}): StripeClient {
  return new StripeClient({ apiKey: KEY, baseUrl, maxRetries: 5, retryBaseDelayMs: 1, retryMaxDelayMs: 5, budgets: new BudgetRegistry(), ...extra });
}

const apiError = (status: number, headers: Record<string, string> = {}) =>
  stripeError(status, { type: status >= 500 ? 'api_error' : 'invalid_request_error', message: `status ${status}` }, headers);

const cases: Array<[string, ScriptedResponse[], number, 'ok' | number]> = [
  ['500, 500, then 200', [apiError(500), apiError(500), ok()], 3, 'ok'],
  ['503 then 200', [apiError(503), ok()], 2, 'ok'],
  ['429 then 200', [apiError(429), ok()], 2, 'ok'],
  ['409 (lock timeout) then 200', [stripeError(409, { type: 'invalid_request_error', code: 'lock_timeout', message: 'lock' }), ok()], 2, 'ok'],
  ['400 with Stripe-Should-Retry: true then 200', [apiError(400, { 'Stripe-Should-Retry': 'true' }), ok()], 2, 'ok'],
  ['500 with Stripe-Should-Retry: false', [apiError(500, { 'Stripe-Should-Retry': 'false' }), ok()], 1, 500],
  ['429 with Stripe-Should-Retry: false', [apiError(429, { 'Stripe-Should-Retry': 'false' }), ok()], 1, 429],
  ['400', [apiError(400), ok()], 1, 400],
  ['401', [apiError(401), ok()], 1, 401],
  ['402', [apiError(402), ok()], 1, 402],
  ['403', [apiError(403), ok()], 1, 403],
  ['404', [apiError(404), ok()], 1, 404],
  ['500 forever stops after maxRetries (5) + 1 attempts', [apiError(500)], 6, 500],
];

for (const [name, responses, attempts, outcome] of cases) {
  test(`retry rule: ${name} → ${attempts} attempt(s)`, async (t) => {
    const server = await scripted(responses);
    t.after(() => server.close());
    const c = client(server.baseUrl);
    const costs: RequestCost[] = [];
    const pending = c.request({ method: 'GET', path: '/v1/customers', onRequest: (cost) => costs.push(cost) });
    if (outcome === 'ok') assert.deepEqual(await pending, { id: 'obj_1', object: 'thing' });
    else await assert.rejects(pending, (e: unknown) => e instanceof StripeApiError && e.status === outcome);
    assert.equal(server.requests.length, attempts);
    assert.equal(c.stats.requests, attempts);
    assert.equal(c.stats.retries, attempts - 1);
    // What EXPLAIN ANALYZE shows: one report per request, answered or not, with its retries.
    const throttled = responses.slice(0, attempts - 1).filter((r) => r.status === 429).length;
    assert.deepEqual(costs.map(({ retries, throttled }) => ({ retries, throttled })), [{ retries: attempts - 1, throttled }]);
  });
}

test('maxRetries 0 makes a single attempt', async (t) => {
  const server = await scripted([apiError(500), ok()]);
  t.after(() => server.close());
  await assert.rejects(client(server.baseUrl, { maxRetries: 0 }).request({ method: 'GET', path: '/v1/x' }), { status: 500 });
  assert.equal(server.requests.length, 1);
});

test('every retry of a POST carries the same Idempotency-Key and body', async (t) => {
  const server = await scripted([apiError(500), apiError(429), apiError(503), ok()]);
  t.after(() => server.close());
  await client(server.baseUrl).request({ method: 'POST', path: '/v1/customers', params: { email: 'a@b.c' } });
  assert.equal(server.requests.length, 4);
  const keys = new Set(server.requests.map((r) => r.headers['idempotency-key']));
  assert.equal(keys.size, 1);
  assert.match(String([...keys][0]), /^[0-9a-f-]{36}$/);
  assert.deepEqual(server.requests.map((r) => r.body), Array(4).fill('email=a%40b.c'));
});

test('a caller-given Idempotency-Key is kept on retries', async (t) => {
  const server = await scripted([apiError(500), ok()]);
  t.after(() => server.close());
  await client(server.baseUrl).request({ method: 'POST', path: '/v1/customers', idempotencyKey: 'idem-42' });
  assert.deepEqual(server.requests.map((r) => r.headers['idempotency-key']), ['idem-42', 'idem-42']);
});

test('a dropped connection is retried', async (t) => {
  const server = await scripted([{ destroy: true }, ok()]);
  t.after(() => server.close());
  const c = client(server.baseUrl);
  assert.deepEqual(await c.request({ method: 'GET', path: '/v1/customers' }), { id: 'obj_1', object: 'thing' });
  assert.equal(server.requests.length, 2);
});

test('a timed-out attempt is retried', async (t) => {
  const server = await scripted([ok()]);
  t.after(() => server.close());
  // The first answer takes 400 ms (of a fake clock) against a 100 ms timeout.
  const stripe = virtualStripe({ latencyMs: (index) => (index === 0 ? 400 : 0) });
  const c = client(server.baseUrl, { timeoutMs: 100, fetch: stripe.fetch, budgets: stripe.budgets });
  const costs: RequestCost[] = [];
  assert.deepEqual(await stripe.run(c.request({ method: 'GET', path: '/v1/customers', onRequest: (cost) => costs.push(cost) })), { id: 'obj_1', object: 'thing' });
  assert.equal(server.requests.length, 2);
  assert.equal(c.stats.requests, 2);
  assert.deepEqual(costs.map((cost) => cost.retries), [1]);
  // Given up at 100 ms; the retry went within the 5 ms backoff and was answered at once.
  assert.ok(stripe.clock.now() >= 100 && stripe.clock.now() <= 105, `${stripe.clock.now()} ms`);
});

test('Retry-After on a 429 is honoured', async (t) => {
  const server = await scripted([apiError(429, { 'Retry-After': '1' }), ok()]);
  t.after(() => server.close());
  const stripe = virtualStripe();
  // A backoff of at most 300 ms, but Stripe asked for a second.
  await stripe.run(client(server.baseUrl, { retryMaxDelayMs: 300, fetch: stripe.fetch, budgets: stripe.budgets }).request({ method: 'GET', path: '/v1/customers' }));
  assert.equal(server.requests.length, 2);
  assert.equal(stripe.clock.now(), 1000, 'the retry went out after exactly the second asked for');
});

test('Retry-After is capped at 4 × retryMaxDelayMs', async (t) => {
  const server = await scripted([apiError(429, { 'Retry-After': '30' }), ok()]);
  t.after(() => server.close());
  const stripe = virtualStripe();
  await stripe.run(client(server.baseUrl, { retryMaxDelayMs: 25, fetch: stripe.fetch, budgets: stripe.budgets }).request({ method: 'GET', path: '/v1/customers' }));
  assert.equal(server.requests.length, 2);
  assert.equal(stripe.clock.now(), 100, '4 × 25 ms, not the 30 s asked for');
});

test("the caller's abort during backoff ends the request without further attempts", async (t) => {
  const server = await scripted([apiError(503, { 'Retry-After': '5' }), ok()]);
  t.after(() => server.close());
  const stripe = virtualStripe();
  const controller = new AbortController();
  const c = client(server.baseUrl, { retryMaxDelayMs: 5000, fetch: stripe.fetch, budgets: stripe.budgets });
  const pending = c.request({ method: 'GET', path: '/v1/customers', signal: controller.signal });
  await stripe.settle();
  assert.equal(stripe.clock.nextDue(), 5000, 'the client sleeps the 5 s Stripe asked for');
  controller.abort();
  await assert.rejects(pending, { name: 'AbortError' });
  assert.equal(stripe.clock.nextDue(), undefined, 'its timer is cancelled');
  assert.equal(stripe.clock.now(), 0);
  assert.equal(server.requests.length, 1);
});

test("the caller's abort of an in-flight request is not retried", async (t) => {
  const server = await scripted([ok()]);
  t.after(() => server.close());
  const stripe = virtualStripe({ latencyMs: () => 500 });
  const controller = new AbortController();
  const c = client(server.baseUrl, { fetch: stripe.fetch, budgets: stripe.budgets });
  const pending = c.request({ method: 'GET', path: '/v1/customers', signal: controller.signal });
  await stripe.settle();
  assert.equal(stripe.inFlight, 1, 'sent, its answer not yet back');
  controller.abort();
  await assert.rejects(pending, { name: 'AbortError' });
  assert.equal(c.stats.requests, 1);
  assert.equal(c.stats.retries, 0);
  assert.equal(server.requests.length, 1);
});

test('isRetryable follows the rules', () => {
  const response = (status: number, shouldRetryHeader: string | null = null) => ({ kind: 'response' as const, status, shouldRetryHeader });
  assert.equal(isRetryable({ kind: 'network' }), true);
  assert.equal(isRetryable({ kind: 'timeout' }), true);
  for (const status of [409, 429, 500, 502, 503, 504]) assert.equal(isRetryable(response(status)), true, String(status));
  for (const status of [400, 401, 402, 403, 404, 422]) assert.equal(isRetryable(response(status)), false, String(status));
  assert.equal(isRetryable(response(400, 'true')), true);
  assert.equal(isRetryable(response(503, 'false')), false);
  assert.equal(isRetryable(response(503, ' FALSE ')), false);
});

test('retryDelayMs: full jitter over a capped exponential, floored by Retry-After (capped)', () => {
  const half = () => 0.5;
  assert.equal(retryDelayMs({ retryIndex: 0, baseDelayMs: 100, maxDelayMs: 1000, random: half }), 50);
  assert.equal(retryDelayMs({ retryIndex: 2, baseDelayMs: 100, maxDelayMs: 1000, random: half }), 200);
  assert.equal(retryDelayMs({ retryIndex: 9, baseDelayMs: 100, maxDelayMs: 1000, random: half }), 500);
  assert.equal(retryDelayMs({ retryIndex: 0, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0 }), 0);
  assert.equal(retryDelayMs({ retryIndex: 0, baseDelayMs: 100, maxDelayMs: 1000, retryAfterMs: 2000, random: half }), 2000);
  assert.equal(retryDelayMs({ retryIndex: 0, baseDelayMs: 100, maxDelayMs: 1000, retryAfterMs: 60_000, random: half }), 4000);
  assert.equal(retryDelayMs({ retryIndex: 9, baseDelayMs: 100, maxDelayMs: 1000, retryAfterMs: 0, random: half }), 500);
});

test('parseRetryAfterMs reads seconds and HTTP dates', () => {
  assert.equal(parseRetryAfterMs(null), undefined);
  assert.equal(parseRetryAfterMs('2'), 2000);
  assert.equal(parseRetryAfterMs(' 0.5 '), 500);
  assert.equal(parseRetryAfterMs('soon'), undefined);
  const now = Date.parse('2024-04-10T00:00:00Z');
  assert.equal(parseRetryAfterMs('Wed, 10 Apr 2024 00:00:03 GMT', now), 3000);
  assert.equal(parseRetryAfterMs('Tue, 09 Apr 2024 00:00:00 GMT', now), 0);
});

test('an error after a retry says whether an earlier attempt may have been carried out', async (t) => {
  const missing = stripeError(404, { type: 'invalid_request_error', code: 'resource_missing', message: "No such customer: 'cus_1'" });
  const cases: Array<[string, ScriptedResponse[], boolean]> = [
    ['answer lost, then 404', [{ destroy: true }, missing], true],
    ['500, then 404', [apiError(500), missing], true],
    ['429 (not carried out), then 404', [apiError(429), missing], false],
    ['404 at once', [missing], false],
  ];
  for (const [name, responses, expected] of cases) {
    const server = await scripted(responses);
    t.after(() => server.close());
    await assert.rejects(client(server.baseUrl).request({ method: 'DELETE', path: '/v1/customers/cus_1' }), (error: unknown) => {
      assert.ok(error instanceof StripeApiError, name);
      assert.equal(error.status, 404, name);
      assert.equal(error.earlierAttemptMayHaveApplied, expected, name);
      return true;
    });
  }
});
