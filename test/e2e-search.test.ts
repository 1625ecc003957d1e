// Search pushdown against the emulator: what the list cannot filter goes to Stripe's search in a
// few requests, the rows are always checked again, and the answer is always the one a full list
// read gives (UseSearch=never).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Connection } from '../src/index.js';
import { DEMO_API_KEY } from '../emulator/index.js';
import { useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();
const COUNT = 10_000;

let loaded = false;
/** 10,000 customers: every 80th at acme.com, every 250th gold (some of those at acme.com too). */
function loadCustomers(): void {
  if (loaded) return;
  loaded = true;
  const now = Math.floor(Date.UTC(2026, 0, 1) / 1000);
  e2e.emulator.putObjects(Array.from({ length: COUNT }, (_, i) => ({
    id: `cus_srch${String(i).padStart(5, '0')}`,
    object: 'customer',
    created: now - i * 37,
    email: i % 80 === 0 ? `buyer${i}@acme.com` : `person${i}@example.com`,
    name: `Person ${i}`,
    livemode: false,
    metadata: i % 250 === 0 ? { tier: 'gold', since: String(2020 + ((i / 250) % 5)) } : i % 7 === 0 ? { tier: 'silver' } : {},
  })));
}

let listing: Connection | undefined;
/** A connection that never searches: the answer to compare with. */
function lister(): Connection {
  listing ??= e2e.connectWith({ useSearch: 'never' });
  return listing;
}

interface Run {
  ids: string[];
  requests: { path: string; query: string }[];
}

async function run(db: Connection, sql: string): Promise<Run> {
  e2e.emulator.clearLog();
  const { rows } = await db.query(sql);
  const requests = e2e.emulator.requestLog.map((r) => ({ path: r.path, query: new URLSearchParams(r.query).get('query') ?? '' }));
  return { ids: rows.map((r) => String(r.Id)).sort(), requests };
}

/** Runs `sql` with search and with lists only: same rows; returns the searched run. */
async function searchedLikeListed(sql: string): Promise<Run> {
  loadCustomers();
  const searched = await run(e2e.db, sql);
  const listed = await run(lister(), sql);
  assert.deepEqual(searched.ids, listed.ids, sql);
  assert.ok(searched.requests.every((r) => r.path.endsWith('/search')), `${sql} searches`);
  assert.ok(listed.requests.every((r) => !r.path.endsWith('/search')), 'UseSearch=never lists');
  return searched;
}

test("Email LIKE '%@acme.com' over 10,000 customers: search, at most 3 requests, the rows a full list read gives", async () => {
  const { ids, requests } = await searchedLikeListed("SELECT Id FROM Customers WHERE Email LIKE '%@acme.com'");
  assert.equal(ids.length, COUNT / 80);
  assert.ok(requests.length <= 3, `${requests.length} requests`);
  assert.ok((await run(lister(), "SELECT Id FROM Customers WHERE Email LIKE '%@acme.com'")).requests.length >= COUNT / 100);
  assert.deepEqual([...new Set(requests.map((r) => `${r.path} ${r.query}`))], ["/v1/customers/search email~'@acme.com'"]);
});

test('a Metadata member (->> and JSON_EXTRACT) is a metadata search', async () => {
  for (const where of ["Metadata->>'tier' = 'gold'", "JSON_EXTRACT(Metadata, '$.tier') = 'gold'"]) {
    const { ids, requests } = await searchedLikeListed(`SELECT Id FROM Customers WHERE ${where}`);
    assert.equal(ids.length, COUNT / 250);
    assert.deepEqual(requests, [{ path: '/v1/customers/search', query: "metadata['tier']:'gold'" }]);
  }
  // Two members ANDed, one of them an IN: each narrows, the engine checks both.
  const both = await searchedLikeListed("SELECT Id FROM Customers WHERE Metadata->>'tier' = 'gold' AND Metadata->>'since' IN ('2020')");
  assert.equal(both.ids.length, COUNT / 250 / 5);
  assert.deepEqual(both.requests.map((r) => r.query), ["metadata['tier']:'gold' AND metadata['since']:'2020'"]);
});

test('an OR becomes one search of ORed clauses', async () => {
  const { ids, requests } = await searchedLikeListed("SELECT Id FROM Customers WHERE Email LIKE '%@acme.com' OR Metadata->>'tier' = 'gold'");
  assert.equal(ids.length, COUNT / 80 + COUNT / 250 - COUNT / 2000);
  assert.deepEqual([...new Set(requests.map((r) => r.query))], ["email~'@acme.com' OR metadata['tier']:'gold'"]);
  assert.ok(requests.length <= 3);
});

test('an IN list of 25 values: 3 searches of at most 10 values, never a request per value', async () => {
  const emails = Array.from({ length: 25 }, (_, i) => `person${i * 13 + 1}@example.com`);
  const sql = `SELECT Id FROM Customers WHERE Email IN (${emails.map((e) => `'${e}'`).join(', ')})`;
  const { ids, requests } = await searchedLikeListed(sql);
  assert.equal(ids.length, 25);
  assert.equal(requests.length, 3);
  assert.deepEqual(requests.map((r) => r.query.split(' OR ').length).sort(), [10, 10, 5]);
  // Without search the list takes each email: a request per value.
  assert.equal((await run(lister(), sql)).requests.length, 25);
});

test('search matches loosely; the engine keeps only the rows the SQL keeps, each once', async () => {
  loadCustomers();
  // Stripe matches text ignoring case; SQL does not.
  const lower = await run(e2e.db, "SELECT Id FROM Customers WHERE Name IN ('person 1', 'Person 2')");
  assert.deepEqual(lower.ids, ['cus_srch00002']);
  assert.deepEqual(lower.requests.map((r) => r.query), ["name:'person 1' OR name:'Person 2'"]);
  // The same customer found by two searches (its name in two batches of the IN) is one row.
  const names = ['Person 3', ...Array.from({ length: 10 }, (_, i) => `Nobody ${i}`), 'PERSON 3'];
  const twice = await run(e2e.db, `SELECT Id FROM Customers WHERE Name IN (${names.map((n) => `'${n}'`).join(', ')})`);
  assert.equal(twice.requests.length, 2);
  assert.deepEqual(twice.ids, ['cus_srch00003']);
});

test('the list keeps what it filters exactly: email =, a created range alone, Id', async () => {
  loadCustomers();
  const byEmail = await run(e2e.db, "SELECT Id FROM Customers WHERE Email = 'buyer80@acme.com' AND Metadata->>'tier' = 'x'");
  assert.deepEqual(byEmail.requests, [{ path: '/v1/customers', query: '' }]);
  const created = await run(e2e.db, "SELECT Id FROM Customers WHERE Created >= '2025-12-31T23:00:00Z'");
  assert.ok(created.requests.every((r) => r.path === '/v1/customers'));
  // A range next to a LIKE joins the search.
  const both = await searchedLikeListed("SELECT Id FROM Customers WHERE Created >= '2025-12-31T23:00:00Z' AND Email LIKE '%@acme%'");
  assert.deepEqual(both.requests.map((r) => r.query), [`email~'@acme' AND created>=${Date.UTC(2025, 11, 31, 23) / 1000}`]);
});

test('Charges: ranges, negation and status through search, the same rows as the list', async () => {
  const { ids, requests } = await searchedLikeListed("SELECT Id FROM Charges WHERE Status = 'succeeded' AND Amount > 1500 AND Amount <> 2000");
  assert.ok(ids.length > 0);
  assert.deepEqual([...new Set(requests.map((r) => r.query))], ["status:'succeeded' AND amount>1500 AND -amount:2000"]);
});

test('Stripe refusing the search (403, as for a restricted key) reads the list instead: the same rows', async () => {
  loadCustomers();
  const sql = "SELECT Id FROM Customers WHERE Email LIKE '%@acme.com'";
  e2e.emulator.injectFaults({ count: 1, status: 403, pathPrefix: '/v1/customers/search' });
  const refused = await run(e2e.db, sql);
  assert.equal(refused.ids.length, COUNT / 80);
  assert.equal(refused.requests[0]!.path, '/v1/customers/search');
  assert.ok(refused.requests.slice(1).every((r) => r.path === '/v1/customers'), 'then the list');
  assert.ok(refused.requests.length > 100);
  // Other failures are the query's.
  e2e.emulator.injectFaults({ count: 10, status: 401, pathPrefix: '/v1/customers/search' });
  await assert.rejects(e2e.db.query(sql), { name: 'StripeApiError', status: 401 });
  e2e.emulator.clearFaults();
});

test('UseSearch=never lists; EXPLAIN shows the search query', async () => {
  loadCustomers();
  const sql = "SELECT Id FROM Customers WHERE Email LIKE '%@acme.com'";
  const never = e2e.connectWith({});
  const fromString = connect(`AuthScheme=APIKey;LiveAPIKey=${DEMO_API_KEY};BaseUrl=${e2e.emulator.url};UseSearch=never`);
  try {
    assert.ok(never.explain(sql).some((line) => line.includes("GET /v1/customers/search?query=email~'@acme.com'&limit=100")), never.explain(sql).join('\n'));
    const plan = fromString.explain(sql).join('\n');
    assert.match(plan, /GET \/v1\/customers\?limit=100/);
    assert.doesNotMatch(plan, /search/);
  } finally {
    await never.close();
    await fromString.close();
  }
});

test('the last connection closes', async () => {
  await listing?.close();
});
