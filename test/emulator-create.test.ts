import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../emulator/client.js';
import { startEmulator, type Emulator } from '../emulator/index.js';

type Row = Record<string, any>;

const SUCCESS = 'success_url=https%3A%2F%2Fexample.com%2Fsuccess';

describe('emulator: creating and expiring checkout sessions', () => {
  let emulator: Emulator;
  let oneTime: Row;
  let recurring: Row;
  before(async () => {
    emulator = await startEmulator();
    const prices = emulator.objects('price');
    oneTime = prices.find((p) => p.type === 'one_time' && p.active && p.currency === 'usd')!;
    recurring = prices.find((p) => p.type === 'recurring' && p.currency === 'usd')!;
  });
  after(async () => {
    await emulator.close();
  });

  const create = (body: string, extra: { key?: string } = {}) => call(emulator, 'POST', '/v1/checkout/sessions', { body, ...extra });

  it('creates the reference page’s payment session with computed amounts', async () => {
    const before = Math.floor(Date.now() / 1000);
    const response = await create(
      `mode=payment&${SUCCESS}&line_items[0][price]=price_1OPuMb2eZvKYlo2CVkxTmqYN&line_items[0][quantity]=23`,
    );
    assert.equal(response.status, 200, JSON.stringify(response.json));
    const session = response.json;
    const price = emulator.objects('price').find((p) => p.id === 'price_1OPuMb2eZvKYlo2CVkxTmqYN')!;
    assert.match(session.id, /^cs_test_a1[A-Za-z0-9]{56}$/);
    assert.equal(session.object, 'checkout.session');
    assert.equal(session.status, 'open');
    assert.equal(session.payment_status, 'unpaid');
    assert.equal(session.mode, 'payment');
    assert.equal(session.amount_subtotal, (price.unit_amount as number) * 23);
    assert.equal(session.amount_total, (price.unit_amount as number) * 23);
    assert.equal(session.currency, 'usd');
    assert.equal(session.success_url, 'https://example.com/success');
    assert.equal(session.url, `https://checkout.stripe.com/c/pay/${session.id}`);
    assert.ok(session.created >= before && session.created <= before + 5);
    assert.equal(session.expires_at, session.created + 86400);
    assert.equal(session.customer_creation, 'if_required');
    assert.equal(session.line_items, undefined);
    assert.deepEqual(emulator.objects('checkout.session')[0], session);
    const items = await call(emulator, 'GET', `/v1/checkout/sessions/${session.id}/line_items`);
    assert.equal(items.json.data.length, 1);
    assert.equal(items.json.data[0].quantity, 23);
    assert.equal(items.json.data[0].price.id, price.id);
  });

  it('creates the reference page’s setup session for an existing customer', async () => {
    const response = await create(`mode=setup&${SUCCESS}&currency=usd&customer=cus_N8rO0qc7j1SJJ9`);
    assert.equal(response.status, 200, JSON.stringify(response.json));
    assert.equal(response.json.mode, 'setup');
    assert.equal(response.json.customer, 'cus_N8rO0qc7j1SJJ9');
    assert.equal(response.json.payment_status, 'no_payment_required');
    assert.equal(response.json.amount_total, null);
    assert.match(response.json.setup_intent, /^seti_/);
  });

  it('creates a subscription session and accepts price_data, metadata and expand', async () => {
    const response = await create(
      `mode=subscription&${SUCCESS}&line_items[0][price]=${recurring.id}&line_items[0][quantity]=2` +
        `&line_items[1][price_data][currency]=usd&line_items[1][price_data][unit_amount]=150` +
        `&line_items[1][price_data][product_data][name]=Setup%20fee&line_items[1][quantity]=1` +
        `&metadata[order]=42&client_reference_id=ref-1&expand[]=line_items`,
    );
    assert.equal(response.status, 200, JSON.stringify(response.json));
    assert.equal(response.json.amount_total, recurring.unit_amount * 2 + 150);
    assert.deepEqual(response.json.metadata, { order: '42' });
    assert.equal(response.json.client_reference_id, 'ref-1');
    assert.equal(response.json.payment_method_collection, 'always');
    assert.deepEqual(response.json.line_items.data.map((item: Row) => item.description), [
      emulator.objects('product').find((p) => p.id === recurring.product)!.name,
      'Setup fee',
    ]);
  });

  it('creates an embedded session with a client secret and no url', async () => {
    const response = await create(
      `mode=payment&ui_mode=embedded&return_url=https%3A%2F%2Fexample.com%2Freturn&line_items[0][price]=${oneTime.id}&line_items[0][quantity]=1`,
    );
    assert.equal(response.status, 200, JSON.stringify(response.json));
    assert.equal(response.json.url, null);
    assert.match(response.json.client_secret, new RegExp(`^${response.json.id}_secret_`));
    assert.equal(response.json.redirect_on_completion, 'always');
    assert.equal(response.json.return_url, 'https://example.com/return');
  });

  it('uses cs_live_ ids and livemode with a live key', async () => {
    const response = await create(`mode=payment&${SUCCESS}&line_items[0][price]=${oneTime.id}&line_items[0][quantity]=1`, { key: 'sk_live_abc' });
    assert.match(response.json.id, /^cs_live_a1/);
    assert.equal(response.json.livemode, true);
  });

  it('stores the writable nested settings the way the session object shows them', async () => {
    const response = await create(
      `mode=payment&${SUCCESS}&line_items[0][price]=${oneTime.id}&line_items[0][quantity]=1` +
        '&after_expiration[recovery][enabled]=true&after_expiration[recovery][allow_promotion_codes]=true' +
        '&automatic_tax[enabled]=true&automatic_tax[liability][type]=self' +
        '&custom_fields[0][key]=engraving&custom_fields[0][label][type]=custom&custom_fields[0][label][custom]=Engraving' +
        '&custom_fields[0][type]=text&custom_fields[0][text][maximum_length]=20' +
        '&custom_text[submit][message]=Thanks&phone_number_collection[enabled]=true' +
        '&payment_method_types[0]=card&payment_method_types[1]=link' +
        '&shipping_address_collection[allowed_countries][0]=US&shipping_address_collection[allowed_countries][1]=CA' +
        '&billing_address_collection=required&redirect_on_completion=never',
    );
    // redirect_on_completion is accepted by the spec for any ui_mode; the session shows it only when embedded.
    assert.equal(response.status, 200, JSON.stringify(response.json));
    const session = response.json;
    assert.deepEqual(session.after_expiration, { recovery: { allow_promotion_codes: true, enabled: true, expires_at: null, url: null } });
    assert.deepEqual(session.automatic_tax, { enabled: true, liability: { type: 'self' }, status: 'requires_location_inputs' });
    assert.deepEqual(session.custom_fields, [
      { key: 'engraving', label: { custom: 'Engraving', type: 'custom' }, optional: false, type: 'text', text: { maximum_length: 20, minimum_length: null, value: null } },
    ]);
    assert.deepEqual(session.custom_text, { after_submit: null, shipping_address: null, submit: { message: 'Thanks' }, terms_of_service_acceptance: null });
    assert.deepEqual(session.phone_number_collection, { enabled: true });
    assert.deepEqual(session.payment_method_types, ['card', 'link']);
    assert.deepEqual(session.shipping_address_collection, { allowed_countries: ['US', 'CA'] });
    assert.equal(session.billing_address_collection, 'required');
    assert.equal(session.redirect_on_completion, undefined);
    const expired = await call(emulator, 'POST', `/v1/checkout/sessions/${session.id}/expire`);
    assert.match(expired.json.after_expiration.recovery.url, /^https:\/\/buy\.stripe\.com\/r\/test_/);
  });

  const rejections: Array<[string, string, number, Partial<Row>]> = [
    ['mode is missing', `${SUCCESS}&line_items[0][price]=PRICE&line_items[0][quantity]=1`, 400,
      { code: 'parameter_missing', message: 'Missing required param: mode.', param: 'mode' }],
    ['success_url is missing', 'mode=payment&line_items[0][price]=PRICE&line_items[0][quantity]=1', 400,
      { code: 'parameter_missing', message: 'Missing required param: success_url.', param: 'success_url' }],
    ['line_items are missing in payment mode', `mode=payment&${SUCCESS}`, 400,
      { code: 'parameter_missing', message: 'Missing required param: line_items.', param: 'line_items' }],
    ['line_items are missing in subscription mode', `mode=subscription&${SUCCESS}`, 400,
      { code: 'parameter_missing', param: 'line_items' }],
    ['a quantity is missing', `mode=payment&${SUCCESS}&line_items[0][price]=PRICE`, 400,
      { code: 'parameter_missing', message: 'Missing required param: line_items[0][quantity].', param: 'line_items[0][quantity]' }],
    ['currency is missing in setup mode', `mode=setup&${SUCCESS}`, 400,
      { code: 'parameter_missing', message: 'Missing required param: currency.', param: 'currency' }],
    ['the price does not exist', `mode=payment&${SUCCESS}&line_items[0][price]=price_nope&line_items[0][quantity]=1`, 400,
      { code: 'resource_missing', message: "No such price: 'price_nope'", param: 'line_items[0][price]' }],
    ['the customer does not exist', `mode=payment&${SUCCESS}&customer=cus_nope&line_items[0][price]=PRICE&line_items[0][quantity]=1`, 400,
      { code: 'resource_missing', message: "No such customer: 'cus_nope'", param: 'customer' }],
    ['mode is not an enum value', `mode=buy&${SUCCESS}`, 400,
      { message: 'Invalid mode: must be one of payment, setup, or subscription', param: 'mode' }],
    ['a quantity is not an integer', `mode=payment&${SUCCESS}&line_items[0][price]=PRICE&line_items[0][quantity]=two`, 400,
      { code: 'parameter_invalid_integer', message: 'Invalid integer: two', param: 'line_items[0][quantity]' }],
    ['a line item has an unknown key', `mode=payment&${SUCCESS}&line_items[0][prices]=PRICE`, 400,
      { code: 'parameter_unknown', message: 'Received unknown parameter: line_items[0][prices]', param: 'line_items[0][prices]' }],
    ['success_url is empty', 'mode=payment&success_url=&line_items[0][price]=PRICE&line_items[0][quantity]=1', 400,
      { code: 'parameter_invalid_empty', param: 'success_url' }],
    ['setup_intent is sent (not a create parameter)', `mode=setup&${SUCCESS}&currency=usd&setup_intent=seti_1`, 400,
      { code: 'parameter_unknown', param: 'setup_intent' }],
  ];
  for (const [name, body, status, expected] of rejections) {
    it(`rejects a create where ${name}`, async () => {
      const count = emulator.objects('checkout.session').length;
      const response = await create(body.replace(/PRICE/g, oneTime.id));
      assert.equal(response.status, status);
      assert.equal(response.json.error.type, 'invalid_request_error');
      for (const [key, value] of Object.entries(expected)) assert.equal(response.json.error[key], value, key);
      assert.equal(emulator.objects('checkout.session').length, count, 'nothing created');
    });
  }

  it('rejects a recurring price in payment mode and a subscription without one', async () => {
    const payment = await create(`mode=payment&${SUCCESS}&line_items[0][price]=${recurring.id}&line_items[0][quantity]=1`);
    assert.equal(payment.status, 400);
    assert.equal(payment.json.error.param, 'line_items[0][price]');
    assert.match(payment.json.error.message, /^You specified `payment` mode but passed a recurring price/);
    const subscription = await create(`mode=subscription&${SUCCESS}&line_items[0][price]=${oneTime.id}&line_items[0][quantity]=1`);
    assert.equal(subscription.status, 400);
    assert.match(subscription.json.error.message, /at least one recurring price/);
  });

  it('expires an open session once, then refuses with Stripe’s message', async () => {
    const created = await create(`mode=payment&${SUCCESS}&line_items[0][price]=${oneTime.id}&line_items[0][quantity]=1`);
    const expired = await call(emulator, 'POST', `/v1/checkout/sessions/${created.json.id}/expire`);
    assert.equal(expired.status, 200);
    assert.equal(expired.json.status, 'expired');
    assert.equal(expired.json.url, null);
    const again = await call(emulator, 'POST', `/v1/checkout/sessions/${created.json.id}/expire`);
    assert.equal(again.status, 400);
    assert.equal(
      again.json.error.message,
      'Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of `expired`.',
    );
    const complete = emulator.objects('checkout.session').find((s) => s.status === 'complete')!;
    const completeAttempt = await call(emulator, 'POST', `/v1/checkout/sessions/${complete.id}/expire`);
    assert.match(completeAttempt.json.error.message, /has a status of `complete`\.$/);
    const missing = await call(emulator, 'POST', '/v1/checkout/sessions/cs_test_nope/expire');
    assert.equal(missing.status, 404);
  });
});

