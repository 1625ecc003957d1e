// Full reads through SQL against the emulator, with 3,000 customers in each `created`
// distribution (emulator/created-distribution.ts), each in its own connected account, and
// Stripe's latency held on a fake clock the transport keeps (support/virtual-time.ts), so that
// windows overlap the same way every run: every row exactly once, the requests counted in the
// emulator's log within 1.25 × the minimum + 20, and a LIMIT that stops the read aborts the
// windows still in flight.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bulkObjects, CREATED_DISTRIBUTIONS, type CreatedDistribution } from '../emulator/created-distribution.js';
import { useEmulator } from './e2e-helpers.js';
import { virtualStripe } from './support/virtual-time.js';

const e2e = useEmulator();
const COUNT = 3_000;
const MINIMUM = COUNT / 100;
const LATENCY_MS = 150;
const BUDGET = 100;

function load(distribution: CreatedDistribution): string {
  const account = `acct_sched_${distribution}`;
  if (e2e.emulator.objects('customer', account).length === 0) {
    const fields = (i: number) => ({ email: `${distribution}${i}@x.test` });
    e2e.emulator.putObjects(bulkObjects(distribution, COUNT, { idPrefix: 'cus_sched', object: 'customer', fields }), account);
  }
  return account;
}

for (const distribution of CREATED_DISTRIBUTIONS) {
  test(`${distribution}: every customer once, requests within 1.25 × the minimum + 20`, async (t) => {
    const account = load(distribution);
    const stripe = virtualStripe({ latencyMs: () => LATENCY_MS });
    const db = e2e.connectWith({ accountId: account, maxRequestsPerSecond: BUDGET, fetch: stripe.fetch, budgets: stripe.budgets });
    t.after(() => db.close());
    e2e.emulator.clearLog();
    const { rows } = await stripe.run(db.query('SELECT COUNT(*) AS n, COUNT(DISTINCT Id) AS ids FROM Customers'));
    assert.deepEqual(rows, [{ n: COUNT, ids: COUNT }]);
    const log = e2e.emulator.requestLog.filter((r) => r.account === account);
    assert.equal(log.length, e2e.emulator.requestLog.length, 'every request for the account');
    assert.ok(log.length <= 1.25 * MINIMUM + 20, `${log.length} requests, minimum ${MINIMUM}`);
    assert.ok(log.some((r) => /created\[(gte|lt)\]/.test(decodeURIComponent(r.query ?? ''))), 'read in windows');
    assert.ok(log.every((r) => /(^|&)limit=100(&|$)/.test(r.query ?? '')), 'no probes');
    assert.ok(stripe.peakInFlight > 1, `windows overlapped (peak ${stripe.peakInFlight})`);
    // Five pages one after another, then windows: sooner than the 30 pages one by one (4.5 s).
    t.diagnostic(`${stripe.clock.now()} ms of fake time, ${log.length} requests, at most ${stripe.peakInFlight} in flight`);
    assert.ok(stripe.clock.now() < MINIMUM * LATENCY_MS, `${stripe.clock.now()} ms of fake time`);
  });
}

test('a LIMIT met while windows are in flight aborts them, and nothing more is asked', async (t) => {
  const account = load('uniform');
  const signals: AbortSignal[] = [];
  let started = 0;
  const stripe = virtualStripe({ latencyMs: () => LATENCY_MS });
  const watching: typeof fetch = (input, init) => {
    started++;
    if (init?.signal) signals.push(init.signal);
    return stripe.fetch(input, init);
  };
  const db = e2e.connectWith({ accountId: account, maxRequestsPerSecond: BUDGET, fetch: watching, budgets: stripe.budgets });
  t.after(() => db.close());
  // LOWER() is evaluated here, so the read is a full unordered one, stopped by the LIMIT.
  // The customer sits on the first page after the sequential start: windows are in flight by then.
  const { rows } = await stripe.run(db.query("SELECT Id FROM Customers WHERE LOWER(Email) = 'uniform550@x.test' LIMIT 1"));
  assert.deepEqual(rows, [{ Id: 'cus_sched000550' }]);
  const sentByThen = started;
  assert.ok(sentByThen < MINIMUM, `stopped early: ${sentByThen} requests`);
  assert.ok(signals.some((signal) => signal.aborted), 'the windows in flight were aborted');
  await stripe.settle();
  assert.equal(stripe.inFlight, 0, 'the answers held for the aborted windows were dropped');
  assert.equal(stripe.clock.nextDue(), undefined, 'nothing left waiting on the clock');
  assert.equal(started, sentByThen, 'no request after the scan stopped');
});
