import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../emulator/client.js';
import { startEmulator, type Emulator } from '../emulator/index.js';

type Row = Record<string, any>;

function isNewestFirst(rows: Row[]): boolean {
  for (let i = 1; i < rows.length; i++) {
    const [a, b] = [rows[i - 1]!, rows[i]!];
    if (a.created < b.created) return false;
    if (a.created === b.created && a.id <= b.id) return false;
  }
  return true;
}

describe('emulator: listing checkout sessions', () => {
  let emulator: Emulator;
  let all: Row[];
  before(async () => {
    emulator = await startEmulator();
    all = emulator.objects('checkout.session');
  });
  after(async () => {
    await emulator.close();
  });

  async function listAll(query: string): Promise<Row[]> {
    const rows: Row[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await call(emulator, 'GET', '/v1/checkout/sessions', {
        query: ['limit=100', query, cursor ? `starting_after=${cursor}` : ''].filter(Boolean).join('&'),
      });
      assert.equal(page.status, 200, JSON.stringify(page.json));
      rows.push(...page.json.data);
      if (!page.json.has_more) return rows;
      cursor = page.json.data.at(-1).id;
    }
  }

  it('seeds enough data of every kind', () => {
    assert.ok(all.length >= 320);
    assert.deepEqual(new Set(all.map((s) => s.status)), new Set(['open', 'complete', 'expired']));
    assert.ok(new Set(all.filter((s) => s.customer).map((s) => s.customer)).size >= 25);
    assert.ok(all.some((s) => s.customer === null && s.customer_details?.email));
    assert.ok(all.some((s) => typeof s.payment_link === 'string' && s.payment_link.startsWith('plink_')));
    assert.ok(all.some((s) => s.mode === 'subscription' && s.subscription?.startsWith('sub_')));
    assert.ok(all.filter((s) => s.status === 'complete' && s.mode === 'payment').every((s) => s.payment_intent?.startsWith('pi_')));
    assert.ok(all.every((s) => /^cs_test_a1[A-Za-z0-9]{56}$/.test(s.id)));
    assert.ok(all.every((s) => s.created >= 1704067200 && s.created < 1719792000));
    assert.ok(new Set(all.map((s) => s.created)).size < all.length, 'some sessions share a created second');
    assert.ok(emulator.objects('customer').length >= 30);
    assert.ok(emulator.objects('product').length >= 12);
    const prices = emulator.objects('price');
    assert.ok(prices.length >= 20);
    assert.deepEqual(new Set(prices.map((p) => p.type)), new Set(['one_time', 'recurring']));
    assert.deepEqual(new Set(prices.map((p) => p.currency)), new Set(['usd', 'eur']));
  });

  it('returns 10 newest sessions by default, in Stripe’s list envelope', async () => {
    const response = await call(emulator, 'GET', '/v1/checkout/sessions');
    assert.equal(response.status, 200);
    assert.deepEqual(Object.keys(response.json), ['object', 'data', 'has_more', 'url']);
    assert.equal(response.json.object, 'list');
    assert.equal(response.json.url, '/v1/checkout/sessions');
    assert.equal(response.json.has_more, true);
    assert.deepEqual(response.json.data.map((s: Row) => s.id), all.slice(0, 10).map((s) => s.id));
    assert.ok(isNewestFirst(all));
    assert.equal(response.json.data[0].line_items, undefined, 'line_items only when expanded');
  });

  it('pages through every session exactly once with limit=100 and starting_after', async () => {
    emulator.clearLog();
    const rows = await listAll('');
    assert.equal(rows.length, all.length);
    assert.equal(new Set(rows.map((r) => r.id)).size, all.length);
    assert.ok(isNewestFirst(rows));
    assert.equal(emulator.requestLog.length, Math.ceil(all.length / 100));
    assert.equal(emulator.requestLog[0]!.query, 'limit=100');
    assert.equal(emulator.requestLog[1]!.query, `limit=100&starting_after=${rows[99]!.id}`);
  });

  it('pages backwards with ending_before', async () => {
    const pivot = all[25]!;
    const response = await call(emulator, 'GET', '/v1/checkout/sessions', { query: `limit=5&ending_before=${pivot.id}` });
    assert.deepEqual(response.json.data.map((s: Row) => s.id), all.slice(20, 25).map((s) => s.id));
    assert.equal(response.json.has_more, true);
    const first = await call(emulator, 'GET', '/v1/checkout/sessions', { query: `limit=5&ending_before=${all[3]!.id}` });
    assert.deepEqual(first.json.data.map((s: Row) => s.id), all.slice(0, 3).map((s) => s.id));
    assert.equal(first.json.has_more, false);
  });

  it('rejects an unknown cursor with resource_missing', async () => {
    const response = await call(emulator, 'GET', '/v1/checkout/sessions', { query: 'starting_after=cs_test_nope' });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json.error, {
      code: 'resource_missing',
      doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
      message: "No such checkout.session: 'cs_test_nope'",
      param: 'starting_after',
      type: 'invalid_request_error',
    });
  });

  it('validates limit as Stripe does', async () => {
    const zero = await call(emulator, 'GET', '/v1/checkout/sessions', { query: 'limit=0' });
    assert.equal(zero.status, 400);
    assert.equal(zero.json.error.message, 'This value must be greater than or equal to 1.');
    assert.equal(zero.json.error.param, 'limit');
    const big = await call(emulator, 'GET', '/v1/checkout/sessions', { query: 'limit=101' });
    assert.equal(big.json.error.message, 'This value must be less than or equal to 100.');
    const text = await call(emulator, 'GET', '/v1/checkout/sessions', { query: 'limit=ten' });
    assert.equal(text.status, 400);
    assert.equal(text.json.error.message, 'Invalid integer: ten');
    assert.equal(text.json.error.code, 'parameter_invalid_integer');
  });

  it('rejects unknown parameters, nested ones included', async () => {
    const top = await call(emulator, 'GET', '/v1/checkout/sessions', { query: 'foo=1' });
    assert.equal(top.status, 400);
    assert.deepEqual(top.json.error, {
      code: 'parameter_unknown',
      doc_url: 'https://stripe.com/docs/error-codes/parameter-unknown',
      message: 'Received unknown parameter: foo',
      param: 'foo',
      type: 'invalid_request_error',
    });
    const nested = await call(emulator, 'GET', '/v1/checkout/sessions', { query: 'customer_details[name]=x' });
    assert.equal(nested.json.error.message, 'Received unknown parameter: customer_details[name]');
    const camel = await call(emulator, 'GET', '/v1/checkout/sessions', { query: 'customerId=cus_1' });
    assert.equal(camel.json.error.param, 'customerId');
  });

  it('rejects a status outside the enum', async () => {
    const response = await call(emulator, 'GET', '/v1/checkout/sessions', { query: 'status=paid' });
    assert.equal(response.status, 400);
    assert.equal(response.json.error.message, 'Invalid status: must be one of complete, expired, or open');
    assert.equal(response.json.error.param, 'status');
  });

  const filters: Array<[string, (sessions: Row[]) => [string, (s: Row) => boolean]]> = [
    ['customer', (sessions) => {
      const id = sessions.find((s) => s.customer)!.customer;
      return [`customer=${id}`, (s) => s.customer === id];
    }],
    ['customer_details[email]', (sessions) => {
      const email = sessions.find((s) => s.customer === null && s.customer_details?.email)!.customer_details.email;
      return [`customer_details[email]=${encodeURIComponent(email)}`, (s) => s.customer_details?.email === email];
    }],
    ['payment_intent', (sessions) => {
      const pi = sessions.find((s) => s.payment_intent)!.payment_intent;
      return [`payment_intent=${pi}`, (s) => s.payment_intent === pi];
    }],
    ['payment_link', (sessions) => {
      const link = sessions.find((s) => s.payment_link)!.payment_link;
      return [`payment_link=${link}`, (s) => s.payment_link === link];
    }],
    ['status', () => ['status=open', (s) => s.status === 'open']],
    ['subscription', (sessions) => {
      const sub = sessions.find((s) => s.subscription)!.subscription;
      return [`subscription=${sub}`, (s) => s.subscription === sub];
    }],
    ['created (integer)', (sessions) => {
      const created = sessions.find((s, i) => sessions[i + 1]?.created === s.created)!.created;
      return [`created=${created}`, (s) => s.created === created];
    }],
    ['created[gte]', () => ['created[gte]=1714521600', (s) => s.created >= 1714521600]],
    ['created[gt] and created[lt]', () => ['created[gt]=1709251200&created[lt]=1711929600', (s) => s.created > 1709251200 && s.created < 1711929600]],
    ['created[lte] with status', () => ['created[lte]=1709251200&status=complete', (s) => s.created <= 1709251200 && s.status === 'complete']],
  ];
  for (const [name, make] of filters) {
    it(`filters by ${name}`, async () => {
      const [query, predicate] = make(all);
      const expected = all.filter(predicate).map((s) => s.id);
      assert.ok(expected.length > 0 && expected.length < all.length, `${name} must select a proper subset`);
      const rows = await listAll(query);
      assert.deepEqual(rows.map((r) => r.id), expected);
    });
  }

  it('finds nothing for a customer without sessions, with has_more false', async () => {
    const idle = emulator.objects('customer').find((c) => !all.some((s) => s.customer === c.id))!;
    const response = await call(emulator, 'GET', '/v1/checkout/sessions', { query: `customer=${idle.id}` });
    assert.deepEqual(response.json, { object: 'list', data: [], has_more: false, url: '/v1/checkout/sessions' });
  });

  it('embeds line_items with expand[]=data.line_items, in both array spellings', async () => {
    for (const query of ['limit=3&expand[]=data.line_items', 'limit=3&expand[0]=data.line_items']) {
      const response = await call(emulator, 'GET', '/v1/checkout/sessions', { query });
      assert.equal(response.status, 200);
      for (const session of response.json.data) {
        assert.equal(session.line_items.object, 'list');
        assert.equal(session.line_items.url, `/v1/checkout/sessions/${session.id}/line_items`);
        if (session.mode !== 'setup') {
          const sum = session.line_items.data.reduce((total: number, item: Row) => total + item.amount_total, 0);
          assert.equal(sum, session.amount_total);
        }
      }
    }
  });

  it('expands data.customer and rejects paths that cannot expand', async () => {
    const response = await call(emulator, 'GET', '/v1/checkout/sessions', { query: `customer=${all.find((s) => s.customer)!.customer}&limit=1&expand[]=data.customer` });
    assert.equal(response.json.data[0].customer.object, 'customer');
    const bad = await call(emulator, 'GET', '/v1/checkout/sessions', { query: 'expand[]=line_items' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json.error, {
      message: "This property cannot be expanded (line_items). You may want to try expanding 'data.line_items' instead.",
      type: 'invalid_request_error',
    });
    const notExpandable = await call(emulator, 'GET', '/v1/checkout/sessions', { query: 'expand[]=data.metadata' });
    assert.equal(notExpandable.json.error.message, 'This property cannot be expanded (metadata).');
    const tooDeep = await call(emulator, 'GET', '/v1/checkout/sessions', { query: 'expand[]=data.line_items.data.price.product.default_price' });
    assert.equal(tooDeep.json.error.message, 'You cannot expand more than 4 levels of a property.');
  });
});

