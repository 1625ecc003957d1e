// The default cap on requests in flight follows the rate budget: at 150 ms a request, a budget
// of 100 requests/s is busy only with about 15 in flight (Little's law), so a fixed cap of 10
// would hold a child table's read to 67 requests/s; the same goes for an `Id IN (…)`'s retrieves
// and an IN's list per value. Through the emulator, with its answers held
// for 150 ms of a fake clock the transport keeps too (support/virtual-time.ts): the rows, the
// exact requests, how many were in flight, and the (fake) time the read took against the time
// the budget allows.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../src/index.js';
import { DEFAULT_CONCURRENCY } from '../src/stripe/scan-pacing.js';
import { startEmulator, DEMO_API_KEY, type Emulator } from '../emulator/index.js';
import { call } from '../emulator/client.js';
import { bulkObjects } from '../emulator/created-distribution.js';
import { virtualStripe } from './support/virtual-time.js';

const ACCOUNT = 'acct_1DefaultConcurrency';
const SESSIONS = 100;
const LATENCY_MS = 150;
const BUDGET = 100;

let emulator: Emulator;
let sessionIds: string[];
let lineItems: number;

before(async () => {
  emulator = await startEmulator();
  emulator.addAccount(ACCOUNT);
  const price = await call(emulator, 'POST', '/v1/prices', { account: ACCOUNT, body: 'currency=usd&unit_amount=1500&product_data[name]=Seat' });
  assert.equal(price.status, 200);
  sessionIds = [];
  lineItems = 0;
  for (let i = 0; i < SESSIONS; i++) {
    const items = 1 + (i % 3);
    const lines = Array.from({ length: items }, (_, k) => `line_items[${k}][price]=${price.json.id}&line_items[${k}][quantity]=1`).join('&');
    const made = await call(emulator, 'POST', '/v1/checkout/sessions', { account: ACCOUNT, body: `mode=payment&success_url=https%3A%2F%2Fx.test%2F&${lines}` });
    assert.equal(made.status, 200);
    sessionIds.push(made.json.id);
    lineItems += items;
  }
});

after(() => emulator.close());

/** The line items of every session at 150 ms a request under a 100/s budget, in fake time. */
async function readLineItems(maxConcurrency?: number) {
  const stripe = virtualStripe({ latencyMs: () => LATENCY_MS });
  const db = connect({
    apiKey: DEMO_API_KEY, baseUrl: emulator.url, accountId: ACCOUNT, maxRequestsPerSecond: BUDGET, fetch: stripe.fetch, budgets: stripe.budgets,
    ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
  });
  emulator.clearLog();
  try {
    const { rows } = await stripe.run(db.query('SELECT CheckoutSessionId, Id FROM CheckoutSessionLineItems'));
    const requests = emulator.requestLog.map((r) => `${r.method} ${r.path}?${r.query}`);
    return { rows, requests, ms: stripe.clock.now(), peak: stripe.peakInFlight, allowedMs: (requests.length / BUDGET) * 1000 };
  } finally {
    await db.close();
  }
}

function assertEveryLineItemOnce(read: Awaited<ReturnType<typeof readLineItems>>): void {
  assert.equal(read.rows.length, lineItems);
  assert.deepEqual([...new Set(read.rows.map((r) => r.CheckoutSessionId))].sort(), [...sessionIds].sort());
  assert.equal(new Set(read.rows.map((r) => r.Id)).size, lineItems);
  // One list of the sessions, then one list of line items per session: nothing repeated, no probe.
  assert.deepEqual([...read.requests].sort(), [
    'GET /v1/checkout/sessions?limit=100',
    ...sessionIds.map((id) => `GET /v1/checkout/sessions/${id}/line_items?limit=100`),
  ].sort());
}

test('by default, as many requests in flight as keep the budget busy: the read takes the time the budget allows', async () => {
  const read = await readLineItems();
  assertEveryLineItemOnce(read);
  // 100/s × 0.15 s × 1.25, rounded up: 19 in flight once the first answer shows the latency.
  assert.equal(read.peak, Math.ceil(((BUDGET * LATENCY_MS) / 1000) * 1.25));
  assert.ok(read.peak > DEFAULT_CONCURRENCY.floor);
  // The issue's mark: within 1.3 × the time the budget allows for the requests made.
  assert.ok(read.ms <= 1.3 * read.allowedMs, `took ${read.ms} ms of fake time; the budget allows ${read.allowedMs} ms`);
});

