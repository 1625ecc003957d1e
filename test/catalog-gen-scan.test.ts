// Generic StripeTable behaviour the generated catalog relies on: child tables and their parents,
// Stripe defaults that would hide rows, booleans, required list parameters, singletons,
// read-by-id-only tables and inserts under a parent.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MissingFilterError, StripeTable, tableDefs } from '../src/catalog/index.js';
import type { Predicate, Row } from '../src/engine/table.js';
import { FakeTransport, pred, scanRequest } from './catalog-fake-transport.js';

function setup(name: string) {
  const def = tableDefs.find((d) => d.name === name);
  assert.ok(def, `no table ${name}`);
  const transport = new FakeTransport();
  const table = new StripeTable(def, transport);
  const column = (c: string) => table.columns.findIndex((x) => x.name === c);
  return { def, transport, table, column };
}

async function collect(table: StripeTable, predicates: Predicate[], columns = ['Id']): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const row of table.scan(table.plan(scanRequest(predicates, { columns })), {})) rows.push(row);
  return rows;
}

test('a child table without its parent id lists the parents, then each parent\'s children', async () => {
  const { transport, table, column } = setup('InvoiceLineItems');
  transport.addList('/v1/invoices', [[{ id: 'in_1' }], [{ id: 'in_2' }]]);
  transport.addList('/v1/invoices/in_1/lines', [[{ id: 'il_1', amount: 100 }, { id: 'il_2', amount: 200 }]]);
  transport.addList('/v1/invoices/in_2/lines', [[{ id: 'il_3', amount: 300 }]]);
  const rows = await collect(table, []);
  assert.deepEqual(transport.calls.map((c) => c.line), [
    'LIST /v1/invoices?limit=100',
    'LIST /v1/invoices/in_1/lines?limit=100',
    'LIST /v1/invoices/in_2/lines?limit=100',
  ]);
  assert.deepEqual(rows.map((r) => [r[column('Id')], r[column('InvoiceId')], r[column('Amount')]]), [
    ['il_1', 'in_1', 100], ['il_2', 'in_1', 200], ['il_3', 'in_2', 300],
  ]);
});

test('describe() says the parents are iterated when no parent id is given', () => {
  const { table } = setup('InvoiceLineItems');
  assert.deepEqual(table.plan(scanRequest([])).describe(), [
    'StripeScan InvoiceLineItems: no InvoiceId given: GET /v1/invoices?limit=100 for every Invoices id, then for each one:',
    'StripeScan InvoiceLineItems: GET /v1/invoices/{InvoiceId}/lines?limit=100',
  ]);
});

test('a child table with parent ids makes one request per parent and none for the parent list', async () => {
  const { transport, table, column } = setup('InvoiceLineItems');
  transport.addList('/v1/invoices/in_1/lines', [[{ id: 'il_1' }]]);
  transport.addList('/v1/invoices/in_2/lines', [[{ id: 'il_3' }]]);
  const plan = table.plan(scanRequest([pred('InvoiceId', 'IN', ['in_1', 'in_2'])]));
  assert.equal(plan.residual.length, 0);
  assert.equal(plan.estimatedRequests, undefined);
  const rows = await collect(table, [pred('InvoiceId', 'IN', ['in_1', 'in_2'])]);
  assert.deepEqual(transport.calls.map((c) => c.line), ['LIST /v1/invoices/in_1/lines?limit=100', 'LIST /v1/invoices/in_2/lines?limit=100']);
  assert.deepEqual(rows.map((r) => r[column('InvoiceId')]), ['in_1', 'in_2']);
});

test('a parent given in a query parameter: SubscriptionItems by subscription, canceled ones included', async () => {
  const { transport, table, column } = setup('SubscriptionItems');
  transport.addList('/v1/subscriptions', [[{ id: 'sub_1' }, { id: 'sub_2' }]]);
  transport.addList('/v1/subscription_items', [[{ id: 'si_1', subscription: 'sub_x' }]]);
  const rows = await collect(table, [], ['Id', 'SubscriptionId']);
  assert.deepEqual(transport.calls.map((c) => c.line), [
    'LIST /v1/subscriptions?status=all&limit=100',
    'LIST /v1/subscription_items?limit=100&subscription=sub_1',
    'LIST /v1/subscription_items?limit=100&subscription=sub_2',
  ]);
  // The field Stripe sends wins over the id the request named.
  assert.deepEqual(rows.map((r) => r[column('SubscriptionId')]), ['sub_x', 'sub_x']);
});

