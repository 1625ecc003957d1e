// Full reads through SQL against the emulator, with 3,000 customers in each `created`
// distribution (emulator/created-distribution.ts), each in its own connected account, and a
// latency set with the emulator's knob so that windows overlap: every row exactly once, the
// requests counted in the emulator's log within 1.25 × the minimum + 20, and a LIMIT that stops
// the read aborts the windows still in flight.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bulkObjects, CREATED_DISTRIBUTIONS, type CreatedDistribution } from '../emulator/created-distribution.js';
import { useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();
const COUNT = 3_000;
const MINIMUM = COUNT / 100;
const LATENCY_MS = 5;

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
    const db = e2e.connectWith({ accountId: account });
    e2e.emulator.setLatency(LATENCY_MS);
    t.after(async () => {
      e2e.emulator.setLatency(0);
      await db.close();
    });
    e2e.emulator.clearLog();
    const { rows } = await db.query('SELECT COUNT(*) AS n, COUNT(DISTINCT Id) AS ids FROM Customers');
    assert.deepEqual(rows, [{ n: COUNT, ids: COUNT }]);
    const log = e2e.emulator.requestLog.filter((r) => r.account === account);
    assert.equal(log.length, e2e.emulator.requestLog.length, 'every request for the account');
    assert.ok(log.length <= 1.25 * MINIMUM + 20, `${log.length} requests, minimum ${MINIMUM}`);
    assert.ok(log.some((r) => /created\[(gte|lt)\]/.test(decodeURIComponent(r.query ?? ''))), 'read in windows');
    assert.ok(log.every((r) => /(^|&)limit=100(&|$)/.test(r.query ?? '')), 'no probes');
  });
}

test('a LIMIT met while windows are in flight aborts them, and nothing more is asked', async (t) => {
  const account = load('uniform');
  const signals: AbortSignal[] = [];
  let started = 0;
  const watching: typeof fetch = (input, init) => {
    started++;
    if (init?.signal) signals.push(init.signal);
    return fetch(input, init);
  };
  const db = e2e.connectWith({ accountId: account, fetch: watching });
  e2e.emulator.setLatency(LATENCY_MS);
  t.after(async () => {
    e2e.emulator.setLatency(0);
    await db.close();
  });
  // LOWER() is evaluated here, so the read is a full unordered one, stopped by the LIMIT.
  // The customer sits on the first page after the sequential start: windows are in flight by then.
  const { rows } = await db.query("SELECT Id FROM Customers WHERE LOWER(Email) = 'uniform550@x.test' LIMIT 1");
  assert.deepEqual(rows, [{ Id: 'cus_sched000550' }]);
  const sentByThen = started;
  assert.ok(sentByThen < MINIMUM, `stopped early: ${sentByThen} requests`);
  assert.ok(signals.some((signal) => signal.aborted), 'the windows in flight were aborted');
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(started, sentByThen, 'no request after the scan stopped');
});
