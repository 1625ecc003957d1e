import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../emulator/client.js';
import { listEndpoints, resourceFor } from '../emulator/generic/registry.js';
import { ABSENT } from '../emulator/generic/synthesize.js';
import type { GeneratedEndpoint } from '../emulator/generic/metadata.js';
import { startEmulator, type Emulator } from '../emulator/index.js';

type Row = Record<string, any>;

/**
 * Their own builders follow Stripe's real responses, which leave out some spec fields
 * (line items, built by checkout-sessions.ts, omit the on-request `discounts` and `taxes`).
 */
const HAND_WRITTEN = new Set(['checkout.session', 'customer', 'price', 'product', 'item']);
/** Fields Stripe leaves out in the situation the seed shows (events of the platform itself). */
const OMITTED: Record<string, string[]> = { event: ['account'] };
/**
 * Path parameters the spec gives no parent type for (tax calculations are never retrieved),
 * served by hand-written routes: the object type whose seeded id fills them.
 */
const UNTYPED_PARENTS: Record<string, string> = { calculation: 'tax.calculation' };

// Every list endpoint in the spec answers with a well-formed list, and every object it
// lists can be retrieved where Stripe has a retrieve endpoint for it.

describe('emulator: every resource', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
  });

  /** The parent a nested list is read under: one that has children when the seed made some. */
  function parentFor(endpoint: GeneratedEndpoint, type: string): string {
    const parent = endpoint.parent!;
    const field = parent.field;
    if (field) {
      const child = (endpoint.types ?? [type]).flatMap((t) => emulator.objects(t)).find((row) => typeof row[field] === 'string');
      if (child) return child[field] as string;
    }
    const owner = emulator.objects(parent.type)[0];
    assert.ok(owner, `a seeded ${parent.type} for ${endpoint.path}`);
    return owner.id as string;
  }

  function fill(path: string, params: Record<string, string>): string {
    return path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? 'missing'));
  }

  const endpoints = listEndpoints().filter(({ endpoint }) => !/\/(upcoming|preview)\//.test(endpoint.path));

  it('covers the whole API: more than 100 list endpoints, 19 of them nested', () => {
    assert.ok(endpoints.length > 100, `${endpoints.length} list endpoints`);
    assert.ok(endpoints.filter(({ endpoint }) => endpoint.parent).length >= 19);
  });

  it('lists every resource as a well-formed, non-empty list of its own objects, and retrieves each row', async () => {
    const failures: string[] = [];
    for (const { resource, endpoint } of endpoints) {
      const pathParams: Record<string, string> = {};
      if (endpoint.parent) pathParams[endpoint.parent.param] = parentFor(endpoint, resource.object);
      for (const [param, type] of Object.entries(UNTYPED_PARENTS)) {
        if (!endpoint.path.includes(`{${param}}`) || param in pathParams) continue;
        const owner = emulator.objects(type)[0];
        assert.ok(owner, `a seeded ${type} for ${endpoint.path}`);
        pathParams[param] = owner.id as string;
      }
      const path = fill(endpoint.path, pathParams);
      // A list whose spec takes no limit answers whole (and refuses one).
      const list = await call(emulator, 'GET', path, endpoint.unpaged ? {} : { query: 'limit=3' });
      if (list.status !== 200) {
        failures.push(`${path}: ${list.status} ${JSON.stringify(list.json)}`);
        continue;
      }
      const body = list.json as Row;
      if (body.object !== 'list' || !Array.isArray(body.data) || typeof body.has_more !== 'boolean' || body.url !== path) {
        failures.push(`${path}: not a list ${JSON.stringify(body).slice(0, 200)}`);
        continue;
      }
      if (body.data.length === 0) failures.push(`${path}: empty`);
      const allowed = endpoint.types ?? [resource.object];
      for (const row of body.data as Row[]) {
        if (!allowed.includes(row.object) || typeof row.id !== 'string') failures.push(`${path}: bad row ${JSON.stringify(row).slice(0, 120)}`);
        if (HAND_WRITTEN.has(row.object)) continue;
        const fields = resourceFor(row.object)?.fields ?? {};
        // Fields the spec makes optional and never null ('~') are absent until they apply.
        const optional = (field: string) => String(fields[field]).startsWith(ABSENT);
        const missing = Object.keys(fields).filter((field) => !(field in row) && !optional(field) && !(OMITTED[row.object] ?? []).includes(field));
        if (missing.length > 0) failures.push(`${path}: ${row.id} lacks ${missing.join(', ')}`);
      }
      const retrieve = resource.endpoints.find(
        (candidate) => candidate.kind === 'retrieve' && candidate.path.startsWith(endpoint.path) && candidate.path.split('/').length === endpoint.path.split('/').length + 1,
      );
      if (!retrieve || endpoint.types) continue;
      for (const row of body.data as Row[]) {
        const idParam = /\{(\w+)\}$/.exec(retrieve.path)![1]!;
        const one = await call(emulator, 'GET', fill(retrieve.path, { ...pathParams, [idParam]: row.id }));
        if (one.status !== 200) failures.push(`${retrieve.path} ${row.id}: ${one.status}`);
        else assert.deepEqual(one.json, row, `${retrieve.path} returns the listed object`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('answers 404 resource_missing for an unknown id and for an unknown parent', async () => {
    const charge = await call(emulator, 'GET', '/v1/charges/ch_nope');
    assert.equal(charge.status, 404);
    assert.equal(charge.json.error.code, 'resource_missing');
    assert.equal(charge.json.error.message, "No such charge: 'ch_nope'");
    const nested = await call(emulator, 'GET', '/v1/customers/cus_nope/tax_ids');
    assert.equal(nested.status, 404);
    assert.equal(nested.json.error.message, "No such customer: 'cus_nope'");
  });

  it('rejects unknown list parameters with Stripe\'s 400', async () => {
    const response = await call(emulator, 'GET', '/v1/charges', { query: 'colour=red' });
    assert.equal(response.status, 400);
    assert.equal(response.json.error.code, 'parameter_unknown');
    assert.equal(response.json.error.param, 'colour');
  });

  it('pages a generic list with starting_after without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await call(emulator, 'GET', '/v1/refunds', { query: `limit=5${cursor ? `&starting_after=${cursor}` : ''}` });
      assert.equal(page.status, 200);
      seen.push(...page.json.data.map((row: Row) => row.id));
      if (!page.json.has_more) break;
      cursor = page.json.data[page.json.data.length - 1].id;
    }
    assert.equal(seen.length, emulator.objects('refund').length);
    assert.equal(new Set(seen).size, seen.length);
  });
});
