// A long list read in parallel. Stripe's cursors are strictly sequential — one page, then the
// next — so at ~300 ms a page a big account reads about 3 pages/s however high the rate budget.
// Once a list has proven long, the rest of it is split by `created` into windows read
// concurrently, each with its own cursor. Every object is yielded exactly once:
//
// - Window 0 continues the sequential cursor, bounded below: `created[gte]=lo0` after the last
//   id seen, so objects sharing the boundary second with it are neither lost nor repeated.
// - Window i covers `created[gte]=lo, created[lt]=hi`, half-open, each below the one before.
// - After a window comes back empty, the next one is preceded by a probe (`created[lt]=hi,
//   limit=1`): none means the list is exhausted; one means skip the empty years down to it.
//
// Pages come out in arrival order, not newest first: callers ask for this only when order does
// not matter and every row will be read.

import { paginateList, StalledListError, type PageFetcher } from './paginate.js';
import type { StripeList, StripeObject, StripeParams } from './types.js';

export interface PartitionOptions {
  /** Pages read one after another before the list counts as long. */
  sequentialPages: number;
  /** Windows read at once. */
  concurrency: number;
  /** Pages each window should hold, judged from the density of the pages already read. */
  pagesPerWindow?: number;
  /** Called for each probe request (a request that yields no page), for request accounting. */
  onProbe?: () => void;
}

type WindowPages = AsyncGenerator<StripeList>;

export async function* paginatePartitioned(
  fetchPage: PageFetcher<StripeList>,
  params: StripeParams,
  options: PartitionOptions,
  describe = 'list endpoint',
): AsyncGenerator<StripeList> {
  // Only a plain forward walk can be split, and only when the caller set no created bounds.
  const splittable = params.created === undefined && params.starting_after === undefined && params.ending_before === undefined;
  let seen = 0;
  let newest: number | undefined;
  let last: StripeObject | undefined;
  let pages = 0;
  const prefix = new Set<unknown>();
  for await (const page of paginateList(fetchPage, params, describe)) {
    yield page;
    for (const object of page.data) prefix.add(object.id);
    pages++;
    seen += page.data.length;
    newest ??= createdOf(page.data[0]);
    last = page.data[page.data.length - 1];
    if (!page.has_more) return;
    if (splittable && pages >= options.sequentialPages && createdOf(last) !== undefined && newest !== undefined) break;
  }
  if (!last || newest === undefined) return;

  const boundary = createdOf(last)!;
  const pageSize = Number(params.limit ?? 10);
  const width = Math.max(1, Math.ceil(((newest - boundary + 1) / Math.max(1, seen)) * pageSize * (options.pagesPerWindow ?? 4)));
  for await (const page of readWindows(fetchPage, params, { cursor: String(last.id), boundary, width }, options, describe)) {
    // Were some endpoint not strictly newest first, an object already read could sit in a lower
    // window: never yield it twice.
    const fresh = page.data.filter((object) => !prefix.has(object.id));
    yield fresh.length === page.data.length ? page : { ...page, data: fresh };
  }
}

interface Start {
  cursor: string;
  /** `created` of the last object read sequentially. */
  boundary: number;
  /** Seconds per window. */
  width: number;
}

async function* readWindows(
  fetchPage: PageFetcher<StripeList>,
  params: StripeParams,
  start: Start,
  { concurrency, onProbe }: PartitionOptions,
  describe: string,
): AsyncGenerator<StripeList> {
  let hi = start.boundary - start.width + 1;
  const first = paginateList(fetchPage, { ...params, created: { gte: hi }, starting_after: start.cursor }, describe);
  const active = new Map<WindowPages, { promise: Promise<IteratorResult<StripeList>>; rows: number }>();
  let exhausted = false;
  let probeNext = false;

  const arm = (window: WindowPages, rows: number) => {
    const promise = window.next();
    // Handled here so that a window still in flight when the consumer stops cannot crash the
    // process with an unhandled rejection; the race below still sees the failure.
    promise.catch(() => undefined);
    active.set(window, { promise, rows });
  };
  const spawn = async (): Promise<void> => {
    if (probeNext) {
      probeNext = false;
      onProbe?.();
      const probe = await fetchPage({ ...params, created: { lt: hi }, limit: 1 });
      const next = createdOf(probe?.data?.[0]);
      if (next === undefined) {
        exhausted = true;
        return;
      }
      // An object at or above the bound means the endpoint ignores `created[lt]`: windows
      // would walk down through empty years forever.
      if (next >= hi) throw new StalledListError(describe, `asked for created < ${hi}, it answered an object created at ${next}`);
      hi = next + 1; // skip the gap down to the newest object left
    }
    const lo = hi - start.width;
    arm(paginateList(fetchPage, { ...params, created: { gte: lo, lt: hi } }, describe), 0);
    hi = lo;
  };

  arm(first, 0);
  try {
    while (active.size > 0 || !exhausted) {
      while (!exhausted && active.size < concurrency) await spawn();
      if (active.size === 0) break;
      const [window, result] = await Promise.race(
        [...active].map(([w, state]) => state.promise.then((r) => [w, r] as const)),
      );
      const state = active.get(window)!;
      if (result.done) {
        active.delete(window);
        if (state.rows === 0) probeNext = true;
        continue;
      }
      arm(window, state.rows + result.value.data.length);
      yield result.value;
    }
  } finally {
    for (const window of active.keys()) void window.return(undefined).catch(() => undefined);
  }
}

function createdOf(object: StripeObject | undefined): number | undefined {
  const created = object?.created;
  return typeof created === 'number' && Number.isFinite(created) ? created : undefined;
}
