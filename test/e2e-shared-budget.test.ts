// Two connections of the same key and account share one request budget, through the whole
// stack against the emulator: at 4 requests/s (a burst of 1), eight reads by id split between
// two connections take as long as eight from one, and a connection of another account does not
// wait for them. Time is a fake clock the transport keeps (support/virtual-time.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../src/index.js';
import { DEMO_API_KEY } from '../emulator/index.js';
import { CONNECTED_ACCOUNT } from '../emulator/seed.js';
import { useEmulator } from './e2e-helpers.js';
import { virtualStripe } from './support/virtual-time.js';

const e2e = useEmulator();

test('two connections of one key and account draw from one budget: eight requests at 4/s take 1.75 s between them', async () => {
  const stripe = virtualStripe();
  const open = (accountId?: string) =>
    connect({ apiKey: DEMO_API_KEY, baseUrl: e2e.emulator.url, maxRequestsPerSecond: 4, fetch: stripe.fetch, budgets: stripe.budgets, ...(accountId ? { accountId } : {}) });
  const [first, second, other] = [open(), open(), open(CONNECTED_ACCOUNT)];
  const sessions = e2e.emulator.objects('checkout.session').slice(0, 8).map((s) => String(s.id));
  const byId = (ids: string[]) => `SELECT Id FROM CheckoutSession WHERE Id IN (${ids.map((id) => `'${id}'`).join(', ')})`;
  e2e.emulator.clearLog();
  try {
    const [a, b, elsewhere] = await stripe.run(Promise.all([
      first.query(byId(sessions.slice(0, 4))),
      second.query(byId(sessions.slice(4))),
      other.query('SELECT Id FROM Customers LIMIT 1').then((result) => ({ ...result, at: stripe.clock.now() })),
    ]));
    assert.equal(elsewhere.rows.length, 1);
    assert.equal(elsewhere.at, 0, 'the connected account has a budget of its own: no wait');
    assert.deepEqual(a.rows.map((r) => r.Id), sessions.slice(0, 4));
    assert.deepEqual(b.rows.map((r) => r.Id), sessions.slice(4));
    const platform = e2e.emulator.requestLog.filter((r) => r.account !== CONNECTED_ACCOUNT);
    assert.deepEqual(platform.map((r) => `${r.method} ${r.path}`).sort(), sessions.map((id) => `GET /v1/checkout/sessions/${id}`).sort());
    assert.deepEqual(e2e.emulator.requestLog.filter((r) => r.account === CONNECTED_ACCOUNT).map((r) => `${r.method} ${r.path}?${r.query}`), ['GET /v1/customers?limit=1']);
    // One token at once, then one each 250 ms, for both connections together: 7 × 250 ms.
    // Each with a budget of its own, the four of each would have taken 3 × 250 ms.
    assert.equal(stripe.clock.now(), 1750);
    assert.equal(first.stats.requests + second.stats.requests, 8);
    assert.deepEqual(first.stats.budget, second.stats.budget);
    assert.equal(first.stats.budget.requests, 8);
    assert.equal(first.stats.budget.clients, 2);
  } finally {
    await Promise.all([first.close(), second.close(), other.close()]);
  }
});
