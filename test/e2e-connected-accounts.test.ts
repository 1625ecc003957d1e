// Connected accounts in one query: `AccountId IN (…)` reads each account under its own
// Stripe-Account header, several at once, and AllConnectedAccounts=true reads every connected
// account the platform lists. The request log shows the header of every request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, ConnectionError } from '../src/index.js';
import { CONNECTED_ACCOUNT, DEMO_API_KEY, type LoggedRequest } from '../emulator/index.js';
import { useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();
const SECOND = 'acct_1SecondConnected0';

let added = false;
function addSecondAccount(): void {
  if (added) return;
  added = true;
  e2e.emulator.addAccount(SECOND);
  e2e.emulator.putObjects(Array.from({ length: 3 }, (_, i) => ({
    id: `cus_second${i}`, object: 'customer', created: 1_700_000_000 + i, email: `second${i}@x.test`, livemode: false, metadata: {},
  })), SECOND);
}

/** `acct_… GET /v1/customers?limit=100` (`platform` when no Stripe-Account header was sent). */
function withAccounts(log: readonly LoggedRequest[]): string[] {
  return log.map((r) => `${r.account ?? 'platform'} ${r.method} ${r.path}${r.query ? `?${decodeURIComponent(r.query)}` : ''}`);
}

/** A fetch that records how many requests were waiting for an answer when each one went out. */
function countingFetch() {
  let inFlight = 0;
  const seen: number[] = [];
  const fetcher: typeof fetch = async (...args) => {
    seen.push(++inFlight);
    try {
      return await fetch(...args);
    } finally {
      inFlight--;
    }
  };
  return { fetcher, peak: () => Math.max(0, ...seen) };
}

test('AccountId IN (…) reads each account under its own header, at once, and every row says its account', async () => {
  addSecondAccount();
  const counting = countingFetch();
  const db = e2e.connectWith({ fetch: counting.fetcher });
  try {
    e2e.emulator.clearLog();
    const { rows } = await db.query(`SELECT Id, AccountId FROM Customers WHERE AccountId IN ('${CONNECTED_ACCOUNT}', '${SECOND}') ORDER BY Id`);
    const expected = [
      ...e2e.emulator.objects('customer', CONNECTED_ACCOUNT).map((c) => ({ Id: c.id, AccountId: CONNECTED_ACCOUNT })),
      ...e2e.emulator.objects('customer', SECOND).map((c) => ({ Id: c.id, AccountId: SECOND })),
    ].sort((a, b) => (String(a.Id) < String(b.Id) ? -1 : 1));
    assert.deepEqual(rows, expected);
    assert.equal(expected.filter((r) => r.AccountId === SECOND).length, 3);
    assert.deepEqual(withAccounts(e2e.emulator.requestLog).sort(), [
      `${CONNECTED_ACCOUNT} GET /v1/customers?limit=100`,
      `${SECOND} GET /v1/customers?limit=100`,
    ]);
    assert.equal(counting.peak(), 2, "the second account's request went out before the first one was answered");
    assert.deepEqual(e2e.emulator.requestLog.map((r) => r.headers['stripe-account']).sort(), [CONNECTED_ACCOUNT, SECOND]);
    // Each account has a budget of its own: both spent one request from theirs.
    assert.equal(db.stats.requests, 2);
  } finally {
    await db.close();
  }
});

test('AllConnectedAccounts=true: every connected account the platform lists, never the platform, AccountId on each row', async () => {
  addSecondAccount();
  const db = connect(`AuthScheme=APIKey;LiveAPIKey=${DEMO_API_KEY};BaseUrl=${e2e.emulator.url};MaxRequestsPerSecond=1000;AllConnectedAccounts=true`);
  try {
    const listed = e2e.emulator.objects('account').map((a) => String(a.id));
    assert.ok(listed.includes(CONNECTED_ACCOUNT) && listed.includes(SECOND), listed.join());
    e2e.emulator.clearLog();
    const { rows } = await db.query('SELECT AccountId, COUNT(*) AS n FROM Customers GROUP BY AccountId ORDER BY AccountId');
    const expected = listed
      .map((account) => ({ AccountId: account, n: e2e.emulator.objects('customer', account).length }))
      .filter((r) => r.n > 0)
      .sort((a, b) => (a.AccountId < b.AccountId ? -1 : 1));
    assert.deepEqual(rows, expected);
    assert.ok(rows.length >= 2);
    const log = withAccounts(e2e.emulator.requestLog);
    assert.equal(log[0], 'platform GET /v1/accounts?limit=100', 'the accounts are listed first, as the platform');
    assert.deepEqual(log.slice(1).sort(), listed.map((account) => `${account} GET /v1/customers?limit=100`).sort());

    // A second statement uses the same listing (under a minute old); AccountId = … reads only that one.
    e2e.emulator.clearLog();
    const one = await db.query(`SELECT COUNT(*) AS n FROM Customers WHERE AccountId = '${SECOND}'`);
    assert.deepEqual(one.rows, [{ n: 3 }]);
    assert.deepEqual(withAccounts(e2e.emulator.requestLog), [`${SECOND} GET /v1/customers?limit=100`]);
    e2e.emulator.clearLog();
    await db.query('SELECT COUNT(*) FROM Products');
    assert.ok(!withAccounts(e2e.emulator.requestLog).some((line) => line.includes('/v1/accounts')), 'listed once');

    // The accounts themselves are the platform's to read.
    e2e.emulator.clearLog();
    const accounts = await db.query('SELECT Id FROM Accounts');
    assert.deepEqual(accounts.rows.map((r) => r.Id).sort(), [...listed].sort());
    assert.deepEqual(withAccounts(e2e.emulator.requestLog), ['platform GET /v1/accounts?limit=100']);
  } finally {
    await db.close();
  }
});

test('EXPLAIN names the accounts a scan reads', async () => {
  const spanning = e2e.connectWith({ allConnectedAccounts: true });
  try {
    const lines = (await spanning.query('EXPLAIN SELECT Id FROM Customers')).rows.map((r) => String(r.Plan));
    assert.ok(lines.includes('  account: every connected account (GET /v1/accounts?limit=100 lists them), 8 read at once'), lines.join('\n'));
    const named = (await e2e.db.query(`EXPLAIN SELECT Id FROM Customers WHERE AccountId IN ('${CONNECTED_ACCOUNT}', '${SECOND}')`)).rows.map((r) => String(r.Plan));
    assert.ok(named.includes(`  account: ${CONNECTED_ACCOUNT}, ${SECOND}, 2 read at once`), named.join('\n'));
  } finally {
    await spanning.close();
  }
});

test('AllConnectedAccounts with AccountId is refused before any request', () => {
  assert.throws(
    () => connect(`AuthScheme=APIKey;LiveAPIKey=${DEMO_API_KEY};AccountId=${CONNECTED_ACCOUNT};AllConnectedAccounts=true`),
    (error: unknown) => error instanceof ConnectionError && /AllConnectedAccounts=true .*leave AccountId out/.test(error.message),
  );
});
