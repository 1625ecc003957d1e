// Walking Stripe's paged endpoints one page at a time. Nothing is fetched ahead: the next
// request goes out only when the consumer asks for the next page, so stopping early costs
// no wasted request. A walk that stops making progress (a cursor it has already followed,
// or `has_more` with nothing in the page) is an error naming the endpoint, never a loop.

import { ConnectionError } from './errors.js';
import type { StripeList, StripeObject, StripeParams, StripeSearchResult } from './types.js';

/** One page; `signal` aborts it (a partitioned read abandons its windows' requests when the reader stops). */
export type PageFetcher<P> = (params: StripeParams, signal?: AbortSignal) => Promise<P>;

/**
 * Pages of a list endpoint. Forward by `starting_after` (the last id of each page); when the
 * caller started from `ending_before` alone, backward by `ending_before` (the first id of
 * each page), as stripe-node's auto-pagination does.
 */
export async function* paginateList(
  fetchPage: PageFetcher<StripeList>,
  params: StripeParams,
  describe = 'list endpoint',
  /** cursor false: the endpoint takes no cursor, so its one page must be the whole list. */
  { cursor: takesCursor = true }: { cursor?: boolean } = {},
): AsyncGenerator<StripeList> {
  const backward = params.ending_before !== undefined && params.starting_after === undefined;
  const start = backward ? params.ending_before : params.starting_after;
  // Every cursor followed so far: one id per page, so a cycle of any length is caught.
  const followed = new Set<string>(typeof start === 'string' ? [start] : []);
  let pageParams = params;
  for (let pages = 1; ; pages++) {
    const page = await fetchPage(pageParams);
    checkList(page, describe);
    yield page;
    if (!page.has_more) return;
    if (!takesCursor) throw new StalledListError(describe, 'it said has_more: true, yet it takes no starting_after to read on');
    const cursor = followCursor(page, pages, followed, describe, backward);
    pageParams = backward ? { ...params, ending_before: cursor } : { ...params, starting_after: cursor };
  }
}

/** A page that is not Stripe's list envelope is a TypeError naming the endpoint. */
export function checkList(page: StripeList | undefined, describe: string): asserts page is StripeList {
  if (page?.object !== 'list' || !Array.isArray(page.data)) {
    throw new TypeError(`${describe} did not answer with a list (object: ${String(page?.object)})`);
  }
}

/**
 * The cursor to read on from after `page`, the `pages`-th page of a walk that has followed the
 * cursors in `followed` (the new one is added): a page with `has_more` that would make the walk
 * repeat itself — nothing in it, or ending at a cursor already followed — is a StalledListError.
 */
export function followCursor(page: StripeList, pages: number, followed: Set<string>, describe: string, backward = false): string {
  if (page.data.length === 0) throw new StalledListError(describe, `page ${pages} was empty yet said has_more: true`);
  const edge = backward ? page.data[0] : page.data[page.data.length - 1];
  const cursor = idOf(edge, describe);
  if (followed.has(cursor)) {
    throw new StalledListError(describe, `page ${pages} ended at ${cursor} again, a cursor already followed`);
  }
  followed.add(cursor);
  return cursor;
}

/** A list or search that stopped making progress: paging on would repeat itself forever. */
export class StalledListError extends ConnectionError {
  override name = 'StalledListError';
  constructor(describe: string, why: string) {
    super(`${describe} stopped making progress (${why}); stopped paging instead of looping`);
  }
}

/** Pages of a search endpoint, following `next_page` into `page`. */
export async function* paginateSearch(
  fetchPage: PageFetcher<StripeSearchResult>,
  params: StripeParams,
  describe = 'search endpoint',
): AsyncGenerator<StripeSearchResult> {
  const followed = new Set<string>();
  let pageParams = params;
  for (let pages = 1; ; pages++) {
    const page = await fetchPage(pageParams);
    if (page?.object !== 'search_result' || !Array.isArray(page.data)) {
      throw new TypeError(`${describe} did not answer with a search result (object: ${String(page?.object)})`);
    }
    yield page;
    if (!page.has_more || !page.next_page) return;
    if (page.data.length === 0) throw new StalledListError(describe, `page ${pages} was empty yet said has_more: true`);
    if (followed.has(page.next_page)) throw new StalledListError(describe, `page ${pages} pointed to a next_page already followed`);
    followed.add(page.next_page);
    pageParams = { ...params, page: page.next_page };
  }
}

function idOf(item: StripeObject | undefined, describe: string): string {
  const id = item?.id;
  if (typeof id !== 'string' || id === '') {
    throw new TypeError(`${describe} returned objects without ids, so it cannot be paged by cursor`);
  }
  return id;
}
