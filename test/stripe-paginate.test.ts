import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionError, StalledListError, StripeClient } from '../src/stripe/index.js';
import { startFakeStripe, type RecordedRequest } from './stripe-fake-server.js';
import { settled } from './support/fake-clock.js';

const KEY = 'sk_test_51Hpaginatepaginatepaginate0000';
const customers = Array.from({ length: 5 }, (_, i) => ({ id: `cus_${i + 1}`, object: 'customer' }));

/** Serves `customers` newest-first as Stripe does, honouring limit/starting_after/ending_before. */
function listServer() {
  return startFakeStripe((req: RecordedRequest) => {
    const url = new URL(req.url, 'http://x');
    const limit = Number(url.searchParams.get('limit') ?? 10);
    const after = url.searchParams.get('starting_after');
    const before = url.searchParams.get('ending_before');
    let data = customers;
    let page;
    if (before) {
      data = data.slice(0, data.findIndex((c) => c.id === before));
      page = data.slice(Math.max(0, data.length - limit));
      return { status: 200, body: { object: 'list', url: url.pathname, data: page, has_more: data.length > page.length } };
    }
    if (after) data = data.slice(data.findIndex((c) => c.id === after) + 1);
    page = data.slice(0, limit);
    return { status: 200, body: { object: 'list', url: url.pathname, data: page, has_more: data.length > limit } };
  });
}

const client = (baseUrl: string) => new StripeClient({ apiKey: KEY, baseUrl, maxRetries: 0 });

test('listPages follows starting_after over 3 pages and stops when has_more is false', async (t) => {
  const server = await listServer();
  t.after(() => server.close());
  const ids: string[][] = [];
  for await (const page of client(server.baseUrl).listPages('/v1/customers', { limit: 2, email: 'a@b.c' })) {
    ids.push(page.data.map((c) => c.id!));
  }
  assert.deepEqual(ids, [['cus_1', 'cus_2'], ['cus_3', 'cus_4'], ['cus_5']]);
  assert.deepEqual(
    server.requests.map((r) => r.url),
    [
      '/v1/customers?limit=2&email=a%40b.c',
      '/v1/customers?limit=2&email=a%40b.c&starting_after=cus_2',
      '/v1/customers?limit=2&email=a%40b.c&starting_after=cus_4',
    ],
  );
});

/**
 * A client whose fetch counts the requests it sends, and a check that nothing more is under way:
 * once the event loop has turned, any request started would have reached fetch, unless it
 * waits for the rate budget's timer (queued) or holds a slot (in flight).
 */
function countingClient(baseUrl: string) {
  let sent = 0;
  const c = new StripeClient({ apiKey: KEY, baseUrl, maxRetries: 0, fetch: (...args) => (sent++, fetch(...args)) });
  const quiet = async (): Promise<{ sent: number; queued: number; inFlight: number }> => {
    await settled();
    return { sent, queued: c.stats.budget.queued, inFlight: c.inFlight };
  };
  return { client: c, quiet };
}

test('breaking after the first page sends no further request', async (t) => {
  const server = await listServer();
  t.after(() => server.close());
  const { client: c, quiet } = countingClient(server.baseUrl);
  for await (const page of c.listPages('/v1/customers', { limit: 2 })) {
    assert.equal(page.data.length, 2);
    break;
  }
  assert.deepEqual(await quiet(), { sent: 1, queued: 0, inFlight: 0 });
  assert.deepEqual(server.requests.map((r) => r.url), ['/v1/customers?limit=2']);
});

test('starting from ending_before pages backwards by the first id', async (t) => {
  const server = await listServer();
  t.after(() => server.close());
  const ids: string[][] = [];
  for await (const page of client(server.baseUrl).listPages('/v1/customers', { limit: 2, ending_before: 'cus_5' })) {
    ids.push(page.data.map((c) => c.id!));
  }
  assert.deepEqual(ids, [['cus_3', 'cus_4'], ['cus_1', 'cus_2']]);
  assert.deepEqual(server.requests.map((r) => r.url), [
    '/v1/customers?limit=2&ending_before=cus_5',
    '/v1/customers?limit=2&ending_before=cus_3',
  ]);
});

test('listPages sends the account on every page', async (t) => {
  const server = await listServer();
  t.after(() => server.close());
  const pages = client(server.baseUrl).listPages('/v1/customers', { limit: 3 }, { accountId: 'acct_42' });
  let count = 0;
  for await (const _ of pages) count++;
  assert.equal(count, 2);
  assert.deepEqual(server.requests.map((r) => r.headers['stripe-account']), ['acct_42', 'acct_42']);
});

test('has_more with an empty page is an error naming the endpoint, after one request', async (t) => {
  const server = await startFakeStripe(() => ({ status: 200, body: { object: 'list', url: '/v1/x', data: [], has_more: true } }));
  t.after(() => server.close());
  let count = 0;
  await assert.rejects(async () => {
    for await (const _ of client(server.baseUrl).listPages('/v1/x', {})) count++;
  }, {
    name: 'StalledListError',
    message: 'GET /v1/x stopped making progress (page 1 was empty yet said has_more: true); stopped paging instead of looping',
  });
  assert.equal(count, 1, 'the page read is still delivered');
  assert.equal(server.requests.length, 1);
});

