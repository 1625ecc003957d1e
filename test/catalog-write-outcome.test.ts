// Exactly-once keys, per-row outcomes, RETURNING rows, and Stripe errors named by SQL column.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkoutSessionTable } from '../src/catalog/overrides/checkout-session.js';
import { StripeTable, tableDefs } from '../src/catalog/index.js';
import { columnForParam, StripeWriteError } from '../src/catalog/write-error.js';
import { WRITES_IN_FLIGHT } from '../src/catalog/write-runner.js';
import { StripeApiError, StripeClient } from '../src/stripe/index.js';
import { FakeTransport } from './catalog-fake-transport.js';
import { ok, startFakeStripe, stripeError } from './stripe-fake-server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function setup(name: string) {
  const def = tableDefs.find((d) => d.name === name)!;
  const transport = new FakeTransport();
  return { transport, table: new StripeTable(def, transport) };
}

describe('idempotency keys', () => {
  test('without a prefix: a random key per row, each different', async () => {
    const { transport, table } = setup('Customers');
    await table.insertRows({ columns: ['Email'], rows: [['a@x.test'], ['b@x.test'], ['c@x.test']] }, {});
    const keys = transport.calls.map((c) => c.idempotencyKey!);
    for (const key of keys) assert.match(key, UUID);
    assert.equal(new Set(keys).size, 3);
  });

  test('with ctx.idempotencyKey: row i carries `${prefix}-${i}`, for INSERT and UPDATE alike; DELETE carries none', async () => {
    const { transport, table } = setup('Customers');
    await table.insertRows({ columns: ['Email'], rows: [['a@x.test'], ['b@x.test']] }, { idempotencyKey: 'stmt-7f3a' });
    await table.update({ rows: [{ key: { Id: 'cus_1' }, set: { Email: 'n@x.test' } }, { key: { Id: 'cus_2' }, set: { Email: 'm@x.test' } }] }, { idempotencyKey: 'upd' });
    await table.delete({ keys: [{ Id: 'cus_1' }] }, { idempotencyKey: 'del' });
    assert.deepEqual(transport.calls.map((c) => c.idempotencyKey), ['stmt-7f3a-0', 'stmt-7f3a-1', 'upd-0', 'upd-1', undefined]);
  });

  test('re-running the same statement with the same prefix repeats the same keys', async () => {
    const { transport, table } = setup('PaymentIntent');
    const insert = { columns: ['Amount', 'Currency'], rows: [[100, 'usd'], [200, 'eur']] };
    await table.insertRows(insert, { idempotencyKey: 'run' });
    await table.insertRows(insert, { idempotencyKey: 'run' });
    assert.deepEqual(transport.calls.map((c) => c.idempotencyKey), ['run-0', 'run-1', 'run-0', 'run-1']);
  });

  test('the transport\'s retries of one row carry that row\'s key (real client, local server)', async () => {
    let answered = 0;
    const server = await startFakeStripe(() => (answered++ < 2
      ? stripeError(500, { type: 'api_error', message: 'try again' })
      : ok({ id: 'cus_new', object: 'customer', email: 'a@x.test' })));
    try {
      const client = new StripeClient({ apiKey: 'sk_test_51Hidempotencyidempotency00', baseUrl: server.baseUrl, maxRetries: 3, retryBaseDelayMs: 1, retryMaxDelayMs: 2 });
      const def = tableDefs.find((d) => d.name === 'Customers')!;
      const outcome = await new StripeTable(def, client).insertRows({ columns: ['Email'], rows: [['a@x.test']] }, { idempotencyKey: 'crash-safe' });
      assert.equal(outcome.lastInsertId, 'cus_new');
      assert.deepEqual(server.requests.map((r) => r.headers['idempotency-key']), ['crash-safe-0', 'crash-safe-0', 'crash-safe-0']);
    } finally {
      await server.close();
    }
  });
});