test('a parent that cannot be listed must be given, before any request', () => {
  const { table, transport } = setup('SourceTransactions');
  assert.throws(() => table.plan(scanRequest([])), (error: unknown) => {
    assert.ok(error instanceof MissingFilterError);
    assert.deepEqual(error.columns, ['SourceId']);
    assert.match(error.message, /^SourceTransactions needs SourceId = … in WHERE/);
    return true;
  });
  assert.equal(transport.calls.length, 0);
});

test('Subscriptions send status=all unless a status is pushed', async () => {
  const { transport, table } = setup('Subscriptions');
  await collect(table, []);
  await collect(table, [pred('CustomerId', '=', 'cus_1')]);
  await collect(table, [pred('Status', '=', 'canceled')]);
  await collect(table, [pred('Status', 'IN', ['active', 'past_due'])]);
  assert.deepEqual(transport.calls.map((c) => c.line), [
    'LIST /v1/subscriptions?status=all&limit=100',
    'LIST /v1/subscriptions?customer=cus_1&status=all&limit=100',
    'LIST /v1/subscriptions?status=canceled&limit=100',
    'LIST /v1/subscriptions?status=active&limit=100',
    'LIST /v1/subscriptions?status=past_due&limit=100',
  ]);
});

test('a status outside the field\'s values (Stripe\'s own `all`, `ended`) matches nothing and sends nothing', async () => {
  const { transport, table } = setup('Subscriptions');
  assert.equal(table.plan(scanRequest([pred('Status', '=', 'all')])).empty, true);
  assert.deepEqual(await collect(table, [pred('Status', '=', 'ended')]), []);
  assert.equal(transport.calls.length, 0);
});

test('boolean filters: = sends the value, <> sends its negation, contradictions send nothing', async () => {
  const { transport, table } = setup('Prices');
  await collect(table, [pred('Active', '=', true)]);
  await collect(table, [pred('Active', '<>', true)]);
  await collect(table, [pred('Active', '<>', false)]);
  assert.deepEqual(transport.calls.map((c) => c.line), [
    'LIST /v1/prices?active=true&limit=100',
    'LIST /v1/prices?active=false&limit=100',
    'LIST /v1/prices?active=true&limit=100',
  ]);
  assert.equal(table.plan(scanRequest([pred('Active', '=', true), pred('Active', '<>', true)])).empty, true);
  // A non-boolean comparison is left to the engine.
  assert.equal(table.plan(scanRequest([pred('Active', '=', 'yes')])).residual.length, 1);
});

test('a required list parameter that is missing is a clear error at plan time, with no request', () => {
  const { table, transport } = setup('BillingMeterEventSummaries');
  assert.throws(() => table.plan(scanRequest([pred('BillingMeterId', '=', 'mtr_1'), pred('StartTime', '=', new Date(0)), pred('EndTime', '=', new Date(3_600_000))])),
    (error: unknown) => {
      assert.ok(error instanceof MissingFilterError);
      assert.equal(error.message, 'BillingMeterEventSummaries needs CustomerId = … in WHERE (or IN (…)): Stripe cannot list them without it');
      return true;
    });
  assert.throws(() => table.plan(scanRequest([])), /BillingMeterEventSummaries needs CustomerId = … and EndTime = … and StartTime = …/);
  assert.equal(transport.calls.length, 0);
});

