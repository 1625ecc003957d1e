import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../emulator/client.js';
import { startEmulator, type Emulator } from '../emulator/index.js';

type Row = Record<string, any>;

const SESSION_FIELDS = [
  'id', 'object', 'after_expiration', 'allow_promotion_codes', 'amount_subtotal', 'amount_total', 'automatic_tax',
  'billing_address_collection', 'cancel_url', 'client_reference_id', 'client_secret', 'consent', 'consent_collection',
  'created', 'currency', 'currency_conversion', 'custom_fields', 'custom_text', 'customer', 'customer_creation',
  'customer_details', 'customer_email', 'expires_at', 'invoice', 'invoice_creation', 'livemode', 'locale', 'metadata',
  'mode', 'payment_intent', 'payment_link', 'payment_method_collection', 'payment_method_configuration_details',
  'payment_method_options', 'payment_method_types', 'payment_status', 'phone_number_collection', 'recovered_from',
  'saved_payment_method_options', 'setup_intent', 'shipping_address_collection', 'shipping_cost', 'shipping_details',
  'shipping_options', 'status', 'submit_type', 'subscription', 'success_url', 'tax_id_collection', 'total_details',
  'ui_mode', 'url',
];

describe('emulator: retrieving checkout sessions and their line items', () => {
  let emulator: Emulator;
  let sessions: Row[];
  before(async () => {
    emulator = await startEmulator();
    sessions = emulator.objects('checkout.session');
  });
  after(async () => {
    await emulator.close();
  });

  it('retrieves a session with every 2024-04-10 field', async () => {
    const session = sessions[7]!;
    const response = await call(emulator, 'GET', `/v1/checkout/sessions/${session.id}`);
    assert.equal(response.status, 200);
    assert.deepEqual(Object.keys(response.json).sort(), [...SESSION_FIELDS].sort());
    assert.deepEqual(response.json, session);
  });

  it('answers 404 resource_missing for an unknown id', async () => {
    const response = await call(emulator, 'GET', '/v1/checkout/sessions/cs_test_missing');
    assert.equal(response.status, 404);
    assert.deepEqual(response.json, {
      error: {
        code: 'resource_missing',
        doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
        message: "No such checkout.session: 'cs_test_missing'",
        param: 'id',
        type: 'invalid_request_error',
      },
    });
  });

  it('embeds line_items with expand[]=line_items, prices inside', async () => {
    const session = sessions.find((s) => s.mode === 'payment')!;
    const response = await call(emulator, 'GET', `/v1/checkout/sessions/${session.id}`, { query: 'expand[]=line_items' });
    const items = response.json.line_items;
    assert.equal(items.object, 'list');
    assert.ok(items.data.length >= 1);
    for (const item of items.data) {
      assert.match(item.id, /^li_/);
      assert.equal(item.object, 'item');
      assert.equal(item.price.object, 'price');
      assert.equal(item.amount_subtotal, item.price.unit_amount * item.quantity);
      assert.equal(item.currency, session.currency);
      const product = emulator.objects('product').find((p) => p.id === item.price.product)!;
      assert.equal(item.description, product.name);
    }
    assert.equal(items.data.reduce((sum: number, item: Row) => sum + item.amount_total, 0), session.amount_total);
  });

  it('expands nested paths such as line_items.data.price.product', async () => {
    const session = sessions.find((s) => s.mode === 'payment')!;
    const response = await call(emulator, 'GET', `/v1/checkout/sessions/${session.id}`, {
      query: 'expand[]=line_items.data.price.product&expand[]=customer',
    });
    assert.equal(response.json.line_items.data[0].price.product.object, 'product');
    if (session.customer) assert.equal(response.json.customer.id, session.customer);
  });

  it('pages GET /v1/checkout/sessions/{id}/line_items', async () => {
    const session = sessions.find((s) => s.mode === 'payment' && s.payment_link === null && s.amount_total > 0)!;
    const full = await call(emulator, 'GET', `/v1/checkout/sessions/${session.id}/line_items`);
    assert.equal(full.status, 200);
    assert.equal(full.json.url, `/v1/checkout/sessions/${session.id}/line_items`);
    const count = full.json.data.length;
    const first = await call(emulator, 'GET', `/v1/checkout/sessions/${session.id}/line_items`, { query: 'limit=1' });
    assert.equal(first.json.data.length, 1);
    assert.equal(first.json.has_more, count > 1);
    if (count > 1) {
      const second = await call(emulator, 'GET', `/v1/checkout/sessions/${session.id}/line_items`, {
        query: `limit=1&starting_after=${first.json.data[0].id}`,
      });
      assert.equal(second.json.data[0].id, full.json.data[1].id);
    }
    const missing = await call(emulator, 'GET', '/v1/checkout/sessions/cs_test_missing/line_items');
    assert.equal(missing.status, 404);
  });

  it('returns an empty line item list for a setup session', async () => {
    const setup = sessions.find((s) => s.mode === 'setup')!;
    const response = await call(emulator, 'GET', `/v1/checkout/sessions/${setup.id}/line_items`);
    assert.deepEqual(response.json.data, []);
    assert.equal(setup.amount_total, null);
    assert.match(setup.setup_intent, /^seti_/);
  });

  it('retrieves customers, products and prices, with 404s named after the object', async () => {
    for (const [type, path] of [['customer', '/v1/customers'], ['product', '/v1/products'], ['price', '/v1/prices']] as const) {
      const object = emulator.objects(type)[0]!;
      const found = await call(emulator, 'GET', `${path}/${object.id}`);
      assert.deepEqual(found.json, object);
      const missing = await call(emulator, 'GET', `${path}/nope_1`);
      assert.equal(missing.status, 404);
      assert.equal(missing.json.error.message, `No such ${type}: 'nope_1'`);
    }
  });

  it('expands a price’s product', async () => {
    const price = emulator.objects('price')[0]!;
    const response = await call(emulator, 'GET', `/v1/prices/${price.id}`, { query: 'expand[]=product' });
    assert.equal(response.json.product.id, price.product);
    assert.equal(response.json.product.object, 'product');
  });

  it('serves the ids quoted in the reference documentation', async () => {
    const customer = await call(emulator, 'GET', '/v1/customers/cus_N8rO0qc7j1SJJ9');
    assert.equal(customer.status, 200);
    const price = await call(emulator, 'GET', '/v1/prices/price_1OPuMb2eZvKYlo2CVkxTmqYN');
    assert.equal(price.json.type, 'one_time');
    const sessionsOfCustomer = await call(emulator, 'GET', '/v1/checkout/sessions', { query: 'customer=cus_N8rO0qc7j1SJJ9' });
    assert.ok(sessionsOfCustomer.json.data.length > 0);
  });
});