describe('emulator: writing customers, products and prices', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
  });

  it('creates, updates and deletes a customer; a deleted customer reads as a stub', async () => {
    const created = await call(emulator, 'POST', '/v1/customers', { body: 'name=Grace%20Hopper&email=grace%40example.com&metadata[team]=navy' });
    assert.equal(created.status, 200);
    assert.match(created.json.id, /^cus_[A-Za-z0-9]{14}$/);
    assert.equal(created.json.email, 'grace@example.com');
    assert.deepEqual(created.json.metadata, { team: 'navy' });
    assert.equal(created.json.balance, 0);
    const updated = await call(emulator, 'POST', `/v1/customers/${created.json.id}`, { body: 'phone=%2B15550001&metadata[team]=&metadata[rank]=admiral' });
    assert.equal(updated.json.phone, '+15550001');
    assert.deepEqual(updated.json.metadata, { rank: 'admiral' });
    const listed = await call(emulator, 'GET', '/v1/customers', { query: 'email=grace%40example.com' });
    assert.deepEqual(listed.json.data.map((c: Row) => c.id), [created.json.id]);
    const deleted = await call(emulator, 'DELETE', `/v1/customers/${created.json.id}`);
    assert.deepEqual(deleted.json, { id: created.json.id, object: 'customer', deleted: true });
    const after = await call(emulator, 'GET', `/v1/customers/${created.json.id}`);
    assert.deepEqual(after.json, { id: created.json.id, object: 'customer', deleted: true });
    const relisted = await call(emulator, 'GET', '/v1/customers', { query: 'email=grace%40example.com' });
    assert.deepEqual(relisted.json.data, []);
  });

  it('creates a product with a default price, and refuses to delete it while it has prices', async () => {
    const missingName = await call(emulator, 'POST', '/v1/products', { body: 'description=x' });
    assert.equal(missingName.json.error.message, 'Missing required param: name.');
    const created = await call(emulator, 'POST', '/v1/products', {
      body: 'name=Poster&default_price_data[currency]=eur&default_price_data[unit_amount]=1234&expand[]=default_price',
    });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    assert.equal(created.json.default_price.unit_amount, 1234);
    assert.equal(created.json.default_price.product, created.json.id);
    const refused = await call(emulator, 'DELETE', `/v1/products/${created.json.id}`);
    assert.equal(refused.status, 400);
    const bare = await call(emulator, 'POST', '/v1/products', { body: 'name=Bare' });
    const renamed = await call(emulator, 'POST', `/v1/products/${bare.json.id}`, { body: 'name=Renamed&active=false' });
    assert.equal(renamed.json.name, 'Renamed');
    assert.equal(renamed.json.active, false);
    const removed = await call(emulator, 'DELETE', `/v1/products/${bare.json.id}`);
    assert.equal(removed.json.deleted, true);
    const gone = await call(emulator, 'GET', `/v1/products/${bare.json.id}`);
    assert.equal(gone.status, 404);
  });

  it('creates and updates a recurring price', async () => {
    const product = emulator.objects('product')[0]!;
    const missing = await call(emulator, 'POST', '/v1/prices', { body: `product=${product.id}&unit_amount=100` });
    assert.equal(missing.json.error.message, 'Missing required param: currency.');
    const created = await call(emulator, 'POST', '/v1/prices', {
      body: `product=${product.id}&currency=usd&unit_amount=990&recurring[interval]=week`,
    });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    assert.equal(created.json.type, 'recurring');
    assert.deepEqual(created.json.recurring, { aggregate_usage: null, interval: 'week', interval_count: 1, meter: null, usage_type: 'licensed' });
    assert.equal(created.json.unit_amount_decimal, '990');
    const updated = await call(emulator, 'POST', `/v1/prices/${created.json.id}`, { body: 'active=false&nickname=Weekly' });
    assert.equal(updated.json.active, false);
    assert.equal(updated.json.nickname, 'Weekly');
    const refused = await call(emulator, 'POST', `/v1/prices/${created.json.id}`, { body: 'unit_amount=5' });
    assert.equal(refused.json.error.message, 'Received unknown parameter: unit_amount');
  });
});