test('with the required parameters given, they are sent and the param column echoes them', async () => {
  const { transport, table, column } = setup('BillingMeterEventSummaries');
  transport.addList('/v1/billing/meters/mtr_1/event_summaries', [[{ id: 'mtres_1', aggregated_value: 3, start_time: 0, end_time: 3600 }]]);
  const rows = await collect(table, [
    pred('BillingMeterId', '=', 'mtr_1'), pred('CustomerId', '=', 'cus_1'),
    pred('StartTime', '=', new Date(0)), pred('EndTime', '=', new Date(3_600_000)),
  ]);
  assert.deepEqual(transport.calls.map((c) => c.line), ['LIST /v1/billing/meters/mtr_1/event_summaries?customer=cus_1&end_time=3600&start_time=0&limit=100']);
  assert.deepEqual([rows[0]![column('CustomerId')], rows[0]![column('BillingMeterId')], rows[0]![column('AggregatedValue')]], ['cus_1', 'mtr_1', 3]);
});

test('integer ranges push as amount[gte|lt]', async () => {
  const { transport, table } = setup('TopUps');
  await collect(table, [pred('Amount', '>=', 100), pred('Amount', '<', 500.5)]);
  assert.deepEqual(transport.calls.map((c) => c.line), ['LIST /v1/topups?amount[gte]=100&amount[lt]=501&limit=100']);
});

test('a table Stripe only reads by id needs Id in WHERE', async () => {
  const { table, transport } = setup('Mandates');
  assert.throws(() => table.plan(scanRequest([])), /Mandates needs Id = … in WHERE/);
  transport.addObject('/v1/mandates/mandate_1', { id: 'mandate_1', status: 'active' });
  const rows = await collect(table, [pred('Id', '=', 'mandate_1')]);
  assert.deepEqual(rows.map((r) => r[0]), ['mandate_1']);
  assert.deepEqual(transport.calls.map((c) => c.line), ['GET /v1/mandates/mandate_1']);
});

test('a write-only table cannot be read', () => {
  const { table } = setup('UsageRecords');
  assert.throws(() => table.plan(scanRequest([pred('SubscriptionItemId', '=', 'si_1')])), /UsageRecords cannot be read: Stripe only creates them/);
});

test('balance views: one row for Balance, one per currency for AvailableBalance and PendingBalance', async () => {
  const balance = {
    object: 'balance', livemode: false,
    available: [{ amount: 1000, currency: 'usd', source_types: { card: 1000 } }, { amount: 5, currency: 'eur', source_types: { card: 5 } }],
    pending: [{ amount: 70, currency: 'usd', source_types: { card: 70 } }],
  };
  for (const [name, expected] of [['AvailableBalance', [[1000, 'usd', 1000], [5, 'eur', 5]]], ['PendingBalance', [[70, 'usd', 70]]]] as const) {
    const { transport, table, column } = setup(name);
    transport.addObject('/v1/balance', balance);
    const rows = await collect(table, [pred('AccountId', '=', 'acct_1')], ['Amount']);
    assert.deepEqual(rows.map((r) => [r[column('Amount')], r[column('Currency')], r[column('SourceTypesCard')]]), expected);
    assert.deepEqual(rows.map((r) => r[column('AccountId')]), expected.map(() => 'acct_1'));
    assert.deepEqual(transport.calls, [{ line: 'GET /v1/balance', accountId: 'acct_1' }]);
  }
  const { transport, table, column } = setup('Balance');
  transport.addObject('/v1/balance', balance);
  const rows = await collect(table, []);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]![column('Available')], JSON.stringify(balance.available));
});

test('CashBalance reads each customer\'s cash balance, or the ones named', async () => {
  const { transport, table, column } = setup('CashBalance');
  transport.addList('/v1/customers', [[{ id: 'cus_1' }, { id: 'cus_2' }]]);
  transport.addObject('/v1/customers/cus_1/cash_balance', { object: 'cash_balance', available: { usd: 5 }, customer: 'cus_1' });
  transport.addObject('/v1/customers/cus_2/cash_balance', { object: 'cash_balance', available: null, customer: 'cus_2' });
  const all = await collect(table, []);
  assert.deepEqual(all.map((r) => [r[column('CustomerId')], r[column('Available')]]), [['cus_1', '{"usd":5}'], ['cus_2', null]]);
  assert.deepEqual(transport.calls.map((c) => c.line), ['LIST /v1/customers?limit=100', 'GET /v1/customers/cus_1/cash_balance', 'GET /v1/customers/cus_2/cash_balance']);
  const named = await collect(table, [pred('CustomerId', '=', 'cus_2')]);
  assert.equal(named.length, 1);
  assert.equal(transport.calls[transport.calls.length - 1]!.line, 'GET /v1/customers/cus_2/cash_balance');
});

