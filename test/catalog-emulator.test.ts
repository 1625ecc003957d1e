// CheckoutSession against the local Stripe emulator, through a minimal fetch transport (the
// real StripeClient is tested on its own): the requests the table builds must be ones Stripe
// accepts, and the rows must be the emulator's objects.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkoutSessionTable } from '../src/catalog/overrides/checkout-session.js';
import { StripeTable } from '../src/catalog/stripe-table.js';
import type { ListPagesOptions, StripeTransport } from '../src/catalog/types.js';
import type { Row, ScanRequest } from '../src/engine/table.js';
import { encodeParams } from '../src/stripe/encode.js';
import { StripeApiError } from '../src/stripe/errors.js';
import type { StripeList, StripeParams, StripeRequest } from '../src/stripe/types.js';
import { CONNECTED_ACCOUNT, DEMO_API_KEY, startEmulator, type Emulator } from '../emulator/index.js';
import { pred, scanRequest } from './catalog-fake-transport.js';

class FetchTransport implements StripeTransport {
  constructor(private readonly baseUrl: string) {}

  async request<T>(req: StripeRequest): Promise<T> {
    const encoded = encodeParams(req.params ?? {});
    const post = req.method === 'POST';
    const url = `${this.baseUrl}${req.path}${!post && encoded ? `?${encoded}` : ''}`;
    const headers: Record<string, string> = { Authorization: `Bearer ${DEMO_API_KEY}` };
    if (req.accountId) headers['Stripe-Account'] = req.accountId;
    if (req.idempotencyKey) headers['Idempotency-Key'] = req.idempotencyKey;
    if (post) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method: req.method, headers, ...(post ? { body: encoded } : {}) });
    const json = (await response.json()) as { error?: { message: string; type: string; code?: string } };
    if (!response.ok) throw new StripeApiError({ message: json.error!.message, status: response.status, type: json.error!.type, ...(json.error!.code ? { code: json.error!.code } : {}) });
    return json as T;
  }

  async *listPages(path: string, params: StripeParams, opts: ListPagesOptions = {}): AsyncGenerator<StripeList> {
    let cursor: string | undefined;
    for (;;) {
      const page = await this.request<StripeList>({
        method: 'GET', path, params: { ...params, ...(cursor ? { starting_after: cursor } : {}) },
        ...(opts.accountId ? { accountId: opts.accountId } : {}),
      });
      yield page;
      if (!page.has_more || page.data.length === 0) return;
      cursor = page.data[page.data.length - 1]!.id;
    }
  }
}

let emulator: Emulator;
let table: StripeTable;
const col = (name: string) => table.columns.findIndex((c) => c.name === name);

async function rows(request: ScanRequest): Promise<Row[]> {
  const out: Row[] = [];
  for await (const row of table.scan(table.plan(request), {})) out.push(row);
  return out;
}

before(async () => {
  emulator = await startEmulator();
  table = new StripeTable(checkoutSessionTable, new FetchTransport(emulator.url));
});
after(() => emulator.close());

