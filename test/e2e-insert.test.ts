// INSERT INTO CheckoutSession through the whole stack: the exact create request, the rules
// checked before anything is sent, and exactly-once creation when responses are lost.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { SqlError, StripeApiError } from '../src/index.js';
import { CONNECTED_ACCOUNT } from '../emulator/index.js';
import { useEmulator, requestLines } from './e2e-helpers.js';

const e2e = useEmulator();
const CREATE = 'POST /v1/checkout/sessions';

beforeEach(() => e2e.emulator.clearLog());

function sessionCount(account?: string): number {
  return e2e.emulator.objects('checkout.session', account).length;
}

test("the seed's first INSERT works exactly as written, \\\" and all", async () => {
  const before = sessionCount();
  const result = await e2e.db.execute(
    `INSERT INTO CheckoutSession (Mode, SuccessUrl,LineItemsAggregate) VALUES ('payment', 'https://example.com/success','[{\\"price\\":\\"price_1OPuMb2eZvKYlo2CVkxTmqYN\\",\\"quantity\\":\\"23\\"}]')`,
  );
  const [request] = e2e.emulator.requestLog;
  assert.equal(e2e.emulator.requestLog.length, 1);
  assert.equal(`${request!.method} ${request!.path}`, CREATE);
  assert.equal(
    request!.body,
    'mode=payment&success_url=https%3A%2F%2Fexample.com%2Fsuccess&line_items[0][price]=price_1OPuMb2eZvKYlo2CVkxTmqYN&line_items[0][quantity]=23',
  );
  assert.equal(request!.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.match(request!.headers['idempotency-key'] ?? '', /^[0-9a-f-]{36}$/);
  assert.equal(request!.status, 200);
  assert.equal(result.rowsAffected, 1);
  assert.match(result.lastInsertId ?? '', /^cs_test_/);
  assert.equal(sessionCount(), before + 1);

  const { rows } = await e2e.db.query(`SELECT Mode, Status, AmountTotal, LineItemsAggregate FROM CheckoutSession WHERE Id = ?`, [result.lastInsertId]);
  assert.equal(rows[0]!.Mode, 'payment');
  assert.equal(rows[0]!.Status, 'open');
  const items = JSON.parse(String(rows[0]!.LineItemsAggregate));
  assert.equal(items[0].price.id, 'price_1OPuMb2eZvKYlo2CVkxTmqYN');
  assert.equal(items[0].quantity, 23);
});

test("the seed's second INSERT (setup mode) sends its four parameters", async () => {
  const result = await e2e.db.query(
    `INSERT INTO CheckoutSession (Mode, SuccessUrl, Currency, CustomerId) VALUES ('setup', 'https://example.com/success', 'usd', 'cus_N8rO0qc7j1SJJ9')`,
  );
  assert.equal(result.rowsAffected, 1);
  assert.deepEqual(result.rows, []);
  assert.equal(e2e.emulator.requestLog[0]!.body, 'mode=setup&success_url=https%3A%2F%2Fexample.com%2Fsuccess&currency=usd&customer=cus_N8rO0qc7j1SJJ9');
  const created = e2e.emulator.objects('checkout.session').find((s) => s.id === result.lastInsertId);
  assert.equal(created?.customer, 'cus_N8rO0qc7j1SJJ9');
  assert.equal(created?.mode, 'setup');
});

test('nested, boolean, datetime and metadata values become bracketed parameters', async () => {
  const expires = Math.floor(Date.now() / 1000) + 3 * 3600;
  await e2e.db.execute(
    `INSERT INTO CheckoutSession (Mode, SuccessUrl, AutomaticTaxEnabled, ExpiresAt, Metadata, PaymentMethodTypes, CustomTextSubmitMessage, LineItemsAggregate)
     VALUES ('payment', 'https://example.com/ok', TRUE, ?, '{"order":"42"}', '["card"]', 'Thanks & bye', '[{"price":"price_1OPuMb2eZvKYlo2CVkxTmqYN","quantity":1}]')`,
    [new Date(expires * 1000)],
  );
  assert.equal(
    e2e.emulator.requestLog[0]!.body,
    `mode=payment&success_url=https%3A%2F%2Fexample.com%2Fok&automatic_tax[enabled]=true&expires_at=${expires}` +
      `&metadata[order]=42&payment_method_types[0]=card&custom_text[submit][message]=Thanks%20%26%20bye` +
      `&line_items[0][price]=price_1OPuMb2eZvKYlo2CVkxTmqYN&line_items[0][quantity]=1`,
  );
  assert.equal(e2e.emulator.requestLog[0]!.status, 200);
});

test('AccountId in an INSERT creates the session on that connected account', async () => {
  const before = sessionCount(CONNECTED_ACCOUNT);
  const { lastInsertId } = await e2e.db.execute(
    `INSERT INTO CheckoutSession (Mode, SuccessUrl, Currency, AccountId) VALUES ('setup', 'https://example.com/s', 'usd', '${CONNECTED_ACCOUNT}')`,
  );
  assert.equal(e2e.emulator.requestLog[0]!.headers['stripe-account'], CONNECTED_ACCOUNT);
  assert.equal(e2e.emulator.requestLog[0]!.body, 'mode=setup&success_url=https%3A%2F%2Fexample.com%2Fs&currency=usd');
  assert.equal(sessionCount(CONNECTED_ACCOUNT), before + 1);
  assert.ok(e2e.emulator.objects('checkout.session', CONNECTED_ACCOUNT).some((s) => s.id === lastInsertId));
});

const rejected: [what: string, sql: string, message: RegExp][] = [
  ['missing Mode', `INSERT INTO CheckoutSession (SuccessUrl) VALUES ('https://x.test')`, /Mode/],
  ['missing SuccessUrl', `INSERT INTO CheckoutSession (Mode, Currency) VALUES ('setup', 'usd')`, /SuccessUrl/],
  ['payment without line items', `INSERT INTO CheckoutSession (Mode, SuccessUrl) VALUES ('payment', 'https://x.test')`, /LineItemsAggregate/],
  ['subscription without line items', `INSERT INTO CheckoutSession (Mode, SuccessUrl) VALUES ('subscription', 'https://x.test')`, /LineItemsAggregate/],
  ['a read-only column', `INSERT INTO CheckoutSession (Mode, SuccessUrl, Status) VALUES ('setup', 'https://x.test', 'open')`, /Status/],
  ['an unknown column', `INSERT INTO CheckoutSession (Mode, SuccessUrl, Colour) VALUES ('setup', 'https://x.test', 'red')`, /Colour/],
  ['a value of the wrong type', `INSERT INTO CheckoutSession (Mode, SuccessUrl, AllowPromotionCodes) VALUES ('setup', 'https://x.test', 'maybe')`, /AllowPromotionCodes/],
  ['a bad Datetime', `INSERT INTO CheckoutSession (Mode, SuccessUrl, ExpiresAt) VALUES ('setup', 'https://x.test', 'next week')`, /ExpiresAt/],
  ['invalid JSON', `INSERT INTO CheckoutSession (Mode, SuccessUrl, LineItemsAggregate) VALUES ('payment', 'https://x.test', '[{"price": }]')`, /LineItemsAggregate/],
  ['JSON of the wrong shape', `INSERT INTO CheckoutSession (Mode, SuccessUrl, Metadata) VALUES ('setup', 'https://x.test', '[1,2]')`, /Metadata/],
  ['a column the create endpoint does not take', `INSERT INTO CheckoutSession (Mode, SuccessUrl, SetupIntent) VALUES ('setup', 'https://x.test', 'seti_1')`, /SetupIntent/],
  ['too few values', `INSERT INTO CheckoutSession (Mode, SuccessUrl) VALUES ('setup')`, /value/i],
  ['a bad second row', `INSERT INTO CheckoutSession (Mode, SuccessUrl) VALUES ('setup', 'https://x.test'), ('payment', 'https://x.test')`, /LineItemsAggregate/],
];

for (const [what, sql, message] of rejected) {
  test(`INSERT with ${what} is a SqlError naming the column, and sends nothing`, async () => {
    const before = sessionCount();
    await assert.rejects(e2e.db.execute(sql), (error: unknown) => {
      assert.ok(error instanceof SqlError, `expected SqlError, got ${String(error)}`);
      assert.match(error.message, message);
      assert.ok(error.line >= 1 && error.column >= 1);
      return true;
    });
    assert.deepEqual(e2e.emulator.requestLog, []);
    assert.equal(sessionCount(), before);
  });
}

test('a retried INSERT whose first response was lost leaves exactly one session', async () => {
  const before = sessionCount();
  e2e.emulator.injectFaults({ count: 1, status: 500, afterCommit: true, method: 'POST' });
  const { lastInsertId } = await e2e.db.execute(
    `INSERT INTO CheckoutSession (Mode, SuccessUrl, Currency) VALUES ('setup', 'https://example.com/retry', 'usd')`,
  );
  const posts = e2e.emulator.requestLog.filter((r) => r.method === 'POST');
  assert.deepEqual(posts.map((r) => r.status), [500, 200]);
  assert.equal(posts[0]!.headers['idempotency-key'], posts[1]!.headers['idempotency-key']);
  assert.equal(posts[0]!.body, posts[1]!.body);
  assert.equal(sessionCount(), before + 1);
  assert.equal(e2e.emulator.objects('checkout.session').filter((s) => s.success_url === 'https://example.com/retry' && s.id === lastInsertId).length, 1);
});

test('a connection reset after the create is retried with the same key, still one session', async () => {
  const before = sessionCount();
  e2e.emulator.injectFaults({ count: 1, reset: true, afterCommit: true, method: 'POST' });
  await e2e.db.execute(`INSERT INTO CheckoutSession (Mode, SuccessUrl, Currency) VALUES ('setup', 'https://example.com/reset', 'usd')`);
  const posts = e2e.emulator.requestLog.filter((r) => r.method === 'POST');
  assert.equal(posts.length, 2);
  assert.equal(posts[0]!.headers['idempotency-key'], posts[1]!.headers['idempotency-key']);
  assert.equal(sessionCount(), before + 1);
});

test("Stripe's own rejection surfaces as a StripeApiError with its param", async () => {
  await assert.rejects(
    e2e.db.execute(`INSERT INTO CheckoutSession (Mode, SuccessUrl, Currency, CustomerId) VALUES ('setup', 'https://x.test', 'usd', 'cus_doesnotexist')`),
    (error: unknown) => error instanceof StripeApiError && error.status === 400 && /cus_doesnotexist/.test(error.message) && error.requestId !== undefined,
  );
  assert.equal(e2e.emulator.requestLog.length, 1, 'a 400 is not retried');
});

test('an idempotency key prefix makes re-running the same INSERT create nothing twice', async () => {
  const before = e2e.emulator.objects('customer').length;
  const sql = `INSERT INTO Customers (Email, Name) VALUES ('once-a@example.com', 'Once A'), ('once-b@example.com', 'Once B')`;
  const first = await e2e.db.execute(sql, undefined, { idempotencyKey: 'import-2026-11-26' });
  // The process "crashed" before it knew; the same statement runs again with the same key.
  const again = await e2e.db.execute(sql, undefined, { idempotencyKey: 'import-2026-11-26' });
  assert.equal(first.rowsAffected, 2);
  assert.equal(again.lastInsertId, first.lastInsertId);
  assert.equal(e2e.emulator.objects('customer').length, before + 2);
  const keys = e2e.emulator.requestLog.map((r) => r.headers['idempotency-key']);
  assert.deepEqual(keys, ['import-2026-11-26-0', 'import-2026-11-26-1', 'import-2026-11-26-0', 'import-2026-11-26-1']);
  assert.deepEqual(e2e.emulator.requestLog.map((r) => r.body), [
    'email=once-a%40example.com&name=Once%20A',
    'email=once-b%40example.com&name=Once%20B',
    'email=once-a%40example.com&name=Once%20A',
    'email=once-b%40example.com&name=Once%20B',
  ]);
});
