// Cancelling a multi-row write through its AbortSignal: the PartialWriteError it ends with
// accounts for every row — written (with its Id), cancelled in flight (outcome unknown: Stripe
// may have acted), or never sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, DEMO_API_KEY, type LoggedRequest } from '../emulator/index.js';
import { connect, PartialWriteError } from '../src/index.js';
import { virtualStripe } from './support/virtual-time.js';

test('an aborted INSERT reports rows written, cancelled in flight and not sent; the not sent never reached Stripe', async () => {
  const emulator = await startEmulator();
  // Each answer is held 20 ms of fake time: requests are still in flight when the 10th arrives.
  const stripe = virtualStripe({ latencyMs: () => 20 });
  const db = connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, fetch: stripe.fetch, budgets: stripe.budgets });
  try {
    const cancel = new AbortController();
    const reason = new Error('cancelled by the test');
    const log = emulator.requestLog;
    const push = log.push;
    let posts = 0;
    log.push = (...entries: LoggedRequest[]) => {
      const length = push.apply(log, entries);
      if (entries.some((e) => e.method === 'POST') && ++posts === 10) cancel.abort(reason);
      return length;
    };
    const values = Array.from({ length: 30 }, (_, i) => `('cancel-${i}@example.com')`).join(', ');
    const error = await stripe.run(db.execute(`INSERT INTO Customers (Email) VALUES ${values}`, undefined, { signal: cancel.signal })).then(
      () => assert.fail('the write should stop'),
      (e: unknown) => e,
    );
    log.push = push;
    assert.ok(error instanceof PartialWriteError);
    const rows = error.rows;
    assert.equal(rows.length, 30);
    const written = rows.filter((r) => r.ok);
    const inFlight = rows.filter((r) => !r.ok && r.outcomeUnknown);
    const notSent = rows.filter((r) => !r.ok && r.notSent);
    assert.equal(written.length + inFlight.length + notSent.length, 30);
    assert.ok(written.length >= 2, 'with 8 in flight, the 10th request starts after 2 answers');
    for (const r of inFlight) assert.equal(!r.ok && r.error, reason, 'in flight: ends with the abort reason');
    for (const r of notSent) assert.match(!r.ok ? r.error.message : '', /^not sent: the statement was cancelled$/);
    // Rows are started in order: written and in-flight rows come before the rows not sent.
    assert.ok(Math.max(...[...written, ...inFlight].map((r) => r.index)) < Math.min(...notSent.map((r) => r.index)));
    const arrived = new Set(emulator.requestLog.filter((e) => e.method === 'POST').map((e) => decodeURIComponent(/email=([^&]*)/.exec(e.body)![1]!)));
    for (const r of notSent) assert.ok(!arrived.has(`cancel-${r.index}@example.com`), `row ${r.index + 1} was not sent`);
    // And the other way: a row reported in flight did reach Stripe (one still waiting for the
    // rate budget when the cancel came is not sent, not of unknown outcome).
    for (const r of inFlight) assert.ok(arrived.has(`cancel-${r.index}@example.com`), `row ${r.index + 1} reached Stripe`);
    assert.equal(written.length + inFlight.length, arrived.size);
    const ids = new Set(emulator.objects('customer').map((c) => c.id));
    for (const r of written) assert.ok(r.ok && ids.has(r.id!), `row ${r.index + 1} exists`);
  } finally {
    await db.close();
    await emulator.close();
  }
});
