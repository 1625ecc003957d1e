import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../emulator/client.js';
import { PLATFORM_ACCOUNT, startEmulator, type Emulator } from '../emulator/index.js';
import { buildSeed } from '../emulator/seed.js';
import { Store } from '../emulator/store.js';

type Row = Record<string, any>;

// The seeded world hangs together (every reference points at a seeded object), comes out
// the same on every start, and answers Stripe's search language on the searchable resources.

describe('emulator: seeded world', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
  });

  const ids = (type: string) => new Set(emulator.objects(type).map((row) => row.id as string));
  const search = (path: string, query: string) => call(emulator, 'GET', `${path}/search`, { query: `limit=100&query=${encodeURIComponent(query)}` });

  it('seeds every main resource', () => {
    for (const type of ['customer', 'product', 'price', 'payment_intent', 'charge', 'refund', 'invoice', 'invoiceitem', 'subscription', 'subscription_item', 'checkout.session', 'payment_link', 'coupon', 'promotion_code', 'dispute', 'payout', 'balance_transaction', 'event', 'setup_intent', 'payment_method']) {
      assert.ok(emulator.objects(type).length >= 4, `${type}: ${emulator.objects(type).length}`);
    }
  });

  it('keeps references consistent', () => {
    const customers = ids('customer');
    const pis = ids('payment_intent');
    const charges = ids('charge');
    const subs = ids('subscription');
    const invoices = ids('invoice');
    const txns = ids('balance_transaction');
    const coupons = ids('coupon');
    const setupIntents = ids('setup_intent');
    const links = ids('payment_link');
    const prices = ids('price');
    for (const charge of emulator.objects('charge')) {
      assert.ok(pis.has(charge.payment_intent as string), `charge ${charge.id} → ${charge.payment_intent}`);
      if (charge.customer) assert.ok(customers.has(charge.customer as string));
      if (charge.balance_transaction) assert.ok(txns.has(charge.balance_transaction as string));
      if (charge.invoice) assert.ok(invoices.has(charge.invoice as string));
    }
    for (const pi of emulator.objects('payment_intent')) if (pi.latest_charge) assert.ok(charges.has(pi.latest_charge as string));
    for (const refund of emulator.objects('refund')) assert.ok(charges.has(refund.charge as string));
    for (const dispute of emulator.objects('dispute')) assert.ok(charges.has(dispute.charge as string));
    for (const invoice of emulator.objects('invoice')) {
      assert.ok(customers.has(invoice.customer as string));
      if (invoice.subscription) assert.ok(subs.has(invoice.subscription as string), `invoice ${invoice.id} → ${invoice.subscription}`);
      if (invoice.payment_intent) assert.ok(pis.has(invoice.payment_intent as string));
      assert.equal(invoice.total, (invoice.lines as Row).data.reduce((sum: number, line: Row) => sum + line.amount, 0));
    }
    for (const sub of emulator.objects('subscription')) {
      assert.ok(customers.has(sub.customer as string));
      if (sub.latest_invoice) assert.ok(invoices.has(sub.latest_invoice as string));
      for (const item of (sub.items as Row).data) assert.ok(prices.has(item.price.id));
    }
    for (const item of emulator.objects('subscription_item')) assert.ok(subs.has(item.subscription as string));
    for (const code of emulator.objects('promotion_code')) assert.ok(coupons.has((code.coupon as Row).id));
    for (const session of emulator.objects('checkout.session')) {
      if (session.payment_intent) assert.ok(pis.has(session.payment_intent as string), `session → ${session.payment_intent}`);
      if (session.subscription) assert.ok(subs.has(session.subscription as string));
      if (session.invoice) assert.ok(invoices.has(session.invoice as string));
      if (session.setup_intent) assert.ok(setupIntents.has(session.setup_intent as string));
      if (session.payment_link) assert.ok(links.has(session.payment_link as string));
    }
    const sources = new Set([...charges, ...ids('refund'), ...ids('payout')]);
    for (const txn of emulator.objects('balance_transaction')) assert.ok(sources.has(txn.source as string), `txn ${txn.id} → ${txn.source}`);
  });

  it('builds the same world from scratch every time', () => {
    const first = new Store();
    const second = new Store();
    buildSeed(first);
    buildSeed(second);
    for (const type of ['charge', 'invoice', 'subscription', 'event', 'coupon', 'tax_rate', 'issuing.card', 'account', 'checkout.session']) {
      assert.deepEqual(first.list(PLATFORM_ACCOUNT, type), second.list(PLATFORM_ACCOUNT, type), type);
      assert.deepEqual(first.list(PLATFORM_ACCOUNT, type).map((row) => structuredClone(row)), emulator.objects(type), type);
    }
  });

  it('keeps each emulator\'s changes to itself', async () => {
    const other = await startEmulator();
    try {
      const charge = emulator.objects('charge')[0]!;
      const updated = await call(other, 'POST', `/v1/charges/${charge.id}`, { body: 'description=changed' });
      assert.equal(updated.json.description, 'changed');
      assert.equal((await call(emulator, 'GET', `/v1/charges/${charge.id}`)).json.description, charge.description);
      await call(other, 'DELETE', '/v1/coupons/SPRING25');
      assert.equal((await call(emulator, 'GET', '/v1/coupons/SPRING25')).status, 200);
    } finally {
      await other.close();
    }
  });

  it('is deterministic across starts', async () => {
    const again = await startEmulator();
    try {
      for (const type of ['charge', 'invoice', 'subscription', 'event', 'coupon', 'tax_rate', 'issuing.card', 'account']) {
        assert.deepEqual(again.objects(type), emulator.objects(type), type);
      }
    } finally {
      await again.close();
    }
  });

  it('searches charges', async () => {
    const response = await search('/v1/charges', "status:'succeeded' AND amount>5000");
    assert.equal(response.status, 200);
    const expected = emulator.objects('charge').filter((row) => row.status === 'succeeded' && (row.amount as number) > 5000);
    assert.ok(expected.length > 0);
    assert.deepEqual(response.json.data.map((row: Row) => row.id).sort(), expected.slice(0, 100).map((row) => row.id).sort());
    assert.equal(response.json.has_more, expected.length > 100);
    const refunded = await search('/v1/charges', 'refunded:"true"');
    assert.ok(refunded.json.data.length > 0 && refunded.json.data.every((row: Row) => row.refunded === true));
    const bad = await search('/v1/charges', "colour:'red'");
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.param, 'query');
  });

  it('searches customers by metadata and substring', async () => {
    const response = await search('/v1/customers', "metadata['segment']:'enterprise' OR email~'ada.'");
    const expected = emulator.objects('customer').filter((row) => (row.metadata as Row).segment === 'enterprise' || (row.email as string).includes('ada.'));
    assert.ok(expected.length > 0);
    assert.deepEqual(response.json.data.map((row: Row) => row.id).sort(), expected.map((row) => row.id).sort());
  });

  it('searches invoices with negation', async () => {
    const response = await search('/v1/invoices', "-status:'paid' AND total>0");
    const expected = emulator.objects('invoice').filter((row) => row.status !== 'paid' && (row.total as number) > 0);
    assert.ok(expected.length > 0);
    assert.deepEqual(response.json.data.map((row: Row) => row.id).sort(), expected.map((row) => row.id).sort());
  });

  it('searches payment intents by customer and status', async () => {
    const pi = emulator.objects('payment_intent').find((row) => row.customer)!;
    const response = await search('/v1/payment_intents', `customer:'${pi.customer}' AND status:'${pi.status}'`);
    const expected = emulator.objects('payment_intent').filter((row) => row.customer === pi.customer && row.status === pi.status);
    assert.deepEqual(response.json.data.map((row: Row) => row.id).sort(), expected.map((row) => row.id).sort());
  });

  it('searches prices and products', async () => {
    const prices = await search('/v1/prices', "type:'recurring' AND currency:'eur'");
    const expectedPrices = emulator.objects('price').filter((row) => row.type === 'recurring' && row.currency === 'eur');
    assert.deepEqual(prices.json.data.map((row: Row) => row.id).sort(), expectedPrices.map((row) => row.id).sort());
    const products = await search('/v1/products', "name~'plan'");
    assert.deepEqual(products.json.data.map((row: Row) => row.name).sort(), ['Enterprise Plan', 'Pro Plan', 'Starter Plan', 'Team Plan']);
  });

  it('searches subscriptions, including canceled ones', async () => {
    const response = await search('/v1/subscriptions', "status:'canceled' OR status:'past_due'");
    const expected = emulator.objects('subscription').filter((row) => row.status === 'canceled' || row.status === 'past_due');
    assert.ok(expected.some((row) => row.status === 'canceled'));
    assert.deepEqual(response.json.data.map((row: Row) => row.id).sort(), expected.map((row) => row.id).sort());
    const total = await call(emulator, 'GET', '/v1/subscriptions/search', { query: `query=${encodeURIComponent("status:'active'")}&expand[]=total_count` });
    assert.equal(total.json.total_count, emulator.objects('subscription').filter((row) => row.status === 'active').length);
  });
});
