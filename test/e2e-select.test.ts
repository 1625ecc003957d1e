// SQL in, the exact Stripe requests out, and the rows that come back: CheckoutSession through
// the whole stack (parser → engine → catalog → transport → emulator).
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { CONNECTED_ACCOUNT } from '../emulator/index.js';
import { useEmulator, requestLines, ids, type StripeObject } from './e2e-helpers.js';

const e2e = useEmulator();
const LIST = '/v1/checkout/sessions';

beforeEach(() => e2e.emulator.clearLog());

function sessions(account?: string): StripeObject[] {
  return e2e.emulator.objects('checkout.session', account);
}

/** The first seeded session that has a value at `field`, and that value. */
function sample(field: (s: StripeObject) => unknown): [StripeObject, string] {
  const session = sessions().find((s) => typeof field(s) === 'string');
  assert.ok(session, 'the seed has such a session');
  return [session, field(session) as string];
}

async function selectIds(where: string): Promise<string[]> {
  const { rows } = await e2e.db.query(`SELECT Id FROM CheckoutSession WHERE ${where}`);
  return rows.map((r) => String(r.Id));
}

test('Id = is one retrieve, and the row comes back mapped', async () => {
  const [session] = sample((s) => s.payment_intent);
  const { rows } = await e2e.db.query(
    `SELECT Id, Status, AmountTotal, CustomerId, PaymentIntentId, Created, Livemode FROM CheckoutSession WHERE Id = '${session.id}'`,
  );
  assert.deepEqual(rows, [
    {
      Id: session.id,
      Status: session.status,
      AmountTotal: session.amount_total,
      CustomerId: session.customer,
      PaymentIntentId: session.payment_intent,
      Created: new Date(Number(session.created) * 1000),
      Livemode: false,
    },
  ]);
  assert.deepEqual(requestLines(e2e.emulator.requestLog), [`GET ${LIST}/${session.id}`]);
});

test('Id = a missing session returns zero rows, not an error', async () => {
  assert.deepEqual(await selectIds(`Id = 'cs_test_missing'`), []);
  assert.deepEqual(requestLines(e2e.emulator.requestLog), [`GET ${LIST}/cs_test_missing`]);
  assert.equal(e2e.emulator.requestLog[0]!.status, 404);
});

const equalityFilters: [column: string, field: (s: StripeObject) => unknown, param: string][] = [
  ['CustomerId', (s) => s.customer, 'customer'],
  ['CustomerDetailsEmail', (s) => (s.customer_details as StripeObject | null)?.email, 'customer_details[email]'],
  ['PaymentIntentId', (s) => s.payment_intent, 'payment_intent'],
  ['PaymentLinkId', (s) => s.payment_link, 'payment_link'],
  ['SubscriptionId', (s) => s.subscription, 'subscription'],
  ['Status', (s) => s.status, 'status'],
];

for (const [column, field, param] of equalityFilters) {
  test(`${column} = is pushed down as ${param}=`, async () => {
    const [, value] = sample(field);
    const expected = ids(sessions().filter((s) => field(s) === value));
    assert.ok(expected.length > 0);
    assert.deepEqual(await selectIds(`${column} = '${value}'`), expected);
    const pages = Math.ceil(expected.length / 100);
    const lines = requestLines(e2e.emulator.requestLog);
    assert.equal(lines.length, pages);
    assert.equal(lines[0], `GET ${LIST}?${param}=${encodeURIComponent(value)}&limit=100`);
  });
}

test('CustomerDetailsEmail is percent-encoded in the query string', async () => {
  const [, email] = sample((s) => (s.customer_details as StripeObject | null)?.email);
  assert.match(email, /@/);
  await selectIds(`CustomerDetailsEmail = '${email}'`);
  assert.equal(requestLines(e2e.emulator.requestLog)[0], `GET ${LIST}?customer_details[email]=${email.replace('@', '%40')}&limit=100`);
});

test('AccountId = is the Stripe-Account header, and the pseudo-column reads back', async () => {
  const expected = ids(sessions(CONNECTED_ACCOUNT));
  const { rows } = await e2e.db.query(`SELECT Id, AccountId FROM CheckoutSession WHERE AccountId = '${CONNECTED_ACCOUNT}'`);
  assert.deepEqual(rows, expected.map((Id) => ({ Id, AccountId: CONNECTED_ACCOUNT })));
  const [request] = e2e.emulator.requestLog;
  assert.equal(e2e.emulator.requestLog.length, 1);
  assert.equal(`${request!.path}?${request!.query}`, `${LIST}?limit=100`);
  assert.equal(request!.headers['stripe-account'], CONNECTED_ACCOUNT);
});

