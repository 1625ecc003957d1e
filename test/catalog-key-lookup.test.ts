// Table.keyLookup on Stripe tables: how a lookup join's inner table is fetched by key, and what
// a batch of keys costs, answered from the same pushdown as any query.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableDefs } from '../src/catalog/index.js';
import { StripeTable, type StripeTableOptions } from '../src/catalog/stripe-table.js';
import type { StripeTransport } from '../src/catalog/types.js';
import { FakeTransport, pred, scanRequest } from './catalog-fake-transport.js';

/** A transport that can search (the table then may read through Stripe's search). */
function searching(): StripeTransport {
  const transport = new FakeTransport();
  return Object.assign(transport, { searchPages: async function* () {} }) as unknown as StripeTransport;
}

function table(name: string, options: StripeTableOptions = {}, transport: StripeTransport = searching()): StripeTable {
  return new StripeTable(tableDefs.find((d) => d.name === name)!, transport, options);
}

const request = (...predicates: ReturnType<typeof pred>[]) => scanRequest(predicates, { columns: ['Id', 'Email'] });

test('by Id: a batch in one IN, a retrieve per key', () => {
  const lookup = table('Customers').keyLookup(request(), 'Id', 100)!;
  assert.equal(lookup.op, 'IN');
  assert.equal(lookup.requestsPerFetch, 100);
  assert.deepEqual(lookup.describe(), ['StripeScan Customers: GET /v1/customers/{Id}', 'pushed: Id IN (…)']);
  assert.equal(table('Customers').keyLookup(request(), 'id', 10)!.requestsPerFetch, 10, 'column names are case-insensitive');
});

test('every named account multiplies the requests', () => {
  const lookup = table('Customers').keyLookup(request(pred('AccountId', 'IN', ['acct_1', 'acct_2'])), 'Id', 100)!;
  assert.equal(lookup.requestsPerFetch, 200);
  assert.deepEqual(lookup.describe(), ['StripeScan Customers: GET /v1/customers/{Id}', "pushed: AccountId IN ('acct_1', 'acct_2') AND Id IN (…)", 'account: acct_1, acct_2, 2 read at once']);
});

test('by a list filter: a list per key, with `=` where an IN would go to the loose, lagging search', () => {
  const bySearch = table('Charges').keyLookup(request(), 'CustomerId', 100)!;
  assert.equal(bySearch.op, '=');
  assert.equal(bySearch.requestsPerFetch, 1);
  assert.equal(bySearch.describe()[0], 'StripeScan Charges: GET /v1/charges?customer={CustomerId}&limit=100');
  const listOnly = table('Charges', { useSearch: 'never' }).keyLookup(request(), 'CustomerId', 100)!;
  assert.equal(listOnly.op, 'IN');
  assert.equal(listOnly.requestsPerFetch, 100);
  const noSearch = table('Charges', {}, new FakeTransport()).keyLookup(request(), 'CustomerId', 50)!;
  assert.deepEqual([noSearch.op, noSearch.requestsPerFetch], ['IN', 50]);
});

test('no lookup by a column Stripe does not filter, filters to a fixed set of values, or that is not text', () => {
  assert.equal(table('Customers').keyLookup(request(), 'Description', 100), undefined);
  assert.equal(table('CheckoutSession').keyLookup(request(), 'Status', 100), undefined);
  assert.equal(table('Charges').keyLookup(request(), 'Amount', 100), undefined);
  assert.equal(table('Customers').keyLookup(request(), 'NoSuchColumn', 100), undefined);
});

test('keyLookup plans nothing it keeps: the request it was given is unchanged', () => {
  const given = request(pred('Email', '=', 'a@b.c'));
  const before = JSON.stringify(given);
  table('Customers').keyLookup(given, 'Id', 100);
  assert.equal(JSON.stringify(given), before);
});