describe('emulator: listing customers, products and prices', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
  });

  it('filters customers by email', async () => {
    const customer = emulator.objects('customer')[5]!;
    const response = await call(emulator, 'GET', '/v1/customers', { query: `email=${encodeURIComponent(customer.email as string)}` });
    assert.deepEqual(response.json.data.map((c: Row) => c.id), [customer.id]);
  });

  it('filters prices by product, active, currency, type and recurring interval', async () => {
    const prices = emulator.objects('price');
    const product = prices[0]!.product as string;
    const cases: Array<[string, (p: Row) => boolean]> = [
      [`product=${product}`, (p) => p.product === product],
      ['active=false', (p) => p.active === false],
      ['currency=eur', (p) => p.currency === 'eur'],
      ['type=recurring', (p) => p.type === 'recurring'],
      ['recurring[interval]=year', (p) => p.recurring?.interval === 'year'],
    ];
    for (const [query, predicate] of cases) {
      const response = await call(emulator, 'GET', '/v1/prices', { query: `limit=100&${query}` });
      const expected = prices.filter(predicate).map((p) => p.id);
      assert.ok(expected.length > 0, query);
      assert.deepEqual(response.json.data.map((p: Row) => p.id), expected, query);
    }
    const bad = await call(emulator, 'GET', '/v1/prices', { query: 'active=yes' });
    assert.equal(bad.json.error.message, 'Invalid boolean: yes');
  });

  it('filters products by ids and shippable', async () => {
    const products = emulator.objects('product');
    const ids = [products[1]!.id, products[4]!.id];
    const byIds = await call(emulator, 'GET', '/v1/products', { query: `ids[]=${ids[0]}&ids[]=${ids[1]}` });
    assert.deepEqual(byIds.json.data.map((p: Row) => p.id), ids);
    const shippable = await call(emulator, 'GET', '/v1/products', { query: 'limit=100&shippable=true' });
    assert.deepEqual(shippable.json.data.map((p: Row) => p.id), products.filter((p) => p.shippable === true).map((p) => p.id));
  });
});

