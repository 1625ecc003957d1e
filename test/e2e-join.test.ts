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

test('a lookup join by Id: EXPLAIN gives the method and its cost, and the log holds exactly a retrieve per distinct key', async () => {
  const open = e2e.emulator.objects('checkout.session').filter((s) => s.status === 'open' && typeof s.customer === 'string');
  const customerIds = [...new Set(open.map((s) => String(s.customer)))];
  assert.ok(customerIds.length >= 2 && open.length > customerIds.length, 'the seed has open sessions sharing a customer');
  const sql = "SELECT s.Id, c.Email FROM CheckoutSession s JOIN Customers c ON c.Id = s.CustomerId WHERE s.Status = 'open'";
  assert.deepEqual(e2e.db.explain(sql), [
    'Lookup Join INNER ON s.CustomerId = c.Id (fetches Customers by Id IN (batch of up to 100 keys), about 100 requests per batch)',
    '  Scan CheckoutSession',
    '    StripeScan CheckoutSession: GET /v1/checkout/sessions?status=open&limit=100',
    "    pushed: Status = 'open'",
    '    order not needed: a long list is read in parallel created windows after its first pages',
    '  Scan Customers (per batch: Id IN (…))',
    '    StripeScan Customers: GET /v1/customers/{Id}',
    '    pushed: Id IN (…)',
  ]);
  // The JSON plan says the same: the fetch as the table tells it, and its cost.
  type Node = { node: string; method?: string; requestsPerBatch?: number; inputs?: Node[] } & Record<string, unknown>;
  const findJoin = (n: Node): Node | undefined => (n.node === 'Join' ? n : (n.inputs ?? []).map(findJoin).find((j) => j !== undefined));
  const json = findJoin(e2e.db.explain(sql, { format: 'json' }) as unknown as Node)!;
  assert.deepEqual([json.method, json.requestsPerBatch], ['lookup', 100]);
  assert.deepEqual(json.inputs![1], {
    node: 'Scan', table: 'Customers', perBatch: true, columns: ['Id', 'Email'], pushed: [], residual: [],
    detail: ['StripeScan Customers: GET /v1/customers/{Id}', 'pushed: Id IN (…)'], requestsPerFetch: 100,
  });
  assert.equal(e2e.emulator.requestLog.length, 0);
  const { rows } = await e2e.db.query(sql);
  const emails = new Map(e2e.emulator.objects('customer').map((c) => [c.id, c.email]));
  assert.deepEqual(rows.map((r) => [r.Id, r.Email]).sort(), open.map((s) => [s.id, emails.get(s.customer)]).sort());
  const lines = requestLines(e2e.emulator.requestLog);
  assert.deepEqual(lines.filter((l) => l.startsWith('GET /v1/checkout/sessions')), ['GET /v1/checkout/sessions?status=open&limit=100']);
  assert.deepEqual(lines.filter((l) => !l.startsWith('GET /v1/checkout/sessions')).sort(), customerIds.map((id) => `GET /v1/customers/${id}`).sort());
});

test('a lookup join by a list filter: a list per distinct key with `=`, as EXPLAIN says', async () => {
  const customers = e2e.emulator.objects('customer').filter((c) => e2e.emulator.objects('charge').some((ch) => ch.customer === c.id)).slice(0, 2);
  const sql = `SELECT c.Id, ch.Amount FROM Customers c JOIN Charges ch ON ch.CustomerId = c.Id WHERE c.Id IN (${customers.map((c) => `'${c.id}'`).join(', ')})`;
  const plan = e2e.db.explain(sql);
  assert.equal(plan[0], 'Lookup Join INNER ON c.Id = ch.CustomerId (fetches Charges by CustomerId = key, once per distinct key, up to 16 at once, about 100 requests per batch)');
  assert.ok(plan.includes('  Scan Charges (per key: CustomerId = …)'), plan.join('\n'));
  assert.ok(plan.includes('    StripeScan Charges: GET /v1/charges?customer={CustomerId}&limit=100'), plan.join('\n'));
  const { rows } = await e2e.db.query(sql);
  const expected = e2e.emulator.objects('charge').filter((ch) => customers.some((c) => c.id === ch.customer));
  assert.deepEqual(rows.map((r) => [r.Id, r.Amount]).sort(), expected.map((ch) => [ch.customer, ch.amount]).sort());
  assert.deepEqual(requestLines(e2e.emulator.requestLog).sort(), [
    ...customers.map((c) => `GET /v1/customers/${c.id}`),
    ...customers.map((c) => `GET /v1/charges?customer=${c.id}&limit=100`),
  ].sort());
});