test('a connection-level AccountId applies to every request', async () => {
  const db = e2e.connectWith({ accountId: CONNECTED_ACCOUNT });
  try {
    const { rowCount } = await db.query('SELECT Id FROM CheckoutSession');
    assert.equal(rowCount, sessions(CONNECTED_ACCOUNT).length);
    assert.ok(e2e.emulator.requestLog.every((r) => r.headers['stripe-account'] === CONNECTED_ACCOUNT));
  } finally {
    await db.close();
  }
});

test('Created comparisons become created[gt|gte|lt|lte] in Unix seconds', async () => {
  const cases: [string, string, (t: number) => boolean][] = [
    [`Created >= '2024-06-01'`, 'created[gte]=1717200000', (t) => t >= 1717200000],
    [`Created > '2024-06-01 00:00:00'`, 'created[gt]=1717200000', (t) => t > 1717200000],
    [`Created < '2024-01-15'`, 'created[lt]=1705276800', (t) => t < 1705276800],
    [`Created <= '2024-01-15 12:30:00'`, 'created[lte]=1705321800', (t) => t <= 1705321800],
  ];
  for (const [where, param, keep] of cases) {
    e2e.emulator.clearLog();
    assert.deepEqual(await selectIds(where), ids(sessions().filter((s) => keep(Number(s.created)))), where);
    assert.equal(requestLines(e2e.emulator.requestLog)[0], `GET ${LIST}?${param}&limit=100`, where);
  }
  e2e.emulator.clearLog();
  await selectIds(`Created >= '2024-03-01' AND Created < '2024-04-01'`);
  assert.equal(requestLines(e2e.emulator.requestLog)[0], `GET ${LIST}?created[gte]=1709251200&created[lt]=1711929600&limit=100`);
});

test('Created = an exact second is pushed as created=', async () => {
  const [session] = sessions();
  const created = Number(session!.created);
  const when = new Date(created * 1000).toISOString().replace('T', ' ').replace('.000Z', '');
  const expected = ids(sessions().filter((s) => Number(s.created) === created));
  assert.deepEqual(await selectIds(`Created = '${when}'`), expected);
  assert.match(requestLines(e2e.emulator.requestLog)[0]!, new RegExp(`created(\\[gte\\]=${created}&created\\[lte\\]=${created}|=${created})&limit=100$`));
});

test('what Stripe cannot filter is evaluated on the returned rows', async () => {
  const expected = ids(sessions().filter((s) => s.status === 'complete' && Number(s.amount_total) > 5000));
  assert.ok(expected.length > 0);
  assert.deepEqual(await selectIds(`Status = 'complete' AND AmountTotal > 5000`), expected);
  const lines = requestLines(e2e.emulator.requestLog);
  assert.equal(lines[0], `GET ${LIST}?status=complete&limit=100`);
  assert.ok(lines.every((l) => !l.includes('amount')));
});

test('LIKE, OR across columns and functions stay client-side; the scan pages through everything', async () => {
  const expected = ids(sessions().filter((s) => s.mode === 'subscription' || String(s.currency) === 'eur'));
  assert.deepEqual(await selectIds(`Mode = 'subscription' OR Currency = 'eur'`), expected);
  const total = sessions().length;
  assert.equal(e2e.emulator.requestLog.length, Math.ceil(total / 100));
});

test('a full scan pages with starting_after and returns every session once, newest first', async () => {
  const expected = ids(sessions());
  assert.ok(expected.length >= 300);
  const got = await e2e.db.query('SELECT Id FROM CheckoutSession');
  assert.deepEqual(got.rows.map((r) => r.Id), expected);
  const lines = requestLines(e2e.emulator.requestLog);
  const pages = Math.ceil(expected.length / 100);
  assert.deepEqual(lines, [
    `GET ${LIST}?limit=100`,
    ...Array.from({ length: pages - 1 }, (_, i) => `GET ${LIST}?limit=100&starting_after=${expected[(i + 1) * 100 - 1]}`),
  ]);
});

test('LIMIT with nothing left to evaluate asks for just that many and stops paging', async () => {
  assert.deepEqual(await selectIds(`Status = 'open' ORDER BY Created DESC LIMIT 5`), ids(sessions().filter((s) => s.status === 'open').slice(0, 5)));
  assert.deepEqual(requestLines(e2e.emulator.requestLog), [`GET ${LIST}?status=open&limit=5`]);

  e2e.emulator.clearLog();
  const { rows } = await e2e.db.query('SELECT Id FROM CheckoutSession LIMIT 150');
  assert.deepEqual(rows.map((r) => r.Id), ids(sessions().slice(0, 150)));
  assert.equal(e2e.emulator.requestLog.length, 2);
});

