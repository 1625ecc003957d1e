// The adaptive scan scheduler (src/stripe/partition.ts) over a fake list with Stripe's semantics:
// for every spread of `created` (emulator/created-distribution.ts, and an adversarial one), every
// object exactly once and the requests within 1.25 × the sequential minimum + 20; as many windows
// in flight as the budget's rate × latency asks for; a window that stops making progress fails the
// read; a reader that stops aborts what is in flight. No timers: the fake answers on the next turn
// of the event loop, and requests are counted, never timed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { paginatePartitioned, type PartitionOptions } from '../src/stripe/partition.js';
import { cutBelow, densityOf } from '../src/stripe/created-windows.js';
import { DEFAULT_CONCURRENCY, defaultConcurrency, LatencyEstimate, REQUEST_BOUND, RequestAllowance, windowsToKeepBusy, type ScanBudget } from '../src/stripe/scan-pacing.js';
import { bulkObjects, CREATED_DISTRIBUTIONS } from '../emulator/created-distribution.js';
import type { StripeList, StripeObject, StripeParams } from '../src/stripe/types.js';

const PAGE = 100;
/** 100 requests/s answered in 150 ms: ceil(100 × 0.15 × 1.25) = 19 windows keep it busy. */
const BUDGET: ScanBudget = { requestsPerSecond: () => 100, latencyMs: () => 150 };
const OPTIONS: PartitionOptions = { sequentialPages: 5, concurrency: 32, budget: BUDGET };

/** Stripe's list semantics over `objects`: newest first (ties by id), created[gte|lt], starting_after, limit. */
function fakeList(objects: readonly StripeObject[]) {
  const sorted = [...objects].sort((a, b) => (b.created as number) - (a.created as number) || (String(a.id) < String(b.id) ? 1 : -1));
  const position = new Map(sorted.map((object, i) => [object.id, i]));
  const calls: StripeParams[] = [];
  let inFlight = 0;
  let peak = 0;
  const answer = (params: StripeParams): StripeList => {
    const created = (params.created ?? {}) as { gte?: number; lt?: number };
    const limit = Number(params.limit ?? 10);
    const from = params.starting_after === undefined ? 0 : position.get(params.starting_after as string)! + 1;
    const data: StripeObject[] = [];
    for (let i = from; i < sorted.length; i++) {
      const object = sorted[i]!;
      const at = object.created as number;
      if (created.lt !== undefined && at >= created.lt) continue;
      if (created.gte !== undefined && at < created.gte) break;
      if (data.length === limit) return { object: 'list', data, has_more: true, url: '/v1/things' };
      data.push(object);
    }
    return { object: 'list', data, has_more: false, url: '/v1/things' };
  };
  const fetchPage = async (params: StripeParams): Promise<StripeList> => {
    calls.push(params);
    peak = Math.max(peak, ++inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    inFlight--;
    return answer(params);
  };
  return { fetchPage, answer, calls, peak: () => peak };
}

async function readIds(pages: AsyncIterable<StripeList>): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of pages) for (const object of page.data) ids.push(String(object.id));
  return ids;
}

function assertExactlyOnce(ids: string[], objects: readonly StripeObject[]): void {
  assert.equal(new Set(ids).size, ids.length, 'no object twice');
  assert.deepEqual([...ids].sort(), objects.map((o) => String(o.id)).sort(), 'no object missing');
}

function minimum(count: number): number {
  return Math.max(1, Math.ceil(count / PAGE));
}

/** Clusters of 100 objects in one second, each gap 1.6 × the one before: every density estimate is wrong below it. */
function adversarial(count: number): StripeObject[] {
  const objects: StripeObject[] = [];
  let at = 1_800_000_000;
  let gap = 1;
  for (let i = 0; i < count; i++) {
    if (i % PAGE === 0) {
      at -= Math.round(gap);
      gap *= 1.6;
    }
    objects.push({ id: `obj_${String(i).padStart(6, '0')}`, object: 'thing', created: at });
  }
  return objects;
}

