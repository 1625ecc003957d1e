// A search that stops making progress is an error naming the endpoint, never a loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StripeClient } from '../src/stripe/index.js';
import { startFakeStripe } from './stripe-fake-server.js';

const KEY = 'sk_test_51Hsearchpagingsearchpaging00000';

test('a search page that is empty yet says has_more (with a new next_page each time) is stopped', async (t) => {
  const server = await startFakeStripe((_req, index) => ({
    status: 200, body: { object: 'search_result', url: '/v1/customers/search', data: [], has_more: true, next_page: `tok_${index}` },
  }));
  t.after(() => server.close());
  const client = new StripeClient({ apiKey: KEY, baseUrl: server.baseUrl, maxRetries: 0 });
  await assert.rejects(async () => {
    for await (const _ of client.searchPages('/v1/customers/search', { query: "email~'acme'" })) void _;
  }, { name: 'StalledListError', message: /^GET \/v1\/customers\/search stopped making progress \(page 1 was empty yet said has_more: true\)/ });
  assert.equal(server.requests.length, 1);
});
