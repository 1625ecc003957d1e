// The write rules of the catalog: required create columns per reference table, row keys of
// UPDATE/DELETE, value conversion, Metadata merging, temporary tables — each refused with no
// request sent, or turned into the exact form body Stripe expects.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StripeTable, tableDefs } from '../src/catalog/index.js';
import { ColumnValueError, type ExecContext, type SqlValue } from '../src/engine/table.js';
import { FakeTransport } from './catalog-fake-transport.js';

function setup(name: string) {
  const def = tableDefs.find((d) => d.name === name);
  assert.ok(def, name);
  const transport = new FakeTransport();
  return { transport, table: new StripeTable(def, transport) };
}

async function refusedInsert(name: string, columns: string[], row: SqlValue[], column: string, message: string | RegExp, ctx: ExecContext = {}) {
  const { transport, table } = setup(name);
  await assert.rejects(table.insertRows({ columns, rows: [row] }, ctx), (error: unknown) => {
    assert.ok(error instanceof ColumnValueError, String(error));
    assert.equal(error.column, column);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
  assert.deepEqual(transport.calls, []);
}

describe('required create columns (reference rules)', () => {
  test('Charges: Amount, Currency and CustomerId or Source', async () => {
    await refusedInsert('Charges', ['Currency', 'CustomerId'], ['usd', 'cus_1'], 'Amount', 'Amount is required to create a Charges');
    await refusedInsert('Charges', ['Amount', 'CustomerId'], [100, 'cus_1'], 'Currency', 'Currency is required to create a Charges');
    await refusedInsert('Charges', ['Amount', 'Currency'], [100, 'usd'], 'CustomerId', 'one of CustomerId or Source is required to create a Charges');
    const { transport, table } = setup('Charges');
    await table.insertRows({ columns: ['Amount', 'Currency', 'Source'], rows: [[100, 'usd', 'tok_visa']] }, {});
    assert.equal(transport.calls[0]!.body, 'amount=100&currency=usd&source=tok_visa');
  });

  test('PaymentIntent: Amount and Currency', async () => {
    await refusedInsert('PaymentIntent', ['Currency'], ['usd'], 'Amount', 'Amount is required to create a PaymentIntent');
  });

  test('Subscriptions: CustomerId and ItemsAggregate', async () => {
    await refusedInsert('Subscriptions', ['CustomerId'], ['cus_1'], 'ItemsAggregate', 'ItemsAggregate is required to create a Subscriptions');
    await refusedInsert('Subscriptions', ['ItemsAggregate'], ['[{"price":"p"}]'], 'CustomerId', 'CustomerId is required to create a Subscriptions');
  });

  test('Prices: Currency and ProductId', async () => {
    await refusedInsert('Prices', ['Currency', 'UnitAmount'], ['usd', 5], 'ProductId', 'ProductId is required to create a Prices');
  });

  test('Refunds: ChargeId or PaymentIntentId, either suffices', async () => {
    await refusedInsert('Refunds', ['Amount'], [5], 'ChargeId', 'one of ChargeId or PaymentIntentId is required to create a Refunds');
    const { transport, table } = setup('Refunds');
    await table.insertRows({ columns: ['PaymentIntentId'], rows: [['pi_1']] }, {});
    assert.deepEqual(transport.calls.map((c) => [c.line, c.body]), [['POST /v1/refunds', 'payment_intent=pi_1']]);
  });

  test('a bad second row stops the whole statement before the first is sent', async () => {
    const { transport, table } = setup('PaymentIntent');
    await assert.rejects(table.insertRows({ columns: ['Amount', 'Currency'], rows: [[100, 'usd'], [null, 'usd']] }, {}),
      (e: unknown) => e instanceof ColumnValueError && e.rowIndex === 1 && e.column === 'Amount');
    assert.deepEqual(transport.calls, []);
  });
});

describe('UPDATE and DELETE name their rows', () => {
  test('missing Id', async () => {
    const { transport, table } = setup('Customers');
    await assert.rejects(table.update({ rows: [{ key: {}, set: { Email: 'a@b.c' } }] }, {}),
      (e: unknown) => e instanceof ColumnValueError && e.column === 'Id' && e.message === "Customers rows are changed by Id: give Id = '…' in WHERE");
    await assert.rejects(table.delete({ keys: [{ Id: null }] }, {}), (e: unknown) => e instanceof ColumnValueError && e.column === 'Id');
    assert.deepEqual(transport.calls, []);
  });

  test('Cards and BankAccounts need CustomerId as well', async () => {
    for (const name of ['Cards', 'BankAccounts']) {
      const { transport, table } = setup(name);
      await assert.rejects(table.update({ rows: [{ key: { Id: 'card_1' }, set: { AccountHolderName: 'J' } }] }, {}),
        (e: unknown) => e instanceof ColumnValueError && e.column === 'CustomerId' && /give CustomerId = '…' as well as Id/.test(e.message));
      await assert.rejects(table.delete({ keys: [{ id: 'card_1' }] }, {}), (e: unknown) => e instanceof ColumnValueError && e.column === 'CustomerId');
      assert.deepEqual(transport.calls, [], name);
    }
  });

  test('key names are case-insensitive; the parent goes into the path', async () => {
    const { transport, table } = setup('Cards');
    await table.update({ rows: [{ key: { id: 'card_1', customerid: 'cus_1' }, set: { addresscity: 'Berlin' } }] }, {});
    assert.deepEqual(transport.calls.map((c) => [c.line, c.body]), [['POST /v1/customers/cus_1/cards/card_1', 'address_city=Berlin']]);
  });

  test('AccountId in the key sends the request to that account', async () => {
    const { transport, table } = setup('Customers');
    await table.delete({ keys: [{ Id: 'cus_1', AccountId: 'acct_9' }] }, {});
    assert.equal(transport.calls[0]!.accountId, 'acct_9');
  });

  test('read-only, unknown, key and non-updatable columns are refused', async () => {
    const { transport, table } = setup('Customers');
    const refused = async (set: Record<string, SqlValue>, column: string, message: RegExp) =>
      assert.rejects(table.update({ rows: [{ key: { Id: 'cus_1' }, set }] }, {}),
        (e: unknown) => e instanceof ColumnValueError && e.column === column && message.test(e.message));
    await refused({ Created: new Date() }, 'Created', /^Created is read-only \(UPDATE of Customers\)$/);
    await refused({ Nope: 1 }, 'Nope', /^Customers has no column Nope$/);
    await refused({ Id: 'cus_2' }, 'Id', /identifies the row/);
    await refused({}, 'Customers', /sets no column/);
    assert.deepEqual(transport.calls, []);
  });
});

describe('update values', () => {
  test('Datetime → Unix seconds, Boolean as true/false, NULL unsets', async () => {
    const { transport, table } = setup('Subscriptions');
    await table.update({ rows: [{ key: { Id: 'sub_1' }, set: { TrialEnd: new Date('2024-02-01T00:00:00.999Z'), CancelAtPeriodEnd: true, Description: null } }] }, {});
    assert.deepEqual(transport.calls.map((c) => [c.line, c.body]), [['POST /v1/subscriptions/sub_1', 'trial_end=1706745600&cancel_at_period_end=true&description=']]);
  });

  test('a Boolean column given text, or an Integer given a fraction, is refused', async () => {
    const { transport, table } = setup('Subscriptions');
    await assert.rejects(table.update({ rows: [{ key: { Id: 'sub_1' }, set: { CancelAtPeriodEnd: 'yes' } }] }, {}),
      { message: 'CancelAtPeriodEnd must be true or false to update a Subscriptions' });
    const customers = setup('Customers');
    await assert.rejects(customers.table.update({ rows: [{ key: { Id: 'cus_1' }, set: { Balance: 1.5 } }] }, {}),
      { message: 'Balance must be a whole number to update a Customers' });
    assert.deepEqual([...transport.calls, ...customers.transport.calls], []);
  });

  test('Metadata merges: keys given are set, NULL or \'\' removes a key, others stay untouched', async () => {
    const { transport, table } = setup('Customers');
    await table.update({ rows: [{ key: { Id: 'cus_1' }, set: { Metadata: '{"plan":"gold","old":null,"gone":"","n":3}' } }] }, {});
    assert.equal(transport.calls[0]!.body, 'metadata[plan]=gold&metadata[old]=&metadata[gone]=&metadata[n]=3');
  });

  test('Metadata = NULL clears all of it; Metadata that is not an object is refused', async () => {
    const { transport, table } = setup('Customers');
    await table.update({ rows: [{ key: { Id: 'cus_1' }, set: { Metadata: null } }] }, {});
    assert.equal(transport.calls[0]!.body, 'metadata=');
    await assert.rejects(table.update({ rows: [{ key: { Id: 'cus_1' }, set: { Metadata: '[1]' } }] }, {}),
      (e: unknown) => e instanceof ColumnValueError && e.column === 'Metadata');
    assert.equal(transport.calls.length, 1);
  });

  test('nested JSON columns become bracket parameters', async () => {
    const { transport, table } = setup('Subscriptions');
    await table.update({ rows: [{ key: { Id: 'sub_1' }, set: { ItemsAggregate: '[{"id":"si_1","quantity":2},{"price":"price_2"}]' } }] }, {});
    assert.equal(transport.calls[0]!.body, 'items[0][id]=si_1&items[0][quantity]=2&items[1][price]=price_2');
  });
});

describe('Aggregate columns given a temporary table', () => {
  const rows: Record<string, Record<string, SqlValue>[]> = {
    'items#temp': [
      { Price: 'price_1', Quantity: 2, TaxRates: '["txr_1"]', Metadata: null },
      { Price: 'price_2', Quantity: 1, BillingThresholds: null },
    ],
  };
  const ctx: ExecContext = { resolveTempTable: (name) => rows[name.toLowerCase()] };

  test('its rows become the array parameter, column names in snake_case', async () => {
    const { transport, table } = setup('Subscriptions');
    await table.insertRows({ columns: ['CustomerId', 'ItemsAggregate'], rows: [['cus_1', 'Items#TEMP']] }, ctx);
    assert.equal(transport.calls[0]!.body,
      'customer=cus_1&items[0][price]=price_1&items[0][quantity]=2&items[0][tax_rates][0]=txr_1&items[1][price]=price_2&items[1][quantity]=1');
  });

  test('an unknown temporary table, or no resolver, is refused before any request', async () => {
    await refusedInsert('Subscriptions', ['CustomerId', 'ItemsAggregate'], ['cus_1', 'Other#TEMP'], 'ItemsAggregate', 'ItemsAggregate: no temporary table Other#TEMP', ctx);
    await refusedInsert('Subscriptions', ['CustomerId', 'ItemsAggregate'], ['cus_1', 'Items#TEMP'], 'ItemsAggregate', 'ItemsAggregate: no temporary table Items#TEMP');
  });
});

describe('a JSON column whose parameter takes a plain value', () => {
  test('PromotionCodes.Coupon takes a bare coupon id, or the same as JSON text', async () => {
    for (const coupon of ['SPRING25', '"SPRING25"']) {
      const { transport, table } = setup('PromotionCodes');
      await table.insertRows({ columns: ['Coupon', 'Code'], rows: [[coupon, 'HELLO']] }, {});
      assert.equal(transport.calls[0]!.body, 'coupon=SPRING25&code=HELLO');
    }
  });

  test('a column that takes an object or array still refuses text that is not JSON', async () => {
    await refusedInsert('Customers', ['Metadata'], ['plain'], 'Metadata', /^Metadata is not valid JSON/);
    await refusedInsert('Subscriptions', ['CustomerId', 'ItemsAggregate'], ['cus_1', 'price_1'], 'ItemsAggregate', /^ItemsAggregate is not valid JSON/);
  });
});
