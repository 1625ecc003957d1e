import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../emulator/client.js';
import { CONNECTED_ACCOUNT, startEmulator, type Emulator } from '../emulator/index.js';
import { fakeClock, settled, type FakeClock } from './support/fake-clock.js';

const CUSTOMER_BODY = 'name=Idem%20Potent&email=idem%40example.com';

describe('emulator: idempotency', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
  });

  it('replays the first response for the same key and parameters', async () => {
    const first = await call(emulator, 'POST', '/v1/customers', { body: CUSTOMER_BODY, idempotencyKey: 'key-1' });
    const count = emulator.objects('customer').length;
    const second = await call(emulator, 'POST', '/v1/customers', { body: 'email=idem%40example.com&name=Idem+Potent', idempotencyKey: 'key-1' });
    assert.equal(second.status, 200);
    assert.deepEqual(second.json, first.json);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.equal(first.headers.get('idempotent-replayed'), null);
    assert.equal(second.headers.get('original-request'), first.headers.get('request-id'));
    assert.equal(emulator.objects('customer').length, count, 'no second customer');
  });

  it('refuses the same key with other parameters', async () => {
    await call(emulator, 'POST', '/v1/customers', { body: CUSTOMER_BODY, idempotencyKey: 'key-2' });
    const other = await call(emulator, 'POST', '/v1/customers', { body: 'name=Someone%20Else', idempotencyKey: 'key-2' });
    assert.equal(other.status, 400);
    assert.deepEqual(other.json, {
      error: {
        message:
          "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'key-2' if you meant to execute a different request.",
        type: 'idempotency_error',
      },
    });
  });

  it('scopes keys per account', async () => {
    const platform = await call(emulator, 'POST', '/v1/customers', { body: CUSTOMER_BODY, idempotencyKey: 'key-3' });
    const connected = await call(emulator, 'POST', '/v1/customers', { body: CUSTOMER_BODY, idempotencyKey: 'key-3', account: CONNECTED_ACCOUNT });
    assert.notEqual(platform.json.id, connected.json.id);
    assert.equal(connected.headers.get('idempotent-replayed'), null);
  });

  it('does not spend a key on a request whose parameters were rejected', async () => {
    const rejected = await call(emulator, 'POST', '/v1/customers', { body: 'nam=typo', idempotencyKey: 'key-4' });
    assert.equal(rejected.status, 400);
    const fixed = await call(emulator, 'POST', '/v1/customers', { body: CUSTOMER_BODY, idempotencyKey: 'key-4' });
    assert.equal(fixed.status, 200);
  });
});

