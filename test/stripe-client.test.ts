import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { ConnectionError, StripeApiError, StripeClient, USER_AGENT } from '../src/stripe/index.js';
import { ok, startFakeStripe, stripeError } from './stripe-fake-server.js';
import { virtualStripe } from './support/virtual-time.js';

const KEY = 'sk_test_51HsecretsecretsecretsecretsecretXYZ9';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function client(baseUrl: string, extra: Partial<ConstructorParameters<typeof StripeClient>[0]> = {}): StripeClient {
  return new StripeClient({ apiKey: KEY, baseUrl, maxRetries: 0, retryBaseDelayMs: 1, retryMaxDelayMs: 2, ...extra });
}

function assertKeyAbsent(value: unknown): void {
  const dumps = [
    inspect(value, { depth: Infinity, showHidden: true }),
    JSON.stringify(value, Object.getOwnPropertyNames(value as object)),
    value instanceof Error ? String(value.stack) : '',
    value instanceof Error && value.cause instanceof Error ? String(value.cause.stack) : '',
  ];
  for (const dump of dumps) assert.ok(!dump.includes(KEY) && !dump.includes(KEY.slice(8, -4)), `key leaked in: ${dump}`);
}

test('GET sends exactly the Stripe headers and the params in the query string', async (t) => {
  const server = await startFakeStripe();
  t.after(() => server.close());
  const result = await client(server.baseUrl).request({
    method: 'GET',
    path: '/v1/checkout/sessions',
    params: { limit: 3, customer_details: { email: 'a@b.c' }, expand: ['data.line_items'] },
  });
  assert.deepEqual(result, { id: 'obj_1', object: 'thing' });
  const [req] = server.requests;
  assert.equal(req!.method, 'GET');
  assert.equal(req!.url, '/v1/checkout/sessions?limit=3&customer_details[email]=a%40b.c&expand[0]=data.line_items');
  assert.equal(req!.headers.authorization, `Bearer ${KEY}`);
  assert.equal(req!.headers['stripe-version'], '2024-04-10');
  assert.equal(req!.headers['user-agent'], USER_AGENT);
  assert.equal(req!.headers.accept, 'application/json');
  assert.equal(req!.headers['stripe-account'], undefined);
  assert.equal(req!.headers['idempotency-key'], undefined);
  assert.equal(req!.headers['content-type'], undefined);
  assert.equal(req!.body, '');
});

test('GET without params has no query string; DELETE puts params in the query', async (t) => {
  const server = await startFakeStripe();
  t.after(() => server.close());
  const c = client(server.baseUrl);
  await c.request({ method: 'GET', path: '/v1/customers/cus_1' });
  await c.request({ method: 'DELETE', path: '/v1/customers/cus_1', params: { x: 'y z' } });
  assert.deepEqual(
    server.requests.map((r) => `${r.method} ${r.url} [${r.body}]`),
    ['GET /v1/customers/cus_1 []', 'DELETE /v1/customers/cus_1?x=y%20z []'],
  );
  assert.equal(server.requests[1]!.headers['idempotency-key'], undefined);
});

