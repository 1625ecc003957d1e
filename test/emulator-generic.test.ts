import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../emulator/client.js';
import { startEmulator, type Emulator } from '../emulator/index.js';

type Row = Record<string, any>;

// Filters, defaults, writes and search on resources served from the generated metadata.

describe('emulator: generic resources', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
  });

  async function listAll(path: string, query = ''): Promise<Row[]> {
    const rows: Row[] = [];
    let cursor = '';
    for (;;) {
      const page = await call(emulator, 'GET', path, { query: `limit=100${query ? `&${query}` : ''}${cursor ? `&starting_after=${cursor}` : ''}` });
      assert.equal(page.status, 200, JSON.stringify(page.json));
      rows.push(...page.json.data);
      if (!page.json.has_more) return rows;
      cursor = page.json.data[page.json.data.length - 1].id;
    }
  }
  const ids = (rows: Row[]) => rows.map((row) => row.id).sort();

  it('filters by equality on a reference (charges?customer=)', async () => {
    const customer = emulator.objects('charge').find((charge) => charge.customer)!.customer as string;
    const rows = await listAll('/v1/charges', `customer=${customer}`);
    const expected = emulator.objects('charge').filter((charge) => charge.customer === customer);
    assert.ok(expected.length > 0);
    assert.deepEqual(ids(rows), ids(expected));
  });

  it('filters by a created range', async () => {
    const from = Date.UTC(2024, 2, 1) / 1000;
    const to = Date.UTC(2024, 3, 1) / 1000;
    const rows = await listAll('/v1/payment_intents', `created[gte]=${from}&created[lt]=${to}`);
    const expected = emulator.objects('payment_intent').filter((pi) => (pi.created as number) >= from && (pi.created as number) < to);
    assert.ok(expected.length > 0 && expected.length < emulator.objects('payment_intent').length);
    assert.deepEqual(ids(rows), ids(expected));
    assert.ok(rows.every((row, i) => i === 0 || rows[i - 1]!.created >= row.created), 'newest first');
  });

  it('filters by a boolean', async () => {
    const inactive = await listAll('/v1/promotion_codes', 'active=false');
    assert.deepEqual(inactive.map((row) => row.code), ['TEAMSTART']);
    const active = await listAll('/v1/promotion_codes', 'active=true');
    assert.equal(active.length, 3);
    const bad = await call(emulator, 'GET', '/v1/promotion_codes', { query: 'active=maybe' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.param, 'active');
  });

  it('filters by parent path parameters', async () => {
    const refund = emulator.objects('refund')[0]!;
    const refunds = await listAll(`/v1/charges/${refund.charge}/refunds`);
    assert.deepEqual(ids(refunds), ids(emulator.objects('refund').filter((row) => row.charge === refund.charge)));
    const pm = emulator.objects('payment_method')[0]!;
    const methods = await listAll(`/v1/customers/${pm.customer}/payment_methods`);
    assert.deepEqual(methods.map((row) => row.id), [pm.id].concat(emulator.objects('payment_method').filter((row) => row.customer === pm.customer && row.id !== pm.id).map((row) => row.id)));
    const lines = await listAll(`/v1/invoices/${emulator.objects('invoice')[0]!.id}/lines`);
    assert.ok(lines.length > 0 && lines.every((line) => line.invoice === emulator.objects('invoice')[0]!.id));
  });

  it('filters on a nested object parameter (automatic_tax[enabled])', async () => {
    const rows = await listAll('/v1/subscriptions', 'automatic_tax[enabled]=true&status=all');
    assert.equal(rows.length, 0);
    const off = await listAll('/v1/subscriptions', 'automatic_tax[enabled]=false&status=all');
    assert.equal(off.length, emulator.objects('subscription').length);
  });

  it('hides canceled subscriptions unless a status asks for them', async () => {
    const all = emulator.objects('subscription');
    const canceled = all.filter((sub) => sub.status === 'canceled');
    const ended = all.filter((sub) => sub.status === 'canceled' || sub.status === 'incomplete_expired');
    assert.ok(canceled.length > 0);
    assert.deepEqual(ids(await listAll('/v1/subscriptions')), ids(all.filter((sub) => sub.status !== 'canceled')));
    assert.deepEqual(ids(await listAll('/v1/subscriptions', 'status=all')), ids(all));
    assert.deepEqual(ids(await listAll('/v1/subscriptions', 'status=canceled')), ids(canceled));
    assert.deepEqual(ids(await listAll('/v1/subscriptions', 'status=ended')), ids(ended));
    const bad = await call(emulator, 'GET', '/v1/subscriptions', { query: 'status=sleeping' });
    assert.equal(bad.status, 400);
  });

  it('lists subscriptions by price through their items', async () => {
    const sub = emulator.objects('subscription').find((row) => row.status === 'active')!;
    const price = (sub.items as Row).data[0].price.id as string;
    const rows = await listAll('/v1/subscriptions', `price=${price}`);
    assert.ok(rows.some((row) => row.id === sub.id));
    assert.ok(rows.every((row) => row.items.data.some((item: Row) => item.price.id === price)));
  });

  it('matches event types exactly, by wildcard, and from a list', async () => {
    const events = emulator.objects('event');
    const exact = await listAll('/v1/events', 'type=charge.refunded');
    assert.deepEqual(ids(exact), ids(events.filter((event) => event.type === 'charge.refunded')));
    assert.ok(exact.length > 0);
    const wildcard = await listAll('/v1/events', 'type=charge.*');
    assert.deepEqual(ids(wildcard), ids(events.filter((event) => (event.type as string).startsWith('charge.'))));
    assert.ok(wildcard.length > exact.length);
    const several = await listAll('/v1/events', 'types[]=invoice.paid&types[]=customer.created');
    assert.deepEqual(ids(several), ids(events.filter((event) => event.type === 'invoice.paid' || event.type === 'customer.created')));
    const event = events.find((row) => row.type === 'invoice.paid')!;
    assert.equal((event.data as Row).object.object, 'invoice');
    assert.equal(event.created, (event.data as Row).object.created);
  });

  it('creates, updates, retrieves and deletes a coupon', async () => {
    const created = await call(emulator, 'POST', '/v1/coupons', { body: 'percent_off=10&duration=once&name=Ten&metadata[team]=growth' });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    assert.equal(created.json.object, 'coupon');
    assert.equal(created.json.percent_off, 10);
    assert.equal(created.json.name, 'Ten');
    assert.deepEqual(created.json.metadata, { team: 'growth' });
    const id = created.json.id as string;
    const updated = await call(emulator, 'POST', `/v1/coupons/${id}`, { body: 'name=Ten+percent&metadata[team]=' });
    assert.equal(updated.json.name, 'Ten percent');
    assert.deepEqual(updated.json.metadata, {});
    const fetched = await call(emulator, 'GET', `/v1/coupons/${id}`);
    assert.deepEqual(fetched.json, updated.json);
    const deleted = await call(emulator, 'DELETE', `/v1/coupons/${id}`);
    assert.deepEqual(deleted.json, { id, object: 'coupon', deleted: true });
    assert.equal((await call(emulator, 'GET', `/v1/coupons/${id}`)).status, 404);
    const named = await call(emulator, 'POST', '/v1/coupons', { body: 'id=HALF&percent_off=50&duration=once' });
    assert.equal(named.json.id, 'HALF');
  });

  it('validates create parameters: unknown, required, enum', async () => {
    const unknown = await call(emulator, 'POST', '/v1/tax_rates', { body: 'display_name=VAT&inclusive=false&percentage=20&colour=red' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.error.code, 'parameter_unknown');
    assert.equal(unknown.json.error.param, 'colour');
    const missing = await call(emulator, 'POST', '/v1/tax_rates', { body: 'display_name=VAT&inclusive=false' });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error.code, 'parameter_missing');
    assert.equal(missing.json.error.param, 'percentage');
    const badEnum = await call(emulator, 'POST', '/v1/coupons', { body: 'percent_off=5&duration=sometimes' });
    assert.equal(badEnum.status, 400);
    assert.equal(badEnum.json.error.param, 'duration');
    const made = await call(emulator, 'POST', '/v1/tax_rates', { body: 'display_name=VAT&inclusive=false&percentage=20' });
    assert.equal(made.status, 200);
    assert.equal(made.json.percentage, 20);
    assert.match(made.json.id, /^txr_/);
  });

  it('creates a nested object under its parent and checks references', async () => {
    const customer = emulator.objects('customer')[3]!.id as string;
    const item = await call(emulator, 'POST', '/v1/invoiceitems', { body: `customer=${customer}&amount=700&currency=usd&description=Setup+fee` });
    assert.equal(item.status, 200, JSON.stringify(item.json));
    assert.equal(item.json.customer, customer);
    assert.equal(item.json.amount, 700);
    const pending = await listAll('/v1/invoiceitems', `customer=${customer}&pending=true`);
    assert.ok(pending.some((row) => row.id === item.json.id));
    const missing = await call(emulator, 'POST', '/v1/invoiceitems', { body: 'customer=cus_nobody&amount=700&currency=usd' });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error.message, "No such customer: 'cus_nobody'");
    const taxId = await call(emulator, 'POST', `/v1/customers/${customer}/tax_ids`, { body: 'type=eu_vat&value=DE123456789' });
    assert.equal(taxId.status, 200, JSON.stringify(taxId.json));
    const listed = await listAll(`/v1/customers/${customer}/tax_ids`);
    assert.deepEqual(listed.map((row) => row.value), ['DE123456789']);
  });

  it('includes nested lists on request (charge.refunds, customer.subscriptions)', async () => {
    const refund = emulator.objects('refund')[0]!;
    const plain = await call(emulator, 'GET', `/v1/charges/${refund.charge}`);
    assert.equal('refunds' in plain.json, false);
    const charge = await call(emulator, 'GET', `/v1/charges/${refund.charge}`, { query: 'expand[]=refunds' });
    assert.equal(charge.json.refunds.object, 'list');
    assert.equal(charge.json.refunds.url, `/v1/charges/${refund.charge}/refunds`);
    assert.deepEqual(charge.json.refunds.data.map((row: Row) => row.id), [refund.id]);
    const sub = emulator.objects('subscription').find((row) => row.status === 'active')!;
    const customer = await call(emulator, 'GET', `/v1/customers/${sub.customer}`, { query: 'expand[]=subscriptions' });
    const expected = emulator.objects('subscription').filter((row) => row.customer === sub.customer && row.status !== 'canceled');
    assert.deepEqual(customer.json.subscriptions.data.map((row: Row) => row.id), expected.map((row) => row.id));
  });

  it('expands references to seeded objects', async () => {
    const charge = emulator.objects('charge').find((row) => row.customer && row.payment_intent)!;
    const response = await call(emulator, 'GET', `/v1/charges/${charge.id}`, { query: 'expand[]=customer&expand[]=payment_intent' });
    assert.equal(response.json.customer.id, charge.customer);
    assert.equal(response.json.customer.object, 'customer');
    assert.equal(response.json.payment_intent.id, charge.payment_intent);
    assert.equal(response.json.payment_intent.latest_charge, charge.id);
  });
});