describe('emulator: faults', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
  });

  it('fails the next matching requests with an injected status', async () => {
    emulator.injectFaults({ count: 2, status: 503, pathPrefix: '/v1/customers' });
    const other = await call(emulator, 'GET', '/v1/prices', { query: 'limit=1' });
    assert.equal(other.status, 200, 'other paths are untouched');
    const first = await call(emulator, 'GET', '/v1/customers');
    const second = await call(emulator, 'GET', '/v1/customers');
    const third = await call(emulator, 'GET', '/v1/customers');
    assert.deepEqual([first.status, second.status, third.status], [503, 503, 200]);
    assert.equal(first.json.error.type, 'api_error');
    assert.ok(first.headers.get('request-id'));
  });

  it('shapes injected 429 and 409 like Stripe and can send Stripe-Should-Retry', async () => {
    emulator.injectFaults({ count: 1, status: 429, pathPrefix: '/v1/prices' });
    const limited = await call(emulator, 'GET', '/v1/prices', { query: 'limit=1' });
    assert.equal(limited.status, 429);
    assert.equal(limited.json.error.code, 'rate_limit');
    assert.equal(limited.headers.get('stripe-should-retry'), null);
    emulator.injectFaults({ count: 1, status: 409, shouldRetry: true, pathPrefix: '/v1/prices' });
    const locked = await call(emulator, 'GET', '/v1/prices', { query: 'limit=1' });
    assert.equal(locked.status, 409);
    assert.equal(locked.json.error.code, 'lock_timeout');
    assert.equal(locked.headers.get('stripe-should-retry'), 'true');
  });

  it('resets the connection when asked, and logs status 0', async () => {
    emulator.clearLog();
    emulator.injectFaults({ count: 1, reset: true, method: 'GET' });
    await assert.rejects(call(emulator, 'GET', '/v1/customers'));
    assert.equal(emulator.requestLog.length, 1);
    assert.equal(emulator.requestLog[0]!.status, 0);
    const next = await call(emulator, 'GET', '/v1/customers');
    assert.equal(next.status, 200);
  });

  it('with afterCommit, the write happens and a retry with the key gets the saved result', async () => {
    const before = emulator.objects('customer').length;
    emulator.injectFaults({ count: 1, status: 500, afterCommit: true, method: 'POST' });
    const lost = await call(emulator, 'POST', '/v1/customers', { body: 'name=After%20Commit', idempotencyKey: 'commit-1' });
    assert.equal(lost.status, 500);
    assert.equal(emulator.objects('customer').length, before + 1, 'the customer exists despite the 500');
    const retry = await call(emulator, 'POST', '/v1/customers', { body: 'name=After%20Commit', idempotencyKey: 'commit-1' });
    assert.equal(retry.status, 200);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.equal(retry.json.id, emulator.objects('customer')[0]!.id);
    assert.equal(emulator.objects('customer').length, before + 1);
  });

  it('with afterCommit and reset, the connection drops after the write', async () => {
    const before = emulator.objects('customer').length;
    emulator.injectFaults({ count: 1, reset: true, afterCommit: true, pathPrefix: '/v1/customers', method: 'POST' });
    await assert.rejects(call(emulator, 'POST', '/v1/customers', { body: 'name=Dropped', idempotencyKey: 'commit-2' }));
    assert.equal(emulator.objects('customer').length, before + 1);
    const retry = await call(emulator, 'POST', '/v1/customers', { body: 'name=Dropped', idempotencyKey: 'commit-2' });
    assert.equal(retry.json.name, 'Dropped');
    assert.equal(emulator.objects('customer').length, before + 1);
  });

  it('fails a seeded fraction of requests with a probability', async () => {
    const run = async () => {
      emulator.injectFaults({ count: 1000, status: 500, probability: 0.3, seed: 7, pathPrefix: '/v1/products' });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await call(emulator, 'GET', '/v1/products', { query: 'limit=1' })).status);
      return statuses;
    };
    const first = await run();
    const failures = first.filter((s) => s === 500).length;
    assert.ok(failures >= 4 && failures <= 24, `about 30% failed, got ${failures}`);
    assert.ok(first.every((s) => s === 200 || s === 500));
    // The first rule still has budget, so a second run sees both rules; only check repeatability on a fresh emulator.
    const fresh = await startEmulator();
    try {
      fresh.injectFaults({ count: 1000, status: 500, probability: 0.3, seed: 7, pathPrefix: '/v1/products' });
      const again: number[] = [];
      for (let i = 0; i < 40; i++) again.push((await call(fresh, 'GET', '/v1/products', { query: 'limit=1' })).status);
      assert.deepEqual(again, first);
    } finally {
      await fresh.close();
    }
  });
});

describe('emulator: the rate limit, latency and delays keep its clock', () => {
  let emulator: Emulator;
  let clock: FakeClock;
  before(async () => {
    clock = fakeClock();
    emulator = await startEmulator({ seed: false, clock });
  });
  after(async () => {
    await emulator.close();
  });

  it('answers 429 with Stripe’s body and Retry-After beyond the limit, until its second has passed', async () => {
    emulator.setRateLimit(3, { retryAfterSeconds: 2 });
    try {
      const responses = await Promise.all(Array.from({ length: 5 }, () => call(emulator, 'GET', '/v1/prices', { query: 'limit=1' })));
      const statuses = responses.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
      const limited = responses.find((r) => r.status === 429)!;
      assert.deepEqual(limited.json, {
        error: {
          code: 'rate_limit',
          doc_url: 'https://stripe.com/docs/error-codes/rate-limit',
          message: 'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
          type: 'invalid_request_error',
        },
      });
      assert.equal(limited.headers.get('retry-after'), '2');
      assert.equal(emulator.requestLog.filter((r) => r.status === 429).length, 2);
      clock.advance(999);
      assert.equal((await call(emulator, 'GET', '/v1/prices', { query: 'limit=1' })).status, 429, 'the second is not over');
      clock.advance(1);
      assert.equal((await call(emulator, 'GET', '/v1/prices', { query: 'limit=1' })).status, 200, 'a new second, a new allowance');
    } finally {
      emulator.setRateLimit(null);
    }
    const after = await call(emulator, 'GET', '/v1/prices', { query: 'limit=1' });
    assert.equal(after.status, 200);
  });

  it('holds every answer for the latency set, and none once it is back to 0', async () => {
    emulator.setLatency(120);
    try {
      const answer = held(emulator, () => call(emulator, 'GET', '/v1/customers', { key: null }));
      await answer.arrived;
      assert.equal(clock.nextDue(), clock.now() + 120, 'the hold is a timer on the emulator’s clock');
      clock.advance(119);
      await settled();
      assert.equal(answer.answered(), false, 'held for the latency');
      clock.advance(1);
      assert.equal((await answer.response).status, 401);
    } finally {
      emulator.setLatency(0);
    }
    // No timer is started at latency 0: the answer comes without the clock moving.
    assert.equal((await call(emulator, 'GET', '/v1/customers', { query: 'limit=1' })).status, 200);
    assert.equal(clock.nextDue(), undefined);
  });

  it('holds a delayed fault’s answer for its delay on top of the latency, then answers it', async () => {
    emulator.setLatency(50);
    try {
      emulator.injectFaults({ count: 1, delayMs: 30_000, method: 'POST' });
      const answer = held(emulator, () => call(emulator, 'POST', '/v1/customers', { body: 'name=Late', idempotencyKey: 'late-1' }));
      await answer.arrived;
      assert.equal(emulator.objects('customer').length, 1, 'carried out at once');
      assert.equal(clock.nextDue(), clock.now() + 30_050);
      clock.advance(30_049);
      await settled();
      assert.equal(answer.answered(), false);
      clock.advance(1);
      const response = await answer.response;
      assert.equal(response.status, 200);
      assert.equal(response.json.name, 'Late');
    } finally {
      emulator.setLatency(0);
    }
  });
});

