import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkoutSessionTable } from '../src/catalog/overrides/checkout-session.js';
import { StripeTable } from '../src/catalog/stripe-table.js';
import { ColumnValueError, type SqlValue } from '../src/engine/table.js';
import { FakeTransport } from './catalog-fake-transport.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function setup() {
  const transport = new FakeTransport();
  return { transport, table: new StripeTable(checkoutSessionTable, transport, { accountId: 'acct_Conn' }) };
}

describe('the seed\'s INSERT statements', () => {
  test('payment mode with line items written with \\" inside the JSON text', async () => {
    const { transport, table } = setup();
    const result = await table.insert({
      columns: ['Mode', 'SuccessUrl', 'LineItemsAggregate'],
      rows: [['payment', 'https://example.com/success', '[{\\"price\\":\\"price_1OPuMb2eZvKYlo2CVkxTmqYN\\",\\"quantity\\":\\"23\\"}]']],
    }, {});
    assert.deepEqual(result, { rowsAffected: 1, lastInsertId: 'cs_test_created1' });
    assert.equal(transport.calls.length, 1);
    const [call] = transport.calls;
    assert.equal(call!.line, 'POST /v1/checkout/sessions');
    assert.equal(call!.body,
      'mode=payment&success_url=https%3A%2F%2Fexample.com%2Fsuccess&line_items[0][price]=price_1OPuMb2eZvKYlo2CVkxTmqYN&line_items[0][quantity]=23');
    assert.match(call!.idempotencyKey!, UUID);
    assert.equal(call!.accountId, undefined);
  });

  test('setup mode with currency and customer', async () => {
    const { transport, table } = setup();
    const result = await table.insert({
      columns: ['Mode', 'SuccessUrl', 'Currency', 'CustomerId'],
      rows: [['setup', 'https://example.com/success', 'usd', 'cus_N8rO0qc7j1SJJ9']],
    }, {});
    assert.deepEqual(result, { rowsAffected: 1, lastInsertId: 'cs_test_created1' });
    assert.equal(transport.calls[0]!.body, 'mode=setup&success_url=https%3A%2F%2Fexample.com%2Fsuccess&currency=usd&customer=cus_N8rO0qc7j1SJJ9');
  });
});

describe('building create parameters', () => {
  test('booleans, datetimes, nested paths, JSON arrays and objects, NULLs omitted, statement order kept', async () => {
    const { transport, table } = setup();
    await table.insert({
      columns: ['SuccessUrl', 'Mode', 'AfterExpirationRecoveryEnabled', 'Metadata', 'ExpiresAt', 'CancelUrl',
        'AfterExpirationRecoveryAllowPromotionCodes', 'PaymentMethodTypes', 'ShippingAddressCollectionAllowedCountries', 'CustomTextSubmitMessage'],
      rows: [['https://x.test/ok', 'setup', true, '{"order":"42","note":"a b"}', new Date('2024-01-01T00:30:00.900Z'), null,
        false, '["card","link"]', '["DE","FR"]', 'Thanks & bye']],
    }, {});
    assert.equal(transport.calls[0]!.body, [
      'success_url=https%3A%2F%2Fx.test%2Fok',
      'mode=setup',
      'after_expiration[recovery][enabled]=true',
      'after_expiration[recovery][allow_promotion_codes]=false',
      'metadata[order]=42',
      'metadata[note]=a%20b',
      'expires_at=1704069000',
      'payment_method_types[0]=card',
      'payment_method_types[1]=link',
      'shipping_address_collection[allowed_countries][0]=DE',
      'shipping_address_collection[allowed_countries][1]=FR',
      'custom_text[submit][message]=Thanks%20%26%20bye',
    ].join('&'));
  });

  test('column names are matched case-insensitively', async () => {
    const { transport, table } = setup();
    await table.insert({ columns: ['mode', 'successurl'], rows: [['setup', 'https://x.test/']] }, {});
    assert.equal(transport.calls[0]!.body, 'mode=setup&success_url=https%3A%2F%2Fx.test%2F');
  });

  test('AccountId sends that row to its account, one POST per row, each with its own idempotency key', async () => {
    const { transport, table } = setup();
    const result = await table.insert({
      columns: ['Mode', 'SuccessUrl', 'AccountId'],
      rows: [['setup', 'https://x.test/1', 'acct_A'], ['setup', 'https://x.test/2', null]],
    }, {});
    assert.deepEqual(result, { rowsAffected: 2, lastInsertId: 'cs_test_created2' });
    assert.deepEqual(transport.calls.map((c) => [c.body, c.accountId]), [
      ['mode=setup&success_url=https%3A%2F%2Fx.test%2F1', 'acct_A'],
      ['mode=setup&success_url=https%3A%2F%2Fx.test%2F2', undefined],
    ]);
    assert.notEqual(transport.calls[0]!.idempotencyKey, transport.calls[1]!.idempotencyKey);
  });

  test('valid JSON containing \\" is kept as it stands', async () => {
    const { transport, table } = setup();
    await table.insert({ columns: ['Mode', 'SuccessUrl', 'Metadata'], rows: [['setup', 'https://x.test/', '{"quote":"say \\"hi\\""}']] }, {});
    assert.equal(transport.calls[0]!.body, 'mode=setup&success_url=https%3A%2F%2Fx.test%2F&metadata[quote]=say%20%22hi%22');
  });
});