describe('CheckoutSession on the emulator', () => {
  test('an unfiltered scan returns every platform session, newest first', async () => {
    const expected = emulator.objects('checkout.session').map((s) => s.id);
    const got = await rows(scanRequest([]));
    assert.deepEqual(got.map((r) => r[col('Id')]), expected);
  });

  test('CustomerId and Status filters return exactly the matching sessions', async () => {
    const all = emulator.objects('checkout.session');
    const customer = all.find((s) => typeof s.customer === 'string')!.customer as string;
    const expected = all.filter((s) => s.customer === customer && s.status === 'complete').map((s) => s.id);
    emulator.clearLog();
    const got = await rows(scanRequest([pred('CustomerId', '=', customer), pred('Status', '=', 'complete')]));
    assert.deepEqual(got.map((r) => r[col('Id')]), expected);
    assert.ok(emulator.requestLog.every((r) => r.status === 200));
  });

  test('a Created range returns the sessions inside it', async () => {
    const all = emulator.objects('checkout.session');
    const created = all.map((s) => s.created as number).sort((a, b) => a - b);
    const low = created[Math.floor(created.length / 4)]!;
    const high = created[Math.floor((created.length * 3) / 4)]!;
    const expected = all.filter((s) => (s.created as number) > low && (s.created as number) <= high).map((s) => s.id);
    const got = await rows(scanRequest([pred('Created', '>', new Date(low * 1000)), pred('Created', '<=', new Date(high * 1000 + 500))]));
    assert.deepEqual(got.map((r) => r[col('Id')]), expected);
  });

  test('Id lookups: a hit, and a miss that is no row', async () => {
    const id = emulator.objects('checkout.session')[5]!.id as string;
    const got = await rows(scanRequest([pred('Id', 'IN', [id, 'cs_test_missing'])]));
    assert.deepEqual(got.map((r) => r[col('Id')]), [id]);
  });

  test('LineItemsAggregate holds every line item, more than one page included', async () => {
    const sessions = emulator.objects('checkout.session').slice(0, 20).map((s) => s.id as string);
    const got = await rows(scanRequest([pred('Id', 'IN', sessions)], { columns: ['Id', 'LineItemsAggregate'] }));
    for (const row of got) {
      const id = row[col('Id')] as string;
      const items: { id: string }[] = [];
      let cursor = '';
      for (;;) {
        const response = await fetch(`${emulator.url}/v1/checkout/sessions/${id}/line_items?limit=100${cursor}`, { headers: { Authorization: `Bearer ${DEMO_API_KEY}` } });
        const page = (await response.json()) as StripeList<{ id: string }>;
        items.push(...page.data);
        if (!page.has_more) break;
        cursor = `&starting_after=${page.data.at(-1)!.id}`;
      }
      assert.deepEqual((JSON.parse(row[col('LineItemsAggregate')] as string) as { id: string }[]).map((i) => i.id), items.map((i) => i.id), id);
    }
  });

  test('a session with more line items than one embedded page is completed from /line_items', async () => {
    const prices = emulator.objects('price').filter((p) => p.active === true && p.type === 'one_time' && p.currency === 'usd');
    const items = Array.from({ length: 12 }, (_, i) => ({ price: prices[i % prices.length]!.id, quantity: i + 1 }));
    const { lastInsertId } = await table.insert({ columns: ['Mode', 'SuccessUrl', 'LineItemsAggregate'], rows: [['payment', 'https://x.test/', JSON.stringify(items)]] }, {});
    emulator.clearLog();
    const [row] = await rows(scanRequest([pred('Id', '=', lastInsertId!)], { columns: ['LineItemsAggregate'] }));
    const got = JSON.parse(row![col('LineItemsAggregate')] as string) as { quantity: number }[];
    assert.deepEqual(got.map((i) => i.quantity), items.map((i) => i.quantity));
    const log = emulator.requestLog.map((r) => `${r.method} ${r.path}?${r.query}`);
    assert.equal(log.length, 2);
    assert.equal(log[0], `GET /v1/checkout/sessions/${lastInsertId}?expand[0]=line_items`);
    assert.match(log[1]!, new RegExp(`^GET /v1/checkout/sessions/${lastInsertId}/line_items\\?limit=100&starting_after=li_\\w+$`));
  });

  test('AccountId reads the connected account', async () => {
    const expected = emulator.objects('checkout.session', CONNECTED_ACCOUNT).map((s) => s.id);
    const got = await rows(scanRequest([pred('AccountId', '=', CONNECTED_ACCOUNT)]));
    assert.deepEqual(got.map((r) => r[col('Id')]), expected);
    assert.ok(got.every((r) => r[col('AccountId')] === CONNECTED_ACCOUNT));
  });

  test('the seed\'s INSERTs create sessions the emulator accepts', async () => {
    const first = await table.insert({
      columns: ['Mode', 'SuccessUrl', 'LineItemsAggregate'],
      rows: [['payment', 'https://example.com/success', '[{\\"price\\":\\"price_1OPuMb2eZvKYlo2CVkxTmqYN\\",\\"quantity\\":\\"23\\"}]']],
    }, {});
    const second = await table.insert({
      columns: ['Mode', 'SuccessUrl', 'Currency', 'CustomerId'],
      rows: [['setup', 'https://example.com/success', 'usd', 'cus_N8rO0qc7j1SJJ9']],
    }, {});
    assert.equal(first.rowsAffected, 1);
    const [created] = await rows(scanRequest([pred('Id', '=', first.lastInsertId!)], { columns: ['Id', 'LineItemsAggregate'] }));
    assert.equal(created![col('Mode')], 'payment');
    const items = JSON.parse(created![col('LineItemsAggregate')] as string) as { quantity: number; price: { id: string } }[];
    assert.deepEqual(items.map((i) => [i.price.id, i.quantity]), [['price_1OPuMb2eZvKYlo2CVkxTmqYN', 23]]);
    const [setup] = await rows(scanRequest([pred('Id', '=', second.lastInsertId!)]));
    assert.deepEqual([setup![col('Mode')], setup![col('CustomerId')], setup![col('Currency')]], ['setup', 'cus_N8rO0qc7j1SJJ9', 'usd']);
  });
});