test('LIMIT above a residual filter still stops paging once it has its rows', async () => {
  const expected = ids(sessions().filter((s) => Number(s.amount_total) > 5000)).slice(0, 3);
  assert.deepEqual(await selectIds(`AmountTotal > 5000 LIMIT 3`), expected);
  assert.deepEqual(requestLines(e2e.emulator.requestLog), [`GET ${LIST}?limit=100`]);
});

test('a contradiction makes no request at all', async () => {
  assert.deepEqual(await selectIds(`Status = 'open' AND Status = 'expired'`), []);
  assert.deepEqual(await selectIds(`Created > '2024-05-01' AND Created < '2024-04-01'`), []);
  assert.deepEqual(e2e.emulator.requestLog, []);
});

test('parameters are bound before planning, so they push down like literals', async () => {
  const [, customer] = sample((s) => s.customer);
  const { rows } = await e2e.db.query('SELECT Id FROM CheckoutSession WHERE CustomerId = ? AND Status = @status', {
    0: customer,
    status: 'complete',
  } as never);
  const expected = ids(sessions().filter((s) => s.customer === customer && s.status === 'complete'));
  assert.deepEqual(rows.map((r) => r.Id), expected);
  assert.equal(requestLines(e2e.emulator.requestLog)[0], `GET ${LIST}?customer=${customer}&status=complete&limit=100`);

  e2e.emulator.clearLog();
  const positional = await e2e.db.query('SELECT Id FROM CheckoutSession WHERE CustomerId = ?', [customer]);
  assert.deepEqual(positional.rows.map((r) => r.Id), ids(sessions().filter((s) => s.customer === customer)));
  assert.equal(requestLines(e2e.emulator.requestLog)[0], `GET ${LIST}?customer=${customer}&limit=100`);
});

test('SELECT * returns the 68 seed columns in order, without the AccountId pseudo-column', async () => {
  const [session] = sessions();
  const { columns, rows } = await e2e.db.query(`SELECT * FROM CheckoutSession WHERE Id = '${session!.id}'`);
  assert.equal(columns.length, 68);
  assert.equal(columns[0]!.name, 'Id');
  assert.equal(columns[67]!.name, 'RedirectOnCompletion');
  assert.ok(!columns.some((c) => c.name === 'AccountId'));
  assert.deepEqual(Object.keys(rows[0]!), columns.map((c) => c.name));
  // SELECT * includes LineItemsAggregate, so the line items are expanded in the same request.
  assert.deepEqual(requestLines(e2e.emulator.requestLog), [`GET ${LIST}/${session!.id}?expand[0]=line_items`]);
  const items = JSON.parse(String(rows[0]!.LineItemsAggregate));
  assert.ok(Array.isArray(items) && items.length > 0 && items[0].object === 'item');
});

test('LineItemsAggregate is expanded on lists only when the query needs it', async () => {
  await e2e.db.query(`SELECT Id, LineItemsAggregate FROM CheckoutSession WHERE Status = 'open'`);
  assert.equal(requestLines(e2e.emulator.requestLog)[0], `GET ${LIST}?status=open&limit=100&expand[0]=data.line_items`);
  e2e.emulator.clearLog();
  await e2e.db.query(`SELECT Id FROM CheckoutSession WHERE Status = 'open'`);
  assert.equal(requestLines(e2e.emulator.requestLog)[0], `GET ${LIST}?status=open&limit=100`);
});

test('stream() yields rows as pages arrive; stopping early stops the paging', async () => {
  const seen: string[] = [];
  for await (const row of e2e.db.stream('SELECT Id FROM CheckoutSession')) {
    seen.push(String(row.Id));
    if (seen.length === 3) break;
  }
  assert.deepEqual(seen, ids(sessions().slice(0, 3)));
  assert.deepEqual(requestLines(e2e.emulator.requestLog), [`GET ${LIST}?limit=100`]);
});

test('every request carries the pinned API version and Bearer auth', async () => {
  await selectIds(`Status = 'open'`);
  for (const request of e2e.emulator.requestLog) {
    assert.equal(request.headers['stripe-version'], '2024-04-10');
    assert.match(request.headers.authorization!, /^Bearer sk_test_/);
  }
});
