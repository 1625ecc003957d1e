// A list endpoint that stops making progress (the emulator's broken-paginator knob): every read
// through it ends in an error naming the endpoint after a couple of requests, never a loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../emulator/client.js';
import { StalledListError } from '../src/stripe/index.js';
import { requestLines, useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();
/** More broken answers than any loop guard would ever need: the rule never runs out first. */
const FOREVER = 10_000;

test('the knob: a broken paginator ignores the cursor, or sends nothing, always with has_more', async (t) => {
  t.after(() => e2e.emulator.clearFaults());
  const first = await call(e2e.emulator, 'GET', '/v1/customers', { query: 'limit=2' });
  e2e.emulator.injectFaults({ count: 2, brokenPaginator: 'repeat-page', pathPrefix: '/v1/customers' });
  const repeated = await call(e2e.emulator, 'GET', '/v1/customers', { query: `limit=2&starting_after=${first.json.data[1].id}` });
  assert.deepEqual(repeated.json.data.map((c: { id: string }) => c.id), first.json.data.map((c: { id: string }) => c.id));
  assert.equal(repeated.json.has_more, true);
  const retrieved = await call(e2e.emulator, 'GET', `/v1/customers/${first.json.data[0].id}`);
  assert.equal(retrieved.json.object, 'customer', 'a retrieve is no list: left alone, and the rule not spent');
  await call(e2e.emulator, 'GET', '/v1/customers', { query: 'limit=2' });
  const healed = await call(e2e.emulator, 'GET', '/v1/customers', { query: `limit=2&starting_after=${first.json.data[1].id}` });
  assert.notEqual(healed.json.data[0].id, first.json.data[0].id, 'the rule is spent after count lists');

  e2e.emulator.injectFaults({ count: 1, brokenPaginator: 'empty-page' });
  const empty = await call(e2e.emulator, 'GET', '/v1/products', { query: 'limit=3' });
  assert.deepEqual(empty.json, { ...empty.json, object: 'list', data: [], has_more: true });
});

test('SELECT over a list that repeats its page fails after two requests, naming the endpoint', async (t) => {
  t.after(() => e2e.emulator.clearFaults());
  e2e.emulator.injectFaults({ count: FOREVER, brokenPaginator: 'repeat-page', pathPrefix: '/v1/checkout/sessions' });
  e2e.emulator.clearLog();
  await assert.rejects(e2e.db.query('SELECT Id FROM CheckoutSession'), (error: unknown) => {
    assert.ok(error instanceof StalledListError, String(error));
    assert.match(error.message, /^GET \/v1\/checkout\/sessions stopped making progress \(page 2 ended at cs_\w+ again, a cursor already followed\)/);
    return true;
  });
  const lines = requestLines(e2e.emulator.requestLog);
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[1]!, /starting_after=cs_/);
});

test('SELECT over a list that answers has_more with empty pages fails after one request', async (t) => {
  t.after(() => e2e.emulator.clearFaults());
  e2e.emulator.injectFaults({ count: FOREVER, brokenPaginator: 'empty-page', pathPrefix: '/v1/customers' });
  e2e.emulator.clearLog();
  await assert.rejects(e2e.db.query('SELECT COUNT(*) FROM Customers'), {
    name: 'StalledListError',
    message: 'GET /v1/customers stopped making progress (page 1 was empty yet said has_more: true); stopped paging instead of looping',
  });
  assert.equal(e2e.emulator.requestLog.length, 1);
});

test('a child read whose parent list repeats is stopped too', async (t) => {
  t.after(() => e2e.emulator.clearFaults());
  e2e.emulator.injectFaults({ count: FOREVER, brokenPaginator: 'repeat-page', pathPrefix: '/v1/subscriptions', method: 'GET' });
  e2e.emulator.clearLog();
  await assert.rejects(e2e.db.query('SELECT Id FROM SubscriptionItems'), { name: 'StalledListError', message: /^GET \/v1\/subscriptions stopped/ });
  const parentPages = e2e.emulator.requestLog.filter((r) => r.path === '/v1/subscriptions');
  assert.equal(parentPages.length, 2);
});
