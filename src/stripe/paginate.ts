// Walking Stripe's paged endpoints one page at a time. Nothing is fetched ahead: the next
// request goes out only when the consumer asks for the next page, so stopping early costs
// no wasted request.

import type { StripeList, StripeObject, StripeParams, StripeSearchResult } from './types.js';

export type PageFetcher<P> = (params: StripeParams) => Promise<P>;

/**
 * Pages of a list endpoint. Forward by `starting_after` (the last id of each page); when the
 * caller started from `ending_before` alone, backward by `ending_before` (the first id of
 * each page), as stripe-node's auto-pagination does.
 */
export async function* paginateList(
  fetchPage: PageFetcher<StripeList>,
  params: StripeParams,
  describe = 'list endpoint',
): AsyncGenerator<StripeList> {
  const backward = params.ending_before !== undefined && params.starting_after === undefined;
  let pageParams = params;
  for (;;) {
    const page = await fetchPage(pageParams);
    if (page?.object !== 'list' || !Array.isArray(page.data)) {
      throw new TypeError(`${describe} did not answer with a list (object: ${String(page?.object)})`);
    }
    yield page;
    if (!page.has_more || page.data.length === 0) return;
    const edge = backward ? page.data[0] : page.data[page.data.length - 1];
    const cursor = idOf(edge, describe);
    pageParams = backward ? { ...params, ending_before: cursor } : { ...params, starting_after: cursor };
  }
}

/** Pages of a search endpoint, following `next_page` into `page`. */
export async function* paginateSearch(
  fetchPage: PageFetcher<StripeSearchResult>,
  params: StripeParams,
  describe = 'search endpoint',
): AsyncGenerator<StripeSearchResult> {
  let pageParams = params;
  for (;;) {
    const page = await fetchPage(pageParams);
    if (page?.object !== 'search_result' || !Array.isArray(page.data)) {
      throw new TypeError(`${describe} did not answer with a search result (object: ${String(page?.object)})`);
    }
    yield page;
    if (!page.has_more || !page.next_page) return;
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
