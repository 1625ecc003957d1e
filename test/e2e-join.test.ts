// Joins across Stripe tables: the lookup join fetches the inner side through its pushdown, so a
// selective outer side costs a handful of requests instead of two full scans.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { useEmulator, requestLines } from './e2e-helpers.js';

const e2e = useEmulator();

beforeEach(() => e2e.emulator.clearLog());

test('customers by email joined to their sessions: one request per side', async () => {
  const customer = e2e.emulator.objects('customer').find((c) => e2e.emulator.objects('checkout.session').some((s) => s.customer === c.id))!;
  const expected = e2e.emulator.objects('checkout.session').filter((s) => s.customer === customer.id).map((s) => s.id);
  const { rows } = await e2e.db.query(
    'SELECT s.Id, c.Email FROM Customers c JOIN CheckoutSession s ON s.CustomerId = c.Id WHERE c.Email = ?',
    [customer.email],
  );
  assert.deepEqual(rows.map((r) => r.Id).sort(), [...expected].sort());
  assert.ok(rows.every((r) => r.Email === customer.email));
  assert.deepEqual(requestLines(e2e.emulator.requestLog), [
    `GET /v1/customers?email=${encodeURIComponent(String(customer.email))}&limit=100`,
    `GET /v1/checkout/sessions?customer=${customer.id}&limit=100`,
  ]);
});

test('the selective side drives even when written second: charges joined to one customer by email cost two requests', async () => {
  const customer = e2e.emulator.objects('customer').find((c) => e2e.emulator.objects('charge').some((ch) => ch.customer === c.id))!;
  const expected = e2e.emulator.objects('charge').filter((ch) => ch.customer === customer.id);
  const sql = 'SELECT ch.Id, ch.Amount, c.Email FROM Charges ch JOIN Customers c ON ch.CustomerId = c.Id WHERE c.Email = ?';
  const { rows, columns } = await e2e.db.query(sql, [customer.email]);
  // The written column order, whichever side was read first.
  assert.deepEqual(columns.map((c) => c.name), ['Id', 'Amount', 'Email']);
  assert.deepEqual(rows.map((r) => [r.Id, r.Amount, r.Email]).sort(), expected.map((ch) => [ch.id, ch.amount, customer.email]).sort());
  assert.deepEqual(requestLines(e2e.emulator.requestLog), [
    `GET /v1/customers?email=${encodeURIComponent(String(customer.email))}&limit=100`,
    `GET /v1/charges?customer=${customer.id}&limit=100`,
  ]);
  const plan = e2e.db.explain(sql, [customer.email]);
  assert.equal(plan[0], 'Join sides swapped: c drives, the other side is fetched by key');
  assert.match(plan[1]!, /^ {2}Lookup Join INNER ON c\.Id = ch\.CustomerId /);
});

test('GROUP BY over a join counts sessions per customer email, ordered', async () => {
  const sessions = e2e.emulator.objects('checkout.session');
  const customers = new Map(e2e.emulator.objects('customer').map((c) => [c.id, c.email]));
  const counts = new Map<unknown, number>();
  for (const s of sessions) if (s.customer) counts.set(customers.get(s.customer), (counts.get(customers.get(s.customer)) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]))).slice(0, 3);
  const { rows } = await e2e.db.query(
    'SELECT c.Email, COUNT(*) AS n FROM CheckoutSession s JOIN Customers c ON c.Id = s.CustomerId GROUP BY c.Email ORDER BY n DESC, c.Email LIMIT 3',
  );
  assert.deepEqual(rows.map((r) => [r.Email, r.n]), top);
  // Nothing bounds the outer side, so each table is read once and hash-joined, rather than
  // fetching customers one retrieve per key.
  const lines = requestLines(e2e.emulator.requestLog);
  assert.equal(lines.filter((l) => l.startsWith('GET /v1/checkout/sessions?')).length, Math.ceil(sessions.length / 100));
  assert.deepEqual(lines.filter((l) => l.startsWith('GET /v1/customers')), ['GET /v1/customers?limit=100']);
});

test('temporary tables live on the connection: stage Stripe ids, then join back by Id', async () => {
  const db = e2e.connectWith({});
  try {
    await db.execute('CREATE TABLE #open (Id VARCHAR)');
    const staged = await db.execute(`INSERT INTO #open SELECT Id FROM CheckoutSession WHERE Status = 'open' LIMIT 3`);
    assert.equal(staged.rowsAffected, 3);
    assert.deepEqual(requestLines(e2e.emulator.requestLog), ['GET /v1/checkout/sessions?status=open&limit=3']);
    e2e.emulator.clearLog();
    const { rows } = await db.query('SELECT s.Id, s.Status FROM #open o JOIN CheckoutSession s ON s.Id = o.Id');
    assert.equal(rows.length, 3);
    assert.ok(rows.every((r) => r.Status === 'open'));
    assert.ok(requestLines(e2e.emulator.requestLog).every((l) => /^GET \/v1\/checkout\/sessions\/cs_test_\w+$/.test(l)));
    assert.equal(e2e.emulator.requestLog.length, 3);
    // Another connection does not see them.
    await assert.rejects(e2e.db.query('SELECT * FROM #open'), /Unknown table/);
  } finally {
    await db.close();
  }
});

test('a table Stripe cannot list without a filter says which, where, and sends nothing', async () => {
  await assert.rejects(e2e.db.query('SELECT * FROM BillingMeterEventSummaries'), (error: unknown) => {
    assert.ok(error instanceof Error && error.name === 'SqlError');
    assert.match(error.message, /BillingMeterEventSummaries needs CustomerId = … and EndTime = … and StartTime = …/);
    assert.match(error.message, /\(line 1, column 15\)/);
    return true;
  });
  assert.equal(e2e.emulator.requestLog.length, 0);
});

test('EXPLAIN ANALYZE reports the requests each Stripe scan made', async () => {
  const { rows } = await e2e.db.query(`EXPLAIN ANALYZE SELECT Status, COUNT(*) FROM CheckoutSession GROUP BY Status`);
  const plan = rows.map((r) => String(r.Plan));
  const pages = Math.ceil(e2e.emulator.objects('checkout.session').length / 100);
  assert.equal(e2e.emulator.requestLog.length, pages);
  assert.ok(plan.some((l) => new RegExp(`actual: \\d+ rows, ${pages} requests`).test(l)), plan.join('\n'));
  assert.match(plan.at(-1)!, new RegExp(`${pages} requests$`));
});
