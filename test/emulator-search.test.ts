import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../emulator/client.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { parseSearchQuery } from '../emulator/search.js';

type Row = Record<string, any>;

describe('emulator: search', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
  });

  const search = (path: string, query: string, extra = '') =>
    call(emulator, 'GET', path, { query: `query=${encodeURIComponent(query)}${extra}` });

  it('parses clauses, negation, metadata keys and joiners', () => {
    assert.deepEqual(parseSearchQuery(`email:'a@b.c' AND -metadata["k"]:"v" AND created>=5`), {
      joiner: 'AND',
      clauses: [
        { negated: false, field: 'email', operator: ':', value: 'a@b.c', isNull: false },
        { negated: true, field: 'metadata', metadataKey: 'k', operator: ':', value: 'v', isNull: false },
        { negated: false, field: 'created', operator: '>=', value: '5', isNull: false },
      ],
    });
  });

  it('finds customers by exact email, in the search_result envelope', async () => {
    const customer = emulator.objects('customer')[3]!;
    const response = await search('/v1/customers/search', `email:'${customer.email}'`);
    assert.equal(response.status, 200);
    assert.deepEqual(response.json, {
      object: 'search_result',
      data: [customer],
      has_more: false,
      next_page: null,
      url: '/v1/customers/search',
    });
  });

  it('matches name substrings case-insensitively and pages with next_page', async () => {
    const customers = emulator.objects('customer');
    const name = (customers[0]!.name as string).split(' ')[1]!;
    const expected = customers.filter((c) => (c.name as string).toLowerCase().includes(name.toLowerCase())).map((c) => c.id);
    assert.ok(expected.length >= 2, 'a shared surname');
    const seen: string[] = [];
    let page = '';
    for (;;) {
      const response = await search('/v1/customers/search', `name~"${name.toUpperCase()}"`, `&limit=1${page ? `&page=${page}` : ''}`);
      seen.push(...response.json.data.map((c: Row) => c.id));
      if (!response.json.has_more) break;
      page = response.json.next_page;
    }
    assert.deepEqual(seen, expected);
  });

  it('combines clauses with OR and with AND, and reports total_count on request', async () => {
    const prices = emulator.objects('price');
    const or = await search('/v1/prices/search', `currency:'eur' OR type:'recurring'`, '&limit=100&expand[]=total_count');
    const expectedOr = prices.filter((p) => p.currency === 'eur' || p.type === 'recurring').map((p) => p.id);
    assert.deepEqual(or.json.data.map((p: Row) => p.id), expectedOr);
    assert.equal(or.json.total_count, expectedOr.length);
    const and = await search('/v1/prices/search', `active:'true' AND currency:'usd' AND -type:'recurring'`, '&limit=100');
    assert.deepEqual(
      and.json.data.map((p: Row) => p.id),
      prices.filter((p) => p.active && p.currency === 'usd' && p.type !== 'recurring').map((p) => p.id),
    );
  });

  it('searches products by metadata and customers by created range', async () => {
    const products = await search('/v1/products/search', `metadata['category']:'subscription'`, '&limit=100');
    assert.deepEqual(
      products.json.data.map((p: Row) => p.id),
      emulator.objects('product').filter((p) => (p.metadata as Row).category === 'subscription').map((p) => p.id),
    );
    const created = await search('/v1/customers/search', 'created>1705000000', '&limit=100');
    assert.deepEqual(
      created.json.data.map((c: Row) => c.id),
      emulator.objects('customer').filter((c) => (c.created as number) > 1705000000).map((c) => c.id),
    );
  });

  it('rejects a missing query, unsupported fields and mixed joiners', async () => {
    const missing = await call(emulator, 'GET', '/v1/customers/search');
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error.message, 'Missing required param: query.');
    const field = await search('/v1/customers/search', `city:'Paris'`);
    assert.equal(field.status, 400);
    assert.equal(field.json.error.param, 'query');
    assert.match(field.json.error.message, /^Field 'city' is an unsupported search field for resource customers\./);
    const mixed = await search('/v1/customers/search', `name:'a' AND email:'b' OR phone:'c'`);
    assert.equal(mixed.status, 400);
    const page = await search('/v1/customers/search', `name:'a'`, '&page=garbage');
    assert.equal(page.json.error.param, 'page');
  });
});
