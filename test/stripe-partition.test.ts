// A long list read in parallel `created` windows: every object exactly once, whatever the
// spread of `created` (ties across window edges, years with nothing), several requests in
// flight, and a clean stop when the consumer stops early.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paginatePartitioned } from '../src/stripe/partition.js';
import type { StripeList, StripeObject, StripeParams } from '../src/stripe/types.js';
import { settled, until } from './support/fake-clock.js';

/**
 * Stripe's list semantics over `objects`: newest first, created[gte|lt], starting_after, limit.
 * Each answer comes on a later turn of the event loop, as a network answer would, so requests
 * sent together are in flight together.
 */
function fakeList(objects: StripeObject[]) {
  const sorted = [...objects].sort((a, b) => (b.created as number) - (a.created as number) || String(b.id).localeCompare(String(a.id)));
  const calls: StripeParams[] = [];
  let inFlight = 0;
  let peak = 0;
  const fetchPage = async (params: StripeParams): Promise<StripeList> => {
    calls.push(params);
    peak = Math.max(peak, ++inFlight);
    await settled();
    inFlight--;
    const created = (params.created ?? {}) as { gte?: number; lt?: number };
    let rows = sorted.filter((o) => (created.gte === undefined || (o.created as number) >= created.gte) && (created.lt === undefined || (o.created as number) < created.lt));
    if (params.starting_after !== undefined) rows = rows.slice(rows.findIndex((o) => o.id === params.starting_after) + 1);
    const limit = Number(params.limit ?? 10);
    return { object: 'list', data: rows.slice(0, limit), has_more: rows.length > limit, url: '/v1/things' };
  };
  return { fetchPage, calls, peak: () => peak, inFlight: () => inFlight };
}

/** 2,000 objects: dense recent days with many sharing a second, a three-year gap, a sparse past. */
function dataset(): StripeObject[] {
  const objects: StripeObject[] = [];
  const now = 1_800_000_000;
  for (let i = 0; i < 1500; i++) objects.push({ id: `obj_a${i}`, object: 'thing', created: now - Math.floor(i / 7) * 13 });
  for (let i = 0; i < 500; i++) objects.push({ id: `obj_b${i}`, object: 'thing', created: now - 3 * 365 * 86400 - i * 3600 });
  return objects;
}

async function readAll(pages: AsyncIterable<StripeList>): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of pages) for (const object of page.data) ids.push(String(object.id));
  return ids;
}

test('every object exactly once, across ties at window edges and empty years', async () => {
  const objects = dataset();
  const fake = fakeList(objects);
  const ids = await readAll(paginatePartitioned(fake.fetchPage, { limit: 100 }, { sequentialPages: 2, concurrency: 4, pagesPerWindow: 1 }));
  assert.equal(ids.length, objects.length, 'no object twice');
  assert.deepEqual([...ids].sort(), objects.map((o) => String(o.id)).sort(), 'no object missing');
  assert.ok(fake.peak() > 1, `windows ran in parallel (peak ${fake.peak()})`);
  // The first pages are the plain sequential walk; then windows bounded by created.
  assert.deepEqual(fake.calls[0], { limit: 100 });
  assert.ok(fake.calls.slice(2).every((p) => p.created !== undefined), 'after the sequential pages every request is a window');
  // The lowest window reaches down to the oldest object, so the empty years cost no probe.
  assert.ok(fake.calls.every((p) => p.limit === 100), 'no probes');
  assert.ok(fake.calls.length <= 1.25 * 20 + 16, `${fake.calls.length} requests for 20 pages`);
});

test('a short list is read sequentially, exactly as without partitioning', async () => {
  const objects = dataset().slice(0, 250);
  const fake = fakeList(objects);
  const ids = await readAll(paginatePartitioned(fake.fetchPage, { limit: 100 }, { sequentialPages: 5, concurrency: 4 }));
  assert.equal(ids.length, 250);
  assert.equal(fake.calls.length, 3);
  assert.ok(fake.calls.every((p) => p.created === undefined), 'no window, no probe');
  assert.equal(fake.peak(), 1);
});