test('POST sends a form body, Content-Type and a generated UUID Idempotency-Key', async (t) => {
  const server = await startFakeStripe();
  t.after(() => server.close());
  const c = client(server.baseUrl);
  const params = { mode: 'payment', success_url: 'https://example.com/success', line_items: [{ price: 'price_1', quantity: 23 }] };
  await c.request({ method: 'POST', path: '/v1/checkout/sessions', params });
  await c.request({ method: 'POST', path: '/v1/checkout/sessions', params });
  const [first, second] = server.requests;
  assert.equal(first!.url, '/v1/checkout/sessions');
  assert.equal(
    first!.body,
    'mode=payment&success_url=https%3A%2F%2Fexample.com%2Fsuccess&line_items[0][price]=price_1&line_items[0][quantity]=23',
  );
  assert.equal(first!.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(first!.headers['content-length'], String(Buffer.byteLength(first!.body)));
  assert.match(String(first!.headers['idempotency-key']), UUID);
  assert.match(String(second!.headers['idempotency-key']), UUID);
  assert.notEqual(first!.headers['idempotency-key'], second!.headers['idempotency-key']);
});

test('POST uses the caller idempotency key; POST without params sends an empty body', async (t) => {
  const server = await startFakeStripe();
  t.after(() => server.close());
  await client(server.baseUrl).request({ method: 'POST', path: '/v1/customers', idempotencyKey: 'my-key-1' });
  assert.equal(server.requests[0]!.headers['idempotency-key'], 'my-key-1');
  assert.equal(server.requests[0]!.body, '');
});

test('Stripe-Account comes from the client, and a request overrides it; apiVersion is configurable', async (t) => {
  const server = await startFakeStripe();
  t.after(() => server.close());
  const c = client(server.baseUrl, { accountId: 'acct_client', apiVersion: '2023-10-16' });
  await c.request({ method: 'GET', path: '/v1/customers' });
  await c.request({ method: 'GET', path: '/v1/customers', accountId: 'acct_request' });
  assert.deepEqual(
    server.requests.map((r) => [r.headers['stripe-account'], r.headers['stripe-version']]),
    [
      ['acct_client', '2023-10-16'],
      ['acct_request', '2023-10-16'],
    ],
  );
  const plain = client(server.baseUrl);
  await plain.request({ method: 'GET', path: '/v1/customers', accountId: 'acct_only_here' });
  assert.equal(server.requests[2]!.headers['stripe-account'], 'acct_only_here');
});

test('base URL: trailing slashes stripped, path prefix kept', async (t) => {
  const server = await startFakeStripe();
  t.after(() => server.close());
  await client(`${server.baseUrl}/prefix///`).request({ method: 'GET', path: '/v1/customers', params: { limit: 1 } });
  assert.equal(server.requests[0]!.url, '/prefix/v1/customers?limit=1');
});

test('bad base URLs are ConnectionErrors at construction', () => {
  assert.throws(() => client('not a url'), (e: unknown) => e instanceof ConnectionError && /is not a URL/.test(e.message));
  assert.throws(() => client('ftp://example.com'), (e: unknown) => e instanceof ConnectionError && /http or https/.test(e.message));
});

test('a missing key or one with header-breaking characters is refused without echoing it', () => {
  assert.throws(() => new StripeClient({ apiKey: '' }), { name: 'TypeError', message: 'A Stripe API key is required (sk_… or rk_…)' });
  let caught: unknown;
  try {
    new StripeClient({ apiKey: `${KEY}\n` });
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof TypeError);
  assertKeyAbsent(caught);
});

test('keyHint shows the redacted key; the client never shows the key', () => {
  const c = client('http://127.0.0.1:9');
  assert.equal(c.keyHint, 'sk_test_…XYZ9');
  assert.ok(!inspect(c, { depth: Infinity, showHidden: true }).includes(KEY));
  assert.ok(!JSON.stringify(c).includes(KEY));
});

test('Stripe errors map to StripeApiError with every field and the Request-Id', async (t) => {
  const server = await startFakeStripe(() =>
    stripeError(
      402,
      {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
        param: 'payment_method',
        doc_url: 'https://stripe.com/docs/error-codes/card-declined',
      },
      { 'Request-Id': 'req_abc123' },
    ),
  );
  t.after(() => server.close());
  await assert.rejects(client(server.baseUrl).request({ method: 'POST', path: '/v1/payment_intents' }), (e: unknown) => {
    assert.ok(e instanceof StripeApiError);
    assert.equal(e.name, 'StripeApiError');
    assert.equal(e.message, 'Your card has insufficient funds.');
    assert.equal(e.status, 402);
    assert.equal(e.type, 'card_error');
    assert.equal(e.code, 'card_declined');
    assert.equal(e.declineCode, 'insufficient_funds');
    assert.equal(e.param, 'payment_method');
    assert.equal(e.docUrl, 'https://stripe.com/docs/error-codes/card-declined');
    assert.equal(e.requestId, 'req_abc123');
    return true;
  });
});

test('404 stays a StripeApiError with resource_missing', async (t) => {
  const server = await startFakeStripe(() =>
    stripeError(404, { type: 'invalid_request_error', code: 'resource_missing', message: "No such customer: 'cus_x'", param: 'id' }),
  );
  t.after(() => server.close());
  await assert.rejects(client(server.baseUrl).request({ method: 'GET', path: '/v1/customers/cus_x' }), {
    name: 'StripeApiError',
    status: 404,
    code: 'resource_missing',
    message: "No such customer: 'cus_x'",
  });
});

test('401 explains itself with the redacted key and never leaks the key', async (t) => {
  const server = await startFakeStripe(() =>
    stripeError(401, { type: 'invalid_request_error', message: `Invalid API Key provided: ${KEY}` }, { 'Request-Id': 'req_401' }),
  );
  t.after(() => server.close());
  let caught: unknown;
  try {
    await client(server.baseUrl).request({ method: 'GET', path: '/v1/customers' });
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof StripeApiError);
  assert.equal(
    caught.message,
    'Stripe rejected the API key sk_test_…XYZ9 (401): check the key and that it belongs to this account/mode. ' +
      'Stripe said: Invalid API Key provided: sk_test_…XYZ9',
  );
  assert.equal(caught.requestId, 'req_401');
  assertKeyAbsent(caught);
});

test('non-JSON error bodies become a readable StripeApiError', async (t) => {
  const server = await startFakeStripe(() => ({ status: 502, body: '<html>\n  Bad   gateway</html>', headers: { 'Content-Type': 'text/html' } }));
  t.after(() => server.close());
  await assert.rejects(client(server.baseUrl).request({ method: 'GET', path: '/v1/customers' }), {
    name: 'StripeApiError',
    status: 502,
    type: 'api_error',
    message: 'Stripe answered HTTP 502 without a Stripe error body: <html> Bad gateway</html>',
  });
});

test('an empty error body is described as such', async (t) => {
  const server = await startFakeStripe(() => ({ status: 400, body: '' }));
  t.after(() => server.close());
  await assert.rejects(client(server.baseUrl).request({ method: 'GET', path: '/v1/customers' }), {
    status: 400,
    type: 'invalid_request_error',
    message: 'Stripe answered HTTP 400 with an empty body',
  });
});

test('a 200 that is not JSON is a ConnectionError pointing at the base URL', async (t) => {
  const server = await startFakeStripe(() => ({ status: 200, body: 'hello' }));
  t.after(() => server.close());
  await assert.rejects(
    client(server.baseUrl).request({ method: 'GET', path: '/v1/customers' }),
    (e: unknown) => e instanceof ConnectionError && e.message === `GET /v1/customers: ${server.baseUrl} answered HTTP 200 with a body that is not JSON; is the base URL a Stripe API?`,
  );
});

test('redirects are not followed (the Authorization header stays home)', async (t) => {
  const server = await startFakeStripe(() => ({ status: 301, headers: { Location: 'https://elsewhere.example/v1' }, body: '' }));
  t.after(() => server.close());
  await assert.rejects(
    client(server.baseUrl).request({ method: 'GET', path: '/v1/customers' }),
    (e: unknown) => e instanceof ConnectionError && e.message.includes('redirected (HTTP 301) to https://elsewhere.example/v1'),
  );
  assert.equal(server.requests.length, 1);
});

test('an unreachable server is a ConnectionError with a sanitised cause and no key', async (t) => {
  const server = await startFakeStripe();
  const deadUrl = server.baseUrl;
  await server.close();
  let caught: unknown;
  try {
    await client(deadUrl, { maxRetries: 2 }).request({ method: 'GET', path: '/v1/customers' });
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ConnectionError);
  assert.match(caught.message, new RegExp(`^GET /v1/customers: could not reach ${deadUrl}: connect ECONNREFUSED .* \\(3 attempts\\)$`));
  assert.equal((caught.cause as { code?: string }).code, 'ECONNREFUSED');
  assertKeyAbsent(caught);
  t.diagnostic(caught.message);
});

test('a per-attempt timeout is a ConnectionError once retries are spent', async (t) => {
  const server = await startFakeStripe();
  t.after(() => server.close());
  // Every answer takes 300 ms of a fake clock the client keeps too.
  const stripe = virtualStripe({ latencyMs: () => 300 });
  const c = client(server.baseUrl, { timeoutMs: 50, maxRetries: 1, fetch: stripe.fetch, budgets: stripe.budgets });
  await assert.rejects(
    stripe.run(c.request({ method: 'GET', path: '/v1/customers' })),
    (e: unknown) => e instanceof ConnectionError && e.message === `GET /v1/customers: ${server.baseUrl} did not answer within 50 ms (2 attempts)`,
  );
  assert.equal(server.requests.length, 2);
  assert.equal(c.stats.requests, 2);
  assert.equal(c.stats.retries, 1);
  assert.ok(stripe.clock.now() < 300, 'given up before any answer came');
});

test('stats count attempts', async (t) => {
  const server = await startFakeStripe();
  t.after(() => server.close());
  const c = client(server.baseUrl);
  for (let i = 0; i < 3; i++) await c.request({ method: 'GET', path: '/v1/customers' });
  assert.equal(c.stats.requests, 3);
  assert.equal(c.stats.retries, 0);
});

test('paths must start with a slash', async () => {
  await assert.rejects(client('http://127.0.0.1:9').request({ method: 'GET', path: 'v1/customers' }), { name: 'TypeError' });
});

test('the User-Agent version follows package.json', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(USER_AGENT, `stripe-sql/${pkg.version}`);
});
