// The emulator answers every read the SQL tables make: singletons at fixed paths, objects
// Stripe only reads by id, and children that match the filter their list is read with.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../emulator/client.js';
import { CONNECTED_ACCOUNT, startEmulator, type Emulator } from '../emulator/index.js';
import { METER_SUMMARY_START } from '../emulator/seed-walkable.js';

type Row = Record<string, any>;

describe('emulator: every table can read', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
  });

  it('GET /v1/balance adds up the settled and pending balance transactions per currency', async () => {
    const { status, json } = await call(emulator, 'GET', '/v1/balance');
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(json), ['object', 'available', 'connect_reserved', 'livemode', 'pending']);
    assert.equal(json.object, 'balance');
    assert.equal(json.livemode, false);
    const settled = new Map<string, number>();
    for (const txn of emulator.objects('balance_transaction')) {
      if (txn.status === 'available') settled.set(txn.currency as string, (settled.get(txn.currency as string) ?? 0) + (txn.net as number));
    }
    assert.ok(settled.size > 0, 'the seed has settled transactions');
    assert.deepEqual(
      json.available,
      [...settled.keys()].sort().map((currency) => ({ amount: settled.get(currency), currency, source_types: { card: settled.get(currency) } })),
    );
    assert.deepEqual(json.connect_reserved, json.available.map((a: Row) => ({ amount: 0, currency: a.currency })));
    assert.ok(json.pending.some((p: Row) => p.currency === 'usd'));
  });

  it('a balance is per account, and livemode follows the key', async () => {
    const platform = await call(emulator, 'GET', '/v1/balance');
    const connected = await call(emulator, 'GET', '/v1/balance', { account: CONNECTED_ACCOUNT });
    assert.equal(connected.status, 200);
    assert.notDeepEqual(connected.json.available, platform.json.available);
    const live = await call(emulator, 'GET', '/v1/balance', { key: 'sk_live_emulator_demo_0000' });
    assert.equal(live.json.livemode, true);
  });

  it('GET /v1/tax/settings is an active tax.settings object', async () => {
    const { status, json } = await call(emulator, 'GET', '/v1/tax/settings');
    assert.equal(status, 200);
    assert.equal(json.object, 'tax.settings');
    assert.equal(json.status, 'active');
    assert.deepEqual(json.status_details, { active: {} });
    assert.equal(json.head_office.address.country, 'US');
    assert.deepEqual(Object.keys(json.defaults), ['tax_behavior', 'tax_code']);
  });

  it("GET /v1/customers/{id}/cash_balance is the customer's cash balance; an unknown customer is a 404", async () => {
    const ok = await call(emulator, 'GET', '/v1/customers/cus_N8rO0qc7j1SJJ9/cash_balance');
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json, {
      object: 'cash_balance',
      available: { usd: 0 },
      customer: 'cus_N8rO0qc7j1SJJ9',
      livemode: false,
      settings: { reconciliation_mode: 'automatic', using_merchant_default: true },
    });
    const missing = await call(emulator, 'GET', '/v1/customers/cus_nope/cash_balance');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error.message, "No such customer: 'cus_nope'");
  });

  it('seeds objects Stripe only reads by id: card and bank account tokens, mandates, settlements, confirmation tokens', async () => {
    const tokens = emulator.objects('token');
    assert.deepEqual(tokens.map((t) => t.type).sort(), ['bank_account', 'card', 'card']);
    const card = tokens.find((t) => t.type === 'card')!;
    const read = await call(emulator, 'GET', `/v1/tokens/${card.id as string}`);
    assert.equal(read.status, 200);
    assert.equal(read.json.card.object, 'card');
    assert.equal(read.json.card.brand, 'Visa');
    for (const [type, path] of [['mandate', '/v1/mandates'], ['issuing.settlement', '/v1/issuing/settlements'], ['confirmation_token', '/v1/confirmation_tokens']] as const) {
      const objects = emulator.objects(type);
      assert.equal(objects.length, 3, type);
      const one = await call(emulator, 'GET', `${path}/${objects[0]!.id as string}`);
      assert.equal(one.status, 200, type);
      assert.equal(one.json.object, type);
    }
  });

  it("children listed by a parent filter name a listed parent: treasury, value list items, financial connections", async () => {
    for (const [childPath, param, parentType] of [
      ['/v1/treasury/transactions', 'financial_account', 'treasury.financial_account'],
      ['/v1/treasury/received_credits', 'financial_account', 'treasury.financial_account'],
      ['/v1/radar/value_list_items', 'value_list', 'radar.value_list'],
      ['/v1/financial_connections/transactions', 'account', 'financial_connections.account'],
    ] as const) {
      const parent = emulator.objects(parentType)[0]!;
      const list = await call(emulator, 'GET', childPath, { query: `${param}=${parent.id as string}` });
      assert.equal(list.status, 200, childPath);
      assert.ok(list.json.data.length >= 1, `${childPath} under the newest ${parentType}`);
      assert.ok(list.json.data.every((row: Row) => row[param] === parent.id), childPath);
    }
  });

  it('tax registrations: status=all lists every registration, a status lists its own', async () => {
    const all = await call(emulator, 'GET', '/v1/tax/registrations', { query: 'status=all' });
    assert.equal(all.json.data.length, emulator.objects('tax.registration').length);
    const expired = await call(emulator, 'GET', '/v1/tax/registrations', { query: 'status=expired' });
    assert.deepEqual(expired.json.data, []);
  });

  it("financial connections owners belong to their account's ownership", async () => {
    const account = emulator.objects('financial_connections.account').find((a) => a.ownership !== null)!;
    assert.match(account.ownership as string, /^fcaowns_/);
    const path = `/v1/financial_connections/accounts/${account.id as string}/owners`;
    const owners = await call(emulator, 'GET', path, { query: `ownership=${account.ownership as string}` });
    assert.equal(owners.status, 200);
    assert.ok(owners.json.data.length >= 1);
    assert.ok(owners.json.data.every((owner: Row) => owner.ownership === account.ownership));
    const other = await call(emulator, 'GET', path, { query: 'ownership=fcaowns_other' });
    assert.deepEqual(other.json.data, []);
  });

  it('meter event summaries are daily and selected by the [start_time, end_time) window', async () => {
    const meter = emulator.objects('billing.meter')[0]!;
    const path = `/v1/billing/meters/${meter.id as string}/event_summaries`;
    const day = 86_400;
    const all = await call(emulator, 'GET', path, { query: `customer=cus_N8rO0qc7j1SJJ9&start_time=${METER_SUMMARY_START}&end_time=${METER_SUMMARY_START + 30 * day}` });
    assert.equal(all.status, 200);
    assert.equal(all.json.data.length, 3);
    for (const summary of all.json.data as Row[]) {
      assert.equal(summary.end_time - summary.start_time, day);
      assert.equal(summary.meter, meter.id);
    }
    const first = await call(emulator, 'GET', path, { query: `customer=cus_N8rO0qc7j1SJJ9&start_time=${METER_SUMMARY_START}&end_time=${METER_SUMMARY_START + day}` });
    assert.deepEqual(first.json.data.map((s: Row) => s.start_time), [METER_SUMMARY_START]);
  });

  it('tax calculation line items are read under their calculation; an unknown one is a 404', async () => {
    const calculations = emulator.objects('tax.calculation');
    assert.equal(calculations.length, 2);
    const [newest, older] = calculations as [Row, Row];
    const lines = await call(emulator, 'GET', `/v1/tax/calculations/${newest.id}/line_items`, { query: 'limit=2' });
    assert.equal(lines.status, 200);
    assert.equal(lines.json.url, `/v1/tax/calculations/${newest.id}/line_items`);
    assert.equal(lines.json.data.length, 2);
    assert.equal(lines.json.has_more, true);
    assert.ok(lines.json.data.every((line: Row) => line.object === 'tax.calculation_line_item'));
    const rest = await call(emulator, 'GET', `/v1/tax/calculations/${newest.id}/line_items`, { query: `starting_after=${lines.json.data[1].id}` });
    assert.equal(rest.json.data.length, 1);
    const olderLines = await call(emulator, 'GET', `/v1/tax/calculations/${older.id}/line_items`);
    const newestIds = new Set([...lines.json.data, ...rest.json.data].map((line: Row) => line.id));
    assert.ok(olderLines.json.data.every((line: Row) => !newestIds.has(line.id)), 'each calculation has its own lines');
    const missing = await call(emulator, 'GET', '/v1/tax/calculations/taxcalc_nope/line_items');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error.message, "No such tax.calculation: 'taxcalc_nope'");
  });
});