test('a list the caller already bounds by created is not split', async () => {
  const fake = fakeList(dataset());
  const ids = await readAll(paginatePartitioned(fake.fetchPage, { limit: 100, created: { gte: 1 } }, { sequentialPages: 1, concurrency: 4 }));
  assert.equal(ids.length, 2000);
  assert.equal(fake.peak(), 1);
  assert.ok(fake.calls.every((p) => JSON.stringify(p.created) === '{"gte":1}'));
});

test('stopping early leaves nothing running and nothing unhandled', async () => {
  const fake = fakeList(dataset());
  let pages = 0;
  for await (const _ of paginatePartitioned(fake.fetchPage, { limit: 100 }, { sequentialPages: 1, concurrency: 4, pagesPerWindow: 1 })) {
    if (++pages === 3) break;
  }
  const before = fake.calls.length;
  assert.ok(before > 3, 'windows were in flight when the consumer stopped');
  // The requests in flight when it stopped are answered; nothing new goes out after them.
  await until(() => fake.inFlight() === 0);
  await settled();
  assert.equal(fake.calls.length, before, 'no new windows after the consumer stopped');
});

test('a failing window fails the read', async () => {
  const fake = fakeList(dataset());
  let count = 0;
  const failing = async (params: StripeParams): Promise<StripeList> => {
    if (params.created !== undefined && ++count === 3) throw new Error('boom');
    return fake.fetchPage(params);
  };
  await assert.rejects(readAll(paginatePartitioned(failing, { limit: 100 }, { sequentialPages: 1, concurrency: 4, pagesPerWindow: 1 })), /boom/);
});

test('an endpoint not strictly newest first still yields each object once', async () => {
  const objects = dataset();
  const fake = fakeList(objects);
  // Swap two objects far apart in the order Stripe would serve them.
  const shuffled = async (params: StripeParams): Promise<StripeList> => {
    const page = await fake.fetchPage(params);
    if (params.starting_after === undefined && params.created === undefined) {
      const old = objects.find((o) => o.id === 'obj_b400')!;
      return { ...page, data: [old, ...page.data.slice(1)] };
    }
    return page;
  };
  const ids = await readAll(paginatePartitioned(shuffled, { limit: 100 }, { sequentialPages: 2, concurrency: 4, pagesPerWindow: 1 }));
  assert.equal(ids.filter((id) => id === 'obj_b400').length, 1);
});

test('an endpoint that ignores created is an error naming it, not every object read again in each window', async () => {
  const objects = dataset();
  const fake = fakeList(objects);
  // Every window is answered as if it had asked for the whole list.
  const ignoring = async (params: StripeParams): Promise<StripeList> => fake.fetchPage({ ...params, created: undefined });
  await assert.rejects(
    readAll(paginatePartitioned(ignoring, { limit: 100 }, { sequentialPages: 1, concurrency: 2, pagesPerWindow: 1 }, 'GET /v1/things')),
    { name: 'StalledListError', message: /^GET \/v1\/things stopped making progress \(asked for objects created (in \[\d+, \d+\)|before \d+|at or after \d+), it answered an object created at \d+\)/ },
  );
});

test('a window whose server repeats its page fails the read instead of looping', async () => {
  const fake = fakeList(dataset());
  const repeating = async (params: StripeParams): Promise<StripeList> =>
    fake.fetchPage(params.created !== undefined ? { ...params, starting_after: undefined } : params);
  await assert.rejects(
    readAll(paginatePartitioned(repeating, { limit: 100 }, { sequentialPages: 1, concurrency: 4, pagesPerWindow: 4 }, 'GET /v1/things')),
    { name: 'StalledListError', message: /^GET \/v1\/things stopped making progress \(page \d ended at obj_\w+ again, a cursor already followed\)/ },
  );
  assert.ok(fake.calls.length < 40, `${fake.calls.length} requests`);
});
