// An IN over a list filter on a table without search: a list per value (each exact), read
// several at once rather than one after another, every object once; stopping early stops them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StripeTable, tableDefs } from '../src/catalog/index.js';
import type { ListPagesOptions, StripeTransport } from '../src/catalog/types.js';
import type { Predicate, Row, ScanRequest } from '../src/engine/table.js';
import type { StripeList, StripeParams } from '../src/stripe/types.js';

/** Two pages per customer; counts the lists open at once. */
class CountingTransport implements StripeTransport {
  open = 0;
  mostOpen = 0;
  pages = 0;
  readonly customers: string[] = [];
  aborted = 0;

  async request<T>(): Promise<T> {
    throw new Error('no retrieve expected');
  }

  async *listPages(_path: string, params: StripeParams, opts: ListPagesOptions = {}): AsyncGenerator<StripeList> {
    const customer = String(params.customer);
    this.customers.push(customer);
    this.open++;
    this.mostOpen = Math.max(this.mostOpen, this.open);
    try {
      for (let page = 0; page < 2; page++) {
        // An answer arrives later, as from the network: the other lists get their turn meanwhile.
        await Promise.resolve();
        if (opts.signal?.aborted) {
          this.aborted++;
          throw opts.signal.reason;
        }
        this.pages++;
        yield { object: 'list', url: '/v1/checkout/sessions', has_more: page === 0, data: [{ id: `cs_${customer}_${page}`, object: 'checkout.session', customer }] };
      }
    } finally {
      this.open--;
    }
  }
}

const sessions = tableDefs.find((d) => d.name === 'CheckoutSession')!;
const customers = Array.from({ length: 40 }, (_, i) => `cus_${i}`);
const inList: Predicate = { id: 1, column: 'CustomerId', op: 'IN', values: customers, text: 'CustomerId IN (…)' };

function request(limit?: number): ScanRequest {
  return { predicates: [inList], columns: ['Id'], orderBy: [], ...(limit !== undefined ? { limit } : {}) };
}

test('an IN of 40 customers: 40 exact lists, up to 16 open at once, every session once', async () => {
  const transport = new CountingTransport();
  const table = new StripeTable(sessions, transport);
  const plan = table.plan(request());
  assert.equal(plan.describe().filter((l) => l.includes('GET /v1/checkout/sessions?customer=')).length, 40);
  const ids: string[] = [];
  for await (const row of table.scan(plan, {})) ids.push(String((row as Row)[0]));
  assert.deepEqual(ids.sort(), customers.flatMap((c) => [`cs_${c}_0`, `cs_${c}_1`]).sort());
  assert.deepEqual(transport.customers.sort(), [...customers].sort());
  assert.equal(transport.mostOpen, 16);
  assert.equal(transport.pages, 80);
});

test('stopping early closes the lists still open', async () => {
  const transport = new CountingTransport();
  const table = new StripeTable(sessions, transport);
  for await (const _ of table.scan(table.plan(request()), {})) break;
  assert.equal(transport.open, 0);
  assert.ok(transport.pages < 80, `${transport.pages} pages`);
});

test('with a LIMIT the scan can stop at, the lists are read one after another', async () => {
  const transport = new CountingTransport();
  const table = new StripeTable(sessions, transport);
  const plan = table.plan(request(3));
  assert.equal(plan.limitApplied, true);
  const rows: Row[] = [];
  for await (const row of table.scan(plan, {})) rows.push(row);
  assert.equal(rows.length, 3);
  assert.equal(transport.mostOpen, 1);
  assert.deepEqual(transport.customers, ['cus_0', 'cus_1']);
});
