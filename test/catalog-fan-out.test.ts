// A child table read across many parents (CheckoutSessionLineItems of every session) reads
// several parents' lists at once, yet yields rows parent by parent in parent order, as each
// parent's list completes; a LIMIT keeps to one parent at a time; stopping early aborts the rest.
// The stand-in transport holds every child list until the test releases it: no timing involved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StripeTable, tableDefs } from '../src/catalog/index.js';
import { PARENTS_IN_FLIGHT } from '../src/catalog/stripe-table.js';
import type { ListPagesOptions, StripeTransport } from '../src/catalog/types.js';
import type { StripeList, StripeParams, StripeRequest } from '../src/stripe/types.js';
import { scanRequest } from './catalog-fake-transport.js';

const SESSIONS = 40;
const sessions = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `cs_${from + i}`);

/** Lists sessions in one page; each session's line items wait for release(sessionId). */
class GatedTransport implements StripeTransport {
  readonly started: string[] = [];
  readonly aborted: string[] = [];
  private readonly gates = new Map<string, () => void>();
  private readonly waiting = new Map<string, Promise<void>>();
  private onStart: (() => void) | undefined;

  async request<T>(_req: StripeRequest): Promise<T> {
    throw new Error('no single requests expected');
  }

  async *listPages(path: string, _params: StripeParams, opts: ListPagesOptions = {}): AsyncGenerator<StripeList> {
    if (path === '/v1/checkout/sessions') {
      yield { object: 'list', url: path, has_more: false, data: Array.from({ length: SESSIONS }, (_, i) => ({ id: `cs_${i}`, object: 'checkout.session' })) };
      return;
    }
    const session = decodeURIComponent(path.split('/')[4]!);
    this.started.push(session);
    const gate = this.gateOf(session);
    this.onStart?.();
    await new Promise<void>((resolve, reject) => {
      const abandon = () => {
        this.aborted.push(session);
        reject(opts.signal!.reason);
      };
      opts.signal?.addEventListener('abort', abandon, { once: true });
      void gate.then(() => {
        opts.signal?.removeEventListener('abort', abandon);
        resolve();
      });
    });
    yield { object: 'list', url: path, has_more: false, data: [{ id: `li_${session}_a`, object: 'item' }, { id: `li_${session}_b`, object: 'item' }] };
  }

  release(session: string): void {
    this.gateOf(session);
    this.gates.get(session)!();
  }

  /** Resolves once `count` child lists have started. */
  startedCount(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.started.length >= count) resolve();
      };
      this.onStart = check;
      check();
    });
  }

  private gateOf(session: string): Promise<void> {
    let gate = this.waiting.get(session);
    if (!gate) {
      gate = new Promise<void>((resolve) => this.gates.set(session, resolve));
      this.waiting.set(session, gate);
    }
    return gate;
  }
}

function lineItems(transport: StripeTransport): StripeTable {
  return new StripeTable(tableDefs.find((d) => d.name === 'CheckoutSessionLineItems')!, transport);
}

test('a full read of a child table reads several parents at once and yields in parent order as each completes', async () => {
  const transport = new GatedTransport();
  const table = lineItems(transport);
  const plan = table.plan(scanRequest([], { columns: ['Id', 'CheckoutSessionId'] }));
  const idColumn = table.columns.findIndex((c) => c.name === 'Id');
  const rows: string[] = [];
  const reading = (async () => {
    for await (const row of table.scan(plan, {})) rows.push(String(row[idColumn]));
  })();

  assert.ok(PARENTS_IN_FLIGHT > 1 && PARENTS_IN_FLIGHT * 2 <= SESSIONS);
  await transport.startedCount(PARENTS_IN_FLIGHT);
  assert.deepEqual(transport.started, sessions(0, PARENTS_IN_FLIGHT), 'that many lists in flight, no more');
  // Later parents finishing first yield nothing yet: the rows stay in parent order.
  for (const session of sessions(1, PARENTS_IN_FLIGHT).reverse()) transport.release(session);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(rows, []);
  transport.release('cs_0');
  // cs_0's rows come out, and as each parent is done the next one starts: the window stays full.
  await transport.startedCount(2 * PARENTS_IN_FLIGHT);
  for (const session of sessions(PARENTS_IN_FLIGHT, SESSIONS)) transport.release(session);
  await reading;
  assert.equal(rows.length, SESSIONS * 2);
  assert.deepEqual(rows.slice(0, 4), ['li_cs_0_a', 'li_cs_0_b', 'li_cs_1_a', 'li_cs_1_b']);
  assert.deepEqual(rows, Array.from({ length: SESSIONS }, (_, i) => [`li_cs_${i}_a`, `li_cs_${i}_b`]).flat());
});

test('stopping after the first rows aborts the parents still being read', async () => {
  const transport = new GatedTransport();
  const table = lineItems(transport);
  const plan = table.plan(scanRequest([], { columns: ['Id'] }));
  const scan = table.scan(plan, {})[Symbol.asyncIterator]();
  const first = scan.next();
  await transport.startedCount(PARENTS_IN_FLIGHT);
  transport.release('cs_0');
  assert.equal((await first).done, false);
  await scan.return!(undefined);
  // cs_0 was done; the next parent had started in its place, keeping the window full.
  assert.deepEqual(transport.aborted, sessions(1, PARENTS_IN_FLIGHT + 1));
  assert.equal(transport.started.length, PARENTS_IN_FLIGHT + 1, 'nothing new starts after the stop');
});

test('with a LIMIT the parents are read one at a time: no list is read that the limit does not need', async () => {
  const transport = new GatedTransport();
  const table = lineItems(transport);
  const plan = table.plan(scanRequest([], { columns: ['Id'], limit: 3 }));
  assert.equal(plan.limitApplied, true);
  const rows: unknown[] = [];
  const reading = (async () => {
    for await (const row of table.scan(plan, {})) rows.push(row);
  })();
  await transport.startedCount(1);
  assert.deepEqual(transport.started, ['cs_0']);
  transport.release('cs_0');
  await transport.startedCount(2);
  transport.release('cs_1');
  await reading;
  assert.equal(rows.length, 3);
  assert.deepEqual(transport.started, ['cs_0', 'cs_1']);
});

test('when the budget needs more requests in flight than that, more parents are read at once', async () => {
  // A transport whose budget is kept busy by 24 requests in flight (rate × latency, within MaxConcurrency).
  const transport = Object.assign(new GatedTransport(), { requestsToKeepBusy: () => 24 });
  const table = lineItems(transport);
  const plan = table.plan(scanRequest([], { columns: ['Id'] }));
  let rows = 0;
  const reading = (async () => {
    for await (const _ of table.scan(plan, {})) rows++;
  })();
  await transport.startedCount(24);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(transport.started, sessions(0, 24), '24 lists in flight, no more');
  for (const session of sessions(0, SESSIONS)) transport.release(session);
  await reading;
  assert.equal(rows, SESSIONS * 2);
});