/** A request sent now: when the emulator has logged it (before it answers) and whether it has been answered. */
function held<T>(emulator: Emulator, send: () => Promise<T>): { arrived: Promise<void>; answered: () => boolean; response: Promise<T> } {
  let answered = false;
  const arrived = nextLogged(emulator);
  const response = send().then((value) => {
    answered = true;
    return value;
  });
  return { arrived, answered: () => answered, response };
}

/** Resolves when the emulator logs its next request (before it answers). */
function nextLogged(emulator: Emulator): Promise<void> {
  const log = emulator.requestLog;
  const push = log.push;
  return new Promise((resolve) => {
    log.push = function (this: typeof log, ...items) {
      log.push = push;
      const length = push.apply(this, items);
      resolve();
      return length;
    };
  });
}

describe('emulator: accounts, determinism and startup', () => {
  it('keeps objects per account', async () => {
    const emulator = await startEmulator();
    try {
      const platform = emulator.objects('checkout.session');
      const connected = emulator.objects('checkout.session', CONNECTED_ACCOUNT);
      assert.equal(connected.length, 14);
      assert.ok(connected.every((s) => !platform.some((p) => p.id === s.id)));
      const wrongAccount = await call(emulator, 'GET', `/v1/checkout/sessions/${platform[0]!.id}`, { account: CONNECTED_ACCOUNT });
      assert.equal(wrongAccount.status, 404);
      const rightAccount = await call(emulator, 'GET', `/v1/checkout/sessions/${connected[0]!.id}`, { account: CONNECTED_ACCOUNT });
      assert.equal(rightAccount.status, 200);

      emulator.addAccount('acct_1Fresh');
      const empty = await call(emulator, 'GET', '/v1/checkout/sessions', { account: 'acct_1Fresh' });
      assert.deepEqual(empty.json.data, []);
      const created = await call(emulator, 'POST', '/v1/customers', { account: 'acct_1Fresh', body: 'name=Scoped' });
      assert.equal(emulator.objects('customer', 'acct_1Fresh').length, 1);
      assert.ok(!emulator.objects('customer').some((c) => c.id === created.json.id));
      assert.equal(emulator.requestLog.at(-1)!.account, 'acct_1Fresh');
    } finally {
      await emulator.close();
    }
  });

  it('serves identical data from two emulators', async () => {
    const [a, b] = await Promise.all([startEmulator(), startEmulator()]);
    try {
      assert.notEqual(a.port, b.port);
      const [pageA, pageB] = await Promise.all([
        call(a, 'GET', '/v1/checkout/sessions', { query: 'limit=100&expand[]=data.line_items' }),
        call(b, 'GET', '/v1/checkout/sessions', { query: 'limit=100&expand[]=data.line_items' }),
      ]);
      assert.equal(pageA.json.data.length, 100);
      assert.deepEqual(pageA.json, pageB.json);
      assert.deepEqual(a.objects('customer'), b.objects('customer'));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('starts without seed data when asked', async () => {
    const emulator = await startEmulator({ seed: false });
    try {
      assert.deepEqual(emulator.objects('checkout.session'), []);
      const response = await call(emulator, 'GET', '/v1/checkout/sessions', { account: CONNECTED_ACCOUNT });
      assert.equal(response.status, 403);
    } finally {
      await emulator.close();
    }
  });
});