describe('every spread of created: each object once, requests within 1.25 × the minimum + 20', () => {
  const count = 10_000;
  const cases: [string, StripeObject[]][] = [
    ...CREATED_DISTRIBUTIONS.map((d): [string, StripeObject[]] => [d, bulkObjects(d, count, { idPrefix: 'obj_', object: 'thing' })]),
    ['gaps growing geometrically between one-second clusters', adversarial(count)],
  ];
  for (const [name, objects] of cases) {
    const isAdversarial = name.startsWith('gaps');
    test(name, async () => {
      const fake = fakeList(objects);
      assertExactlyOnce(await readIds(paginatePartitioned(fake.fetchPage, { limit: PAGE }, OPTIONS)), objects);
      const requests = fake.calls.length;
      assert.ok(requests <= 1.25 * minimum(count) + 20, `${requests} requests, minimum ${minimum(count)}`);
      assert.ok(requests <= REQUEST_BOUND.perPage * minimum(count) + REQUEST_BOUND.extra, 'within the bound the allowance keeps');
      assert.ok(fake.calls.every((p) => p.limit === PAGE), 'no probes');
      // Against the adversary every estimate is wrong, and the allowance, not the budget, sets the width.
      if (!isAdversarial) assert.ok(fake.peak() > 4, `windows ran in parallel (peak ${fake.peak()})`);
      assert.ok(fake.peak() <= 19, `no more windows than keep the budget busy (peak ${fake.peak()})`);
    });
  }
});

test('a second holding pages of objects, at every window edge, is paged by cursor: none lost, none twice', async () => {
  // 40 seconds of 250 objects each: whatever seconds the cuts fall between, each is read whole.
  const objects = Array.from({ length: 10_000 }, (_, i) => ({ id: `obj_${String(i).padStart(5, '0')}`, object: 'thing', created: 1_800_000_000 - Math.floor(i / 250) }));
  const fake = fakeList(objects);
  assertExactlyOnce(await readIds(paginatePartitioned(fake.fetchPage, { limit: PAGE }, OPTIONS)), objects);
  assert.ok(fake.calls.length <= 1.25 * 100 + 20, `${fake.calls.length} requests`);
  const withinOneSecond = fake.calls.filter((p) => {
    const created = p.created as { gte?: number; lt?: number } | undefined;
    return created?.gte !== undefined && p.starting_after !== undefined && (created.lt === undefined || created.lt - created.gte === 1);
  });
  assert.ok(withinOneSecond.length > 0, 'a window kept to its cursor\'s second read on by cursor');
});

test('all objects in one second: paged by cursor, the second never cut', async () => {
  const objects = Array.from({ length: 1_000 }, (_, i) => ({ id: `obj_${String(i).padStart(4, '0')}`, object: 'thing', created: 1_800_000_000 }));
  const fake = fakeList(objects);
  assertExactlyOnce(await readIds(paginatePartitioned(fake.fetchPage, { limit: PAGE }, OPTIONS)), objects);
  const full = fake.calls.filter((p) => {
    const created = p.created as { gte?: number; lt?: number } | undefined;
    return (created?.gte ?? -Infinity) <= 1_800_000_000 && (created?.lt ?? Infinity) > 1_800_000_000;
  });
  assert.equal(full.length, 10, 'the second itself is read in its ten pages, one after another');
  // The seconds below were guessed as dense as this one: each guess is one empty page.
  assert.ok(fake.calls.length <= 10 + 5, `${fake.calls.length} requests`);
});

test('a list a little longer than its first pages costs a window or two, not a dozen empty ones', async () => {
  const objects = bulkObjects('uniform', 650, { idPrefix: 'obj_', object: 'thing' });
  const fake = fakeList(objects);
  assertExactlyOnce(await readIds(paginatePartitioned(fake.fetchPage, { limit: PAGE }, OPTIONS)), objects);
  assert.ok(fake.calls.length <= minimum(650) + 2, `${fake.calls.length} requests for 7 pages`);
});

test('the first pages are read one at a time, each only when asked for', async () => {
  const objects = bulkObjects('uniform', 5_000, { idPrefix: 'obj_', object: 'thing' });
  const fake = fakeList(objects);
  const pages = paginatePartitioned(fake.fetchPage, { limit: PAGE }, OPTIONS);
  for (let page = 1; page <= 5; page++) {
    await pages.next();
    assert.equal(fake.calls.length, page, 'nothing fetched ahead');
  }
  assert.deepEqual(fake.calls[0], { limit: PAGE });
  assert.ok(fake.calls.every((p) => p.created === undefined));
  await pages.return(undefined);
});