test('a server answering the same page whatever the cursor is stopped at the first repeat', async (t) => {
  const server = await startFakeStripe(() => ({ status: 200, body: { object: 'list', url: '/v1/customers', data: customers.slice(0, 2), has_more: true } }));
  t.after(() => server.close());
  await assert.rejects(async () => {
    for await (const _ of client(server.baseUrl).listPages('/v1/customers', { limit: 2 })) void _;
  }, (error: unknown) => {
    assert.ok(error instanceof StalledListError);
    assert.ok(error instanceof ConnectionError);
    assert.equal(error.message, 'GET /v1/customers stopped making progress (page 2 ended at cus_2 again, a cursor already followed); stopped paging instead of looping');
    return true;
  });
  assert.deepEqual(server.requests.map((r) => r.url), ['/v1/customers?limit=2', '/v1/customers?limit=2&starting_after=cus_2']);
});

test('a cycle of two pages is caught too, and so is a page ending at the cursor the caller started from', async (t) => {
  // Page after cus_2 is cus_3..cus_4; after cus_4 the server wrongly starts over.
  const server = await startFakeStripe((req) => {
    const after = new URL(req.url, 'http://x').searchParams.get('starting_after');
    const data = after === 'cus_2' ? customers.slice(2, 4) : customers.slice(0, 2);
    return { status: 200, body: { object: 'list', url: '/v1/customers', data, has_more: true } };
  });
  t.after(() => server.close());
  await assert.rejects(async () => {
    for await (const _ of client(server.baseUrl).listPages('/v1/customers', { limit: 2 })) void _;
  }, { name: 'StalledListError', message: /page 3 ended at cus_2 again/ });
  assert.equal(server.requests.length, 3);
  await assert.rejects(async () => {
    for await (const _ of client(server.baseUrl).listPages('/v1/customers', { limit: 2, starting_after: 'cus_4' })) void _;
  }, { name: 'StalledListError', message: /page 2 ended at cus_4 again/ });
});

test('a search whose next_page comes back again is stopped', async (t) => {
  const server = await startFakeStripe(() => ({
    status: 200, body: { object: 'search_result', url: '/v1/customers/search', data: customers.slice(0, 1), has_more: true, next_page: 'tok_same' },
  }));
  t.after(() => server.close());
  await assert.rejects(async () => {
    for await (const _ of client(server.baseUrl).searchPages('/v1/customers/search', { query: "email:'a'" })) void _;
  }, { name: 'StalledListError', message: /^GET \/v1\/customers\/search stopped making progress \(page 2 pointed to a next_page already followed\)/ });
  assert.equal(server.requests.length, 2);
});

test('a non-list answer is a TypeError naming the endpoint', async (t) => {
  const server = await startFakeStripe(() => ({ status: 200, body: { object: 'customer', id: 'cus_1' } }));
  t.after(() => server.close());
  await assert.rejects(async () => {
    for await (const _ of client(server.baseUrl).listPages('/v1/customers/cus_1', {})) void _;
  }, { name: 'TypeError', message: 'GET /v1/customers/cus_1 did not answer with a list (object: customer)' });
});

test('searchPages follows next_page into page', async (t) => {
  const pages = [
    { object: 'search_result', data: [{ id: 'cus_1' }], has_more: true, next_page: 'tok_2' },
    { object: 'search_result', data: [{ id: 'cus_2' }], has_more: true, next_page: 'tok/3=' },
    { object: 'search_result', data: [{ id: 'cus_3' }], has_more: false, next_page: null },
  ];
  const server = await startFakeStripe((_req, index) => ({ status: 200, body: pages[index] }));
  t.after(() => server.close());
  const ids: string[] = [];
  for await (const page of client(server.baseUrl).searchPages('/v1/customers/search', { query: "email:'a@b.c'", limit: 1 })) {
    ids.push(...page.data.map((c) => c.id!));
  }
  assert.deepEqual(ids, ['cus_1', 'cus_2', 'cus_3']);
  assert.deepEqual(server.requests.map((r) => r.url), [
    '/v1/customers/search?query=email%3A%27a%40b.c%27&limit=1',
    '/v1/customers/search?query=email%3A%27a%40b.c%27&limit=1&page=tok_2',
    '/v1/customers/search?query=email%3A%27a%40b.c%27&limit=1&page=tok%2F3%3D',
  ]);
});

test('searchPages stops early when the consumer breaks', async (t) => {
  const server = await startFakeStripe(() => ({
    status: 200,
    body: { object: 'search_result', data: [{ id: 'cus_1' }], has_more: true, next_page: 'tok_2' },
  }));
  t.after(() => server.close());
  const { client: c, quiet } = countingClient(server.baseUrl);
  for await (const _ of c.searchPages('/v1/customers/search', { query: 'x' })) break;
  assert.deepEqual(await quiet(), { sent: 1, queued: 0, inFlight: 0 });
  assert.equal(server.requests.length, 1);
});

test('a list that takes no cursor is read in one request; has_more from it is an error, not a refused request', async (t) => {
  let hasMore = false;
  const server = await startFakeStripe(() => ({ status: 200, body: { object: 'list', url: '/v1/reporting/report_types', data: customers.slice(0, 2), has_more: hasMore } }));
  t.after(() => server.close());
  let pages = 0;
  for await (const _ of client(server.baseUrl).listPages('/v1/reporting/report_types', {}, { cursor: false })) pages++;
  assert.equal(pages, 1);
  hasMore = true;
  await assert.rejects(async () => {
    for await (const _ of client(server.baseUrl).listPages('/v1/reporting/report_types', {}, { cursor: false })) void _;
  }, { name: 'StalledListError', message: /^GET \/v1\/reporting\/report_types stopped making progress \(it said has_more: true, yet it takes no starting_after to read on\)/ });
  assert.deepEqual(server.requests.map((r) => r.url), ['/v1/reporting/report_types', '/v1/reporting/report_types']);
});
