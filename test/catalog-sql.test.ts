// The catalog behind the real parser and engine: the seed's statements, end to end, against
// the fake transport.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStripeCatalog } from '../src/catalog/index.js';
import { planStatement } from '../src/engine/index.js';
import { parse } from '../src/sql/parser.js';
import { SqlError } from '../src/sql/errors.js';
import { FakeTransport, fullCheckoutSession } from './catalog-fake-transport.js';

const LIST = '/v1/checkout/sessions';

function setup() {
  const transport = new FakeTransport();
  transport.addList(LIST, [[fullCheckoutSession()]]);
  const catalog = createStripeCatalog(transport, { accountId: 'acct_Conn' });
  const run = async (sql: string) => {
    const plan = planStatement(parse(sql), sql, catalog);
    if (plan.kind === 'write') return plan.execute({});
    const rows: unknown[][] = [];
    for await (const row of plan.rows({})) rows.push(row);
    return rows;
  };
  return { transport, catalog, run };
}

test('the seed\'s SELECT examples send exactly one request each', async () => {
  const cases: [string, string][] = [
    ["SELECT * FROM CheckoutSession WHERE Id = '123124'", `GET ${LIST}/123124?expand[0]=line_items`],
    ["SELECT * FROM CheckoutSession WHERE CustomerId = 'cus_N8rO0qc7j1SJJ9'", `LIST ${LIST}?customer=cus_N8rO0qc7j1SJJ9&limit=100&expand[0]=data.line_items`],
    ["SELECT * FROM CheckoutSession WHERE CustomerDetailsEmail = 'jenny@example.com'", `LIST ${LIST}?customer_details[email]=jenny%40example.com&limit=100&expand[0]=data.line_items`],
    ["SELECT * FROM CheckoutSession WHERE PaymentIntentId = 'pi_sfuniew'", `LIST ${LIST}?payment_intent=pi_sfuniew&limit=100&expand[0]=data.line_items`],
  ];
  for (const [sql, call] of cases) {
    const { transport, run } = setup();
    await run(sql);
    assert.deepEqual(transport.calls.map((c) => c.line), [call], sql);
  }
});

test('a narrow SELECT with a Created range, native order and LIMIT', async () => {
  const { transport, run } = setup();
  const rows = await run("SELECT Id, AmountTotal FROM CheckoutSession WHERE Created >= '2024-01-01' AND Created < '2024-03-01 00:00:00.5' ORDER BY Created DESC LIMIT 5");
  assert.deepEqual(rows, [['cs_test_a1b2c3', 5060]]);
  assert.deepEqual(transport.calls, [{ line: `LIST ${LIST}?created[gte]=1704067200&created[lt]=1709251201&limit=5` }]);
});

test('the seed\'s INSERT statements', async () => {
  const { transport, run } = setup();
  const first = await run("INSERT INTO CheckoutSession (Mode, SuccessUrl,LineItemsAggregate) VALUES ('payment', 'https://example.com/success','[{\\\"price\\\":\\\"price_1OPuMb2eZvKYlo2CVkxTmqYN\\\",\\\"quantity\\\":\\\"23\\\"}]')");
  const second = await run("INSERT INTO CheckoutSession (Mode, SuccessUrl, Currency, CustomerId) VALUES ('setup', 'https://example.com/success', 'usd', 'cus_N8rO0qc7j1SJJ9')");
  assert.deepEqual(first, { rowsAffected: 1, lastInsertId: 'cs_test_created1' });
  assert.deepEqual(second, { rowsAffected: 1, lastInsertId: 'cs_test_created2' });
  assert.deepEqual(transport.calls.map((c) => c.body), [
    'mode=payment&success_url=https%3A%2F%2Fexample.com%2Fsuccess&line_items[0][price]=price_1OPuMb2eZvKYlo2CVkxTmqYN&line_items[0][quantity]=23',
    'mode=setup&success_url=https%3A%2F%2Fexample.com%2Fsuccess&currency=usd&customer=cus_N8rO0qc7j1SJJ9',
  ]);
});

test('an INSERT naming SetupIntent fails before any request, pointing at the column', async () => {
  const { transport, run } = setup();
  await assert.rejects(run("INSERT INTO CheckoutSession (Mode, SuccessUrl, SetupIntent) VALUES ('setup', 'https://x.test/', 'seti_1')"), (error: unknown) => {
    assert.ok(error instanceof SqlError);
    assert.match(error.message, /SetupIntent cannot be set when creating a CheckoutSession/);
    assert.equal(error.column, 48);
    return true;
  });
  assert.deepEqual(transport.calls, []);
});