describe('per-row outcomes', () => {
  test('every row is reported; the first refusal stops the rows not yet started, which are reported as not sent', async () => {
    const { transport, table } = setup('Customers');
    const count = WRITES_IN_FLIGHT + 3;
    const ids = Array.from({ length: count }, (_, i) => `cus_${i}`);
    ids.forEach((id, i) => transport.answerPost(`/v1/customers/${id}`, { id, object: 'customer', email: `e${i}@x.test` }));
    transport.failAt(1, new StripeApiError({ message: 'Invalid email address', status: 400, type: 'invalid_request_error', code: 'email_invalid', param: 'email', requestId: 'req_9' }));
    const outcome = await table.update({ rows: ids.map((id, i) => ({ key: { Id: id }, set: { Email: `e${i}@x.test` } })) }, {});
    // The first WRITES_IN_FLIGHT rows were on their way when row 2 failed; the rest never left.
    assert.deepEqual(transport.calls.map((c) => c.line), ids.slice(0, WRITES_IN_FLIGHT).map((id) => `POST /v1/customers/${id}`));
    assert.equal(outcome.rowsAffected, WRITES_IN_FLIGHT - 1);
    assert.deepEqual(outcome.rows.map((r) => [r.index, r.id, r.ok]), ids.map((id, i) => [i, id, i !== 1 && i < WRITES_IN_FLIGHT]));
    const [r0, r1] = outcome.rows;
    assert.ok(r0 && r0.ok);
    assert.equal(r0.row?.[table.columns.findIndex((c) => c.name === 'Email')], 'e0@x.test');
    assert.ok(r1 && !r1.ok);
    assert.ok(r1.error instanceof StripeWriteError);
    assert.equal(r1.error.requestId, 'req_9');
    assert.equal(r1.error.code, 'email_invalid');
    assert.equal(r1.error.column, 'Email');
    assert.equal(r1.error.rowIndex, 1);
    for (const r of outcome.rows.slice(WRITES_IN_FLIGHT)) {
      assert.ok(!r.ok);
      assert.equal(r.error.message, 'not sent: row 2 of the statement failed first');
    }
  });

  test('UPDATE / DELETE of an object Stripe does not have (404 resource_missing) is absent, not a failure', async () => {
    const { transport, table } = setup('Customers');
    transport.answerPost('/v1/customers/cus_a', { id: 'cus_a', object: 'customer' });
    transport.failAt(1, new StripeApiError({ message: "No such customer: 'cus_gone'", status: 404, type: 'invalid_request_error', code: 'resource_missing', param: 'id' }));
    const outcome = await table.update({ rows: [{ key: { Id: 'cus_a' }, set: { Name: 'A' } }, { key: { Id: 'cus_gone' }, set: { Name: 'B' } }] }, {});
    assert.equal(outcome.rowsAffected, 1);
    assert.deepEqual(outcome.rows.map((r) => [r.id, r.ok, !r.ok && r.absent]), [['cus_a', true, false], ['cus_gone', false, true]]);
  });

  test('insert() still throws the first failure (wrapped), after reporting', async () => {
    const { transport, table } = setup('Customers');
    transport.failNextWith(new StripeApiError({ message: 'Invalid email', status: 400, type: 'invalid_request_error', param: 'email' }));
    await assert.rejects(table.insert({ columns: ['Email'], rows: [['bad']] }, {}),
      (e: unknown) => e instanceof StripeWriteError && e.column === 'Email' && e.message === 'Email: Invalid email' && e.status === 400);
  });

  test('RETURNING: the created or updated object mapped to the table\'s columns', async () => {
    const { transport, table } = setup('Customers');
    transport.answerPost('/v1/customers', { id: 'cus_9', object: 'customer', email: 'a@x.test', created: 1704067200, metadata: { a: '1' } });
    const outcome = await table.insertRows({ columns: ['Email'], rows: [['a@x.test']] }, {});
    const columns = table.columns.map((c) => c.name);
    const row = outcome.rows[0]!;
    assert.ok(row.ok && row.row);
    assert.equal(row.row[columns.indexOf('Id')], 'cus_9');
    assert.equal(row.row[columns.indexOf('Email')], 'a@x.test');
    assert.deepEqual(row.row[columns.indexOf('Created')], new Date('2024-01-01T00:00:00Z'));
    assert.equal(row.row[columns.indexOf('Metadata')], '{"a":"1"}');
    assert.equal(outcome.lastInsertId, 'cus_9');
  });
});

describe('Stripe errors name the SQL column', () => {
  test('param line_items[0][price] → LineItemsAggregate, item 1: price', async () => {
    const transport = new FakeTransport();
    const table = new StripeTable(checkoutSessionTable, transport);
    transport.failNextWith(new StripeApiError({
      message: "No such price: 'price_x'", status: 400, type: 'invalid_request_error', code: 'resource_missing', param: 'line_items[0][price]', requestId: 'req_1',
    }));
    const outcome = await table.insertRows({ columns: ['Mode', 'SuccessUrl', 'LineItemsAggregate'], rows: [['payment', 'https://x.test', '[{"price":"price_x","quantity":1}]']] }, {});
    const row = outcome.rows[0]!;
    assert.ok(!row.ok);
    const error = row.error;
    assert.ok(error instanceof StripeWriteError && error instanceof StripeApiError);
    assert.equal(error.message, "LineItemsAggregate, item 1: price: No such price: 'price_x'");
    assert.equal(error.column, 'LineItemsAggregate');
    assert.equal(error.rowIndex, 0);
    assert.deepEqual([error.type, error.code, error.status, error.requestId, error.param], ['invalid_request_error', 'resource_missing', 400, 'req_1', 'line_items[0][price]']);
  });

  test('column lookup: exact, nested, deeper than the column, and no match', () => {
    assert.deepEqual(columnForParam(checkoutSessionTable, 'automatic_tax[enabled]', 'create'), { column: 'AutomaticTaxEnabled', where: 'AutomaticTaxEnabled' });
    assert.deepEqual(columnForParam(checkoutSessionTable, 'line_items[2][price_data][unit_amount]', 'create'),
      { column: 'LineItemsAggregate', where: 'LineItemsAggregate, item 3: price_data.unit_amount' });
    assert.deepEqual(columnForParam(checkoutSessionTable, 'metadata[order]', 'create'), { column: 'Metadata', where: 'Metadata: order' });
    assert.equal(columnForParam(checkoutSessionTable, 'no_such_param', 'create'), undefined);
    const customers = tableDefs.find((d) => d.name === 'Customers')!;
    assert.deepEqual(columnForParam(customers, 'address[city]', 'update'), { column: 'AddressCity', where: 'AddressCity' });
  });

  test('a param that maps to no column keeps Stripe\'s message and has no column', async () => {
    const { transport, table } = setup('Customers');
    transport.failNextWith(new StripeApiError({ message: 'Bad thing', status: 400, type: 'invalid_request_error', param: 'unknown_thing' }));
    const outcome = await table.update({ rows: [{ key: { Id: 'cus_1' }, set: { Email: 'x@y.z' } }] }, {});
    const row = outcome.rows[0]!;
    assert.ok(!row.ok && row.error instanceof StripeWriteError);
    assert.equal(row.error.message, 'Bad thing');
    assert.equal(row.error.column, undefined);
  });
});