describe('emulator: lists whose spec takes no limit nor cursor', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ seed: true });
  });
  after(async () => {
    await emulator.close();
  });

  it('answer the whole list in one page, and refuse limit and cursors as Stripe refuses unknown parameters', async () => {
    const account = emulator.objects('account')[0]!.id as string;
    for (const path of [`/v1/accounts/${account}/capabilities`, '/v1/reporting/report_types']) {
      const whole = await call(emulator, 'GET', path);
      assert.equal(whole.status, 200, JSON.stringify(whole.json));
      assert.equal(whole.json.has_more, false);
      for (const param of ['limit=3', 'starting_after=x', 'ending_before=x']) {
        const refused = await call(emulator, 'GET', path, { query: param });
        const name = param.split('=')[0];
        assert.equal(refused.status, 400, `${path}?${param}`);
        assert.deepEqual(refused.json.error, {
          code: 'parameter_unknown',
          doc_url: 'https://stripe.com/docs/error-codes/parameter-unknown',
          message: `Received unknown parameter: ${name}`,
          param: name,
          type: 'invalid_request_error',
        });
      }
    }
    // expand is the one standard parameter they take.
    assert.equal((await call(emulator, 'GET', `/v1/accounts/${account}/capabilities`, { query: 'expand[]=data.account' })).status, 200);
  });
});