describe('rejections send nothing', () => {
  const cases: [string, string[], SqlValue[][], string, RegExp, number?][] = [
    ['Mode missing', ['SuccessUrl'], [['https://x.test/']], 'Mode', /Mode is required/],
    ['SuccessUrl NULL', ['Mode', 'SuccessUrl'], [['setup', null]], 'SuccessUrl', /SuccessUrl is required/],
    ['line items missing in payment mode', ['Mode', 'SuccessUrl'], [['payment', 'https://x.test/']], 'LineItemsAggregate', /LineItemsAggregate is required when Mode is 'payment'/],
    ['line items missing in subscription mode', ['Mode', 'SuccessUrl'], [['subscription', 'https://x.test/']], 'LineItemsAggregate', /required when Mode is 'subscription'/],
    ['SetupIntent has no create parameter', ['Mode', 'SuccessUrl', 'SetupIntent'], [['setup', 'https://x.test/', 'seti_1']], 'SetupIntent', /SetupIntent cannot be set when creating a CheckoutSession/],
    ['a read-only column', ['Mode', 'SuccessUrl', 'Status'], [['setup', 'https://x.test/', 'open']], 'Status', /Status is read-only/],
    ['an unknown column', ['Mode', 'SuccessUrl', 'Colour'], [['setup', 'https://x.test/', 'red']], 'Colour', /has no column Colour/],
    ['invalid JSON', ['Mode', 'SuccessUrl', 'LineItemsAggregate'], [['payment', 'https://x.test/', '[{price:1}]']], 'LineItemsAggregate', /LineItemsAggregate is not valid JSON/],
    ['an object where an array belongs', ['Mode', 'SuccessUrl', 'LineItemsAggregate'], [['payment', 'https://x.test/', '{"price":"p"}']], 'LineItemsAggregate', /must be a JSON array/],
    ['an array where an object belongs', ['Mode', 'SuccessUrl', 'Metadata'], [['setup', 'https://x.test/', '["a"]']], 'Metadata', /must be a JSON object/],
    ['a JSON scalar for CustomFields', ['Mode', 'SuccessUrl', 'CustomFields'], [['setup', 'https://x.test/', '42']], 'CustomFields', /must be a JSON array/],
    ['an array for PaymentMethodOptions', ['Mode', 'SuccessUrl', 'PaymentMethodOptions'], [['setup', 'https://x.test/', '[]']], 'PaymentMethodOptions', /must be a JSON object/],
    ['a string for PaymentMethodTypes', ['Mode', 'SuccessUrl', 'PaymentMethodTypes'], [['setup', 'https://x.test/', '"card"']], 'PaymentMethodTypes', /must be a JSON array/],
    ['a string for ShippingAddressCollectionAllowedCountries', ['Mode', 'SuccessUrl', 'ShippingAddressCollectionAllowedCountries'], [['setup', 'https://x.test/', 'DE']], 'ShippingAddressCollectionAllowedCountries', /not valid JSON/],
    ['a bad second row stops the first from being sent', ['Mode', 'SuccessUrl'], [['setup', 'https://x.test/'], ['payment', 'https://x.test/']], 'LineItemsAggregate', /required/, 1],
  ];
  for (const [name, columns, rows, column, message, rowIndex] of cases) {
    test(name, async () => {
      const { transport, table } = setup();
      await assert.rejects(table.insert({ columns, rows }, {}), (error: unknown) => {
        assert.ok(error instanceof ColumnValueError, String(error));
        assert.equal(error.column, column);
        assert.match(error.message, message);
        if (rowIndex !== undefined) assert.equal(error.rowIndex, rowIndex);
        return true;
      });
      assert.deepEqual(transport.calls, []);
    });
  }
});