test('as many windows as the budget keeps busy: a lower rate, fewer windows', async () => {
  const objects = bulkObjects('uniform', 10_000, { idPrefix: 'obj_', object: 'thing' });
  const fake = fakeList(objects);
  // 20 requests/s answered in 150 ms: ceil(20 × 0.15 × 1.25) = 4 windows.
  const slow: ScanBudget = { requestsPerSecond: () => 20, latencyMs: () => 150 };
  assertExactlyOnce(await readIds(paginatePartitioned(fake.fetchPage, { limit: PAGE }, { ...OPTIONS, budget: slow })), objects);
  assert.equal(fake.peak(), 4);
});

test('windowsToKeepBusy: rate × latency with a quarter more, within the concurrency cap', () => {
  assert.equal(windowsToKeepBusy(BUDGET, 64), 19);
  assert.equal(windowsToKeepBusy(BUDGET, 10), 10);
  assert.equal(windowsToKeepBusy({ requestsPerSecond: () => 50, latencyMs: () => 150 }, 64), 10, 'after a 429 halved the rate');
  assert.equal(windowsToKeepBusy({ requestsPerSecond: () => 20, latencyMs: () => 5 }, 64), 1, 'one cursor already outruns the budget');
  assert.equal(windowsToKeepBusy({ requestsPerSecond: () => 100, latencyMs: () => undefined }, 7), 7, 'no latency seen yet');
  assert.equal(windowsToKeepBusy(undefined, 7), 7);
});

test('defaultConcurrency: rate × latency with a quarter more, from 10 (before the first answer too) up to 50', () => {
  const at = (requestsPerSecond: number, latencyMs: number | undefined) => defaultConcurrency({ requestsPerSecond: () => requestsPerSecond, latencyMs: () => latencyMs });
  assert.deepEqual(DEFAULT_CONCURRENCY, { floor: 10, ceiling: 50 });
  assert.equal(at(100, undefined), 10, 'no latency seen yet: the floor');
  assert.equal(at(100, 150), 19, '100/s answered in 150 ms: 15 in flight, and a quarter more');
  assert.equal(at(50, 150), 10, "a live key's default 50/s at 150 ms: 10 keep it busy");
  assert.equal(at(50, 400), 25, 'the same at 400 ms');
  assert.equal(at(20, 150), 10, "a test key's 20/s needs 4: never below the floor");
  assert.equal(at(100, 250), 32, "Stripe's live rate at 250 ms");
  assert.equal(at(100, 400), 50, "Stripe's live rate at 400 ms: the ceiling");
  assert.equal(at(100, 5000), 50, 'a latency gone wild opens no more than the ceiling');
});

test('LatencyEstimate: the median of the last 32 answers, unmoved by a burst of slow ones', () => {
  const latency = new LatencyEstimate();
  assert.equal(latency.ms, undefined);
  for (let i = 0; i < 20; i++) latency.observe(150);
  for (let i = 0; i < 12; i++) latency.observe(900);
  assert.equal(latency.ms, 150, 'twelve slow answers read together');
  for (let i = 0; i < 32; i++) latency.observe(300);
  assert.equal(latency.ms, 300, 'Stripe got slower: the older answers are forgotten');
});

test('RequestAllowance: windows open only while requests stay within 1.25 × pages + 16', () => {
  const allowance = new RequestAllowance(100);
  assert.equal(allowance.windowsAvailable(1), 15, 'before any page: the constant, less the window open');
  for (let i = 0; i < 8; i++) allowance.answer(100);
  // 8 answered + 1 open + new ≤ 1.25 × 8 + 16 = 26
  assert.equal(allowance.windowsAvailable(1), 17);
  for (let i = 0; i < 20; i++) allowance.answer(0);
  assert.equal(allowance.windowsAvailable(1), 0, 'empty answers use the allowance up');
});