test('INSERT into a child table puts the parent id in the create path', async () => {
  const { transport, table } = setup('CustomerTaxIds');
  const result = await table.insert({ columns: ['CustomerId', 'Type', 'Value'], rows: [['cus_1', 'eu_vat', 'DE123456789']] }, {});
  assert.equal(result.rowsAffected, 1);
  assert.equal(transport.calls.length, 1);
  assert.equal(transport.calls[0]!.line, 'POST /v1/customers/cus_1/tax_ids');
  assert.equal(transport.calls[0]!.body, 'type=eu_vat&value=DE123456789');
  await assert.rejects(table.insert({ columns: ['Type', 'Value'], rows: [['eu_vat', 'DE1']] }, {}), /CustomerId is required/);
});

test('INSERT into SubscriptionItems sends the subscription as a parameter', async () => {
  const { transport, table } = setup('SubscriptionItems');
  await table.insert({ columns: ['SubscriptionId', 'Quantity'], rows: [['sub_1', 2]] }, {});
  assert.equal(transport.calls[0]!.line, 'POST /v1/subscription_items');
  assert.equal(transport.calls[0]!.body, 'subscription=sub_1&quantity=2');
});

test('views take no INSERT', async () => {
  const { table } = setup('AvailableBalance');
  await assert.rejects(table.insert({ columns: ['Amount'], rows: [[1]] }, {}), /does not support INSERT/);
});

test('Events Type = pushes a literal event name; a value with Stripe\'s wildcard * stays residual', async () => {
  const { transport, table } = setup('Events');
  await collect(table, [pred('Type', '=', 'charge.succeeded')]);
  assert.deepEqual(transport.calls.map((c) => c.line), ['LIST /v1/events?type=charge.succeeded&limit=100']);
  const plan = table.plan(scanRequest([pred('Type', '=', 'charge.*')]));
  assert.deepEqual([plan.pushed.length, plan.residual.length], [0, 1]);
});

test('an includable field is expanded only when the query needs its column', async () => {
  const { transport, table, column } = setup('Customers');
  transport.addList('/v1/customers', [[{ id: 'cus_1', tax_ids: { object: 'list', data: [{ id: 'txi_1' }], has_more: false } }]]);
  await collect(table, [], ['Id', 'Email']);
  const rows = await collect(table, [], ['Id', 'TaxIdsAggregate']);
  assert.deepEqual(transport.calls.map((c) => c.line), [
    'LIST /v1/customers?limit=100',
    'LIST /v1/customers?limit=100&expand[0]=data.tax_ids',
  ]);
  assert.equal(rows[0]![column('TaxIdsAggregate')], '[{"id":"txi_1"}]');
});

test('an embedded list Stripe sends is completed from its later pages, without expand[]', async () => {
  const { transport, table, column } = setup('Subscriptions');
  transport.addList('/v1/subscriptions', [[{ id: 'sub_1', items: { object: 'list', data: [{ id: 'si_1' }], has_more: true } }]]);
  transport.addList('/v1/subscription_items', [[{ id: 'si_2' }]]);
  const rows = await collect(table, [], ['Id', 'ItemsAggregate']);
  assert.deepEqual(transport.calls.map((c) => c.line), [
    'LIST /v1/subscriptions?status=all&limit=100',
    'LIST /v1/subscription_items?subscription=sub_1&limit=100&starting_after=si_1',
  ]);
  assert.equal(rows[0]![column('ItemsAggregate')], '[{"id":"si_1"},{"id":"si_2"}]');
});

test('describe() of a query-parameter parent names the parent column as a placeholder', () => {
  const { table } = setup('SubscriptionItems');
  assert.deepEqual(table.plan(scanRequest([])).describe(), [
    'StripeScan SubscriptionItems: no SubscriptionId given: GET /v1/subscriptions?status=all&limit=100 for every Subscriptions id, then for each one:',
    'StripeScan SubscriptionItems: GET /v1/subscription_items?limit=100&subscription={SubscriptionId}',
  ]);
});