test('an explicit MaxConcurrency still wins: 10 in flight cap the read at 67 requests/s', async () => {
  const read = await readLineItems(10);
  assertEveryLineItemOnce(read);
  assert.equal(read.peak, 10);
  // 100 lists of line items 10 at a time, 150 ms each, after the list of sessions.
  assert.ok(read.ms >= (SESSIONS / 10) * LATENCY_MS, `took ${read.ms} ms of fake time`);
  assert.ok(read.ms > 1.3 * read.allowedMs);
});

test('a full read in parallel windows opens as many as keep the budget busy, past the old cap of 10', async () => {
  const account = 'acct_1DefaultConcurrencyScan';
  const count = 5_000;
  emulator.putObjects(bulkObjects('uniform', count, { idPrefix: 'cus_dc', object: 'customer', fields: (i) => ({ email: `dc${i}@x.test` }) }), account);
  const stripe = virtualStripe({ latencyMs: () => LATENCY_MS });
  const db = connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, accountId: account, maxRequestsPerSecond: BUDGET, fetch: stripe.fetch, budgets: stripe.budgets });
  emulator.clearLog();
  try {
    const { rows } = await stripe.run(db.query('SELECT COUNT(*) AS n, COUNT(DISTINCT Id) AS ids FROM Customers'));
    assert.deepEqual(rows, [{ n: count, ids: count }]);
    const log = emulator.requestLog;
    assert.ok(log.every((r) => r.method === 'GET' && r.path === '/v1/customers' && /(^|&)limit=100(&|$)/.test(r.query ?? '')), 'list pages only, no probes');
    assert.ok(log.length <= 1.25 * (count / 100) + 16, `${log.length} requests for ${count / 100} pages`);
    assert.ok(stripe.peakInFlight > DEFAULT_CONCURRENCY.floor, `peak ${stripe.peakInFlight} windows in flight`);
    assert.ok(stripe.peakInFlight <= Math.ceil(((BUDGET * LATENCY_MS) / 1000) * 1.25), `peak ${stripe.peakInFlight}: no more than keep the budget busy`);
  } finally {
    await db.close();
  }
});

/** A query at 150 ms a request under a 100/s budget, in fake time: its rows, requests, peak in flight. */
async function readAtLatency(sql: string) {
  const stripe = virtualStripe({ latencyMs: () => LATENCY_MS });
  const db = connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, accountId: ACCOUNT, maxRequestsPerSecond: BUDGET, fetch: stripe.fetch, budgets: stripe.budgets });
  emulator.clearLog();
  try {
    const { rows } = await stripe.run(db.query(sql));
    const requests = emulator.requestLog.map((r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ''}`);
    return { rows, requests, ms: stripe.clock.now(), peak: stripe.peakInFlight, allowedMs: (requests.length / BUDGET) * 1000 };
  } finally {
    await db.close();
  }
}

const KEEPS_BUDGET_BUSY = Math.ceil(((BUDGET * LATENCY_MS) / 1000) * 1.25);

test('Id IN (…) retrieves as many at once as keep the budget busy, not 8', async () => {
  const read = await readAtLatency(`SELECT Id FROM CheckoutSession WHERE Id IN (${sessionIds.map((id) => `'${id}'`).join(', ')})`);
  assert.deepEqual(read.rows.map((r) => r.Id), sessionIds, 'every session, in the order named');
  assert.deepEqual(read.requests, sessionIds.map((id) => `GET /v1/checkout/sessions/${id}`), 'one retrieve per id, in order, none repeated');
  // 10 (the cap before any answer), then 19 once the first answers show the latency.
  assert.equal(read.peak, KEEPS_BUDGET_BUSY);
  assert.ok(read.ms <= 1.3 * read.allowedMs, `took ${read.ms} ms of fake time; the budget allows ${read.allowedMs} ms`);
});

test('an IN fanned out into a list per value (a lookup join’s batch of keys) reads as many lists at once as keep the budget busy, not 16', async () => {
  const customers = Array.from({ length: 60 }, (_, i) => `cus_keepbusy${String(i).padStart(2, '0')}`);
  const read = await readAtLatency(`SELECT Id FROM CheckoutSession WHERE CustomerId IN (${customers.map((id) => `'${id}'`).join(', ')})`);
  assert.deepEqual(read.rows, []);
  assert.deepEqual([...read.requests].sort(), customers.map((id) => `GET /v1/checkout/sessions?customer=${id}&limit=100`).sort(), 'one list per value');
  assert.equal(read.peak, KEEPS_BUDGET_BUSY);
  assert.ok(read.peak > 16);
  assert.ok(read.ms <= 1.3 * read.allowedMs, `took ${read.ms} ms of fake time; the budget allows ${read.allowedMs} ms`);
});