test('cutBelow: [lo, at] exactly once, the cursor\'s second kept, the lowest piece reaching down to lo', () => {
  const covered = (lo: number, at: number, cut: NonNullable<ReturnType<typeof cutBelow>>) => {
    const seconds: number[] = [];
    for (let s = cut.keepFrom; s <= at; s++) seconds.push(s);
    for (const range of cut.below) for (let s = range.lo ?? lo; s < range.hi!; s++) seconds.push(s);
    return seconds.sort((a, b) => a - b);
  };
  const cut = cutBelow(100, 200, 30, 4)!;
  assert.deepEqual(cut, { keepFrom: 171, below: [{ lo: 141, hi: 171 }, { lo: 111, hi: 141 }, { lo: 100, hi: 111 }] });
  assert.deepEqual(covered(100, 200, cut), Array.from({ length: 101 }, (_, i) => 100 + i));
  assert.deepEqual(cutBelow(undefined, 1_000, 100, 3), { keepFrom: 901, below: [{ lo: 801, hi: 901 }, { lo: undefined, hi: 801 }] });
  assert.deepEqual(cutBelow(100, 200, 0.2, 2), { keepFrom: 200, below: [{ lo: 100, hi: 200 }] }, 'at least the cursor\'s second');
  assert.equal(cutBelow(200, 200, 1, 5), undefined, 'one second is never cut');
  assert.equal(cutBelow(100, 200, 500, 3), undefined, 'fits in one piece');
  assert.deepEqual(cutBelow(100, 105, 1, 50)!.below.at(-1), { lo: 100, hi: 101 }, 'no more pieces than seconds');
  assert.equal(densityOf([{ created: 10 }, { created: 10 }]), 2, 'a page within one second counts as one second');
  assert.equal(densityOf([{ created: 19 }, { created: 10 }]), 0.2);
});

test('a window answering has_more with nothing in it fails the read, naming the endpoint', async () => {
  const objects = bulkObjects('uniform', 5_000, { idPrefix: 'obj_', object: 'thing' });
  const fake = fakeList(objects);
  const broken = async (params: StripeParams): Promise<StripeList> =>
    params.created === undefined ? fake.fetchPage(params) : { object: 'list', data: [], has_more: true, url: '/v1/things' };
  await assert.rejects(readIds(paginatePartitioned(broken, { limit: PAGE }, OPTIONS, 'GET /v1/things')), {
    name: 'StalledListError',
    message: 'GET /v1/things stopped making progress (page 1 was empty yet said has_more: true); stopped paging instead of looping',
  });
});

test('a window whose server ignores its cursor fails the read instead of looping', async () => {
  const objects = bulkObjects('uniform', 5_000, { idPrefix: 'obj_', object: 'thing' });
  const fake = fakeList(objects);
  const repeating = async (params: StripeParams): Promise<StripeList> =>
    fake.fetchPage(params.created !== undefined ? { ...params, starting_after: undefined } : params);
  await assert.rejects(readIds(paginatePartitioned(repeating, { limit: PAGE }, OPTIONS, 'GET /v1/things')), {
    name: 'StalledListError',
    message: /^GET \/v1\/things stopped making progress \(page \d+ ended at obj_\d+ again, a cursor already followed\)/,
  });
  assert.ok(fake.calls.length < 60, `${fake.calls.length} requests`);
});

test('a reader that stops early aborts the windows in flight and sends nothing more', async () => {
  const objects = bulkObjects('uniform', 10_000, { idPrefix: 'obj_', object: 'thing' });
  const fake = fakeList(objects);
  const signals: AbortSignal[] = [];
  // The first pages and three window pages are answered; every later request waits until aborted.
  const stalling = async (params: StripeParams, signal?: AbortSignal): Promise<StripeList> => {
    fake.calls.push(params);
    if (fake.calls.length <= 8) return fake.answer(params);
    signals.push(signal!);
    return new Promise((_, reject) => signal!.addEventListener('abort', () => reject(signal!.reason), { once: true }));
  };
  let pages = 0;
  for await (const _ of paginatePartitioned(stalling, { limit: PAGE }, OPTIONS)) {
    if (++pages === 7) break;
  }
  const sent = fake.calls.length;
  assert.ok(signals.length > 0, 'windows were in flight when the reader stopped');
  assert.ok(signals.every((s) => s.aborted), 'every request in flight was aborted');
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(fake.calls.length, sent, 'no request after the reader stopped');
});

test('a failing window fails the read, and the others are aborted', async () => {
  const objects = bulkObjects('uniform', 10_000, { idPrefix: 'obj_', object: 'thing' });
  const fake = fakeList(objects);
  const signals: AbortSignal[] = [];
  let windows = 0;
  const failing = async (params: StripeParams, signal?: AbortSignal): Promise<StripeList> => {
    if (params.created === undefined) return fake.fetchPage(params);
    signals.push(signal!);
    if (++windows === 2) throw new Error('boom');
    return new Promise((_, reject) => signal!.addEventListener('abort', () => reject(signal!.reason), { once: true }));
  };
  await assert.rejects(readIds(paginatePartitioned(failing, { limit: PAGE }, OPTIONS)), /boom/);
  assert.ok(signals.length >= 2 && signals.every((s) => s.aborted), 'the window still in flight was aborted');
});
