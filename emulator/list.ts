import { errors, paramError } from './errors.js';
import { newestFirst, type StripeObject } from './store.js';
import type { Validated } from './schema.js';

// Stripe list semantics: newest first, `limit` 1..100 (default 10), and cursors that name
// an object: `starting_after` pages towards older objects, `ending_before` towards newer.

export interface ListPage {
  object: 'list';
  data: StripeObject[];
  has_more: boolean;
  url: string;
}

export interface ListWindow {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

export function readListWindow(params: Validated): ListWindow {
  const limit = params.limit === undefined || params.limit === null ? 10 : (params.limit as number);
  if (limit < 1) throw paramError('This value must be greater than or equal to 1.', 'limit');
  if (limit > 100) throw paramError('This value must be less than or equal to 100.', 'limit');
  const window: ListWindow = { limit };
  if (typeof params.starting_after === 'string') window.startingAfter = params.starting_after;
  if (typeof params.ending_before === 'string') window.endingBefore = params.ending_before;
  return window;
}

/**
 * One page of `items` (already filtered, newest first). `findCursor` resolves a cursor id
 * to its object, which need not match the filters: it only marks a position.
 */
export function paginate(
  items: readonly StripeObject[],
  window: ListWindow,
  objectName: string,
  findCursor: (id: string) => StripeObject | undefined,
): { data: StripeObject[]; hasMore: boolean } {
  if (window.startingAfter !== undefined) {
    const cursor = findCursor(window.startingAfter);
    if (!cursor) throw errors.referenceMissing(objectName, window.startingAfter, 'starting_after');
    const older = items.filter((item) => newestFirst(item, cursor) > 0);
    return { data: older.slice(0, window.limit), hasMore: older.length > window.limit };
  }
  if (window.endingBefore !== undefined) {
    const cursor = findCursor(window.endingBefore);
    if (!cursor) throw errors.referenceMissing(objectName, window.endingBefore, 'ending_before');
    const newer = items.filter((item) => newestFirst(item, cursor) < 0);
    return { data: newer.slice(Math.max(0, newer.length - window.limit)), hasMore: newer.length > window.limit };
  }
  return { data: items.slice(0, window.limit), hasMore: items.length > window.limit };
}

export type CreatedFilter = number | { gt?: number; gte?: number; lt?: number; lte?: number };

export function matchesRange(value: unknown, filter: CreatedFilter): boolean {
  if (typeof value !== 'number') return false;
  if (typeof filter === 'number') return value === filter;
  if (filter.gt !== undefined && !(value > filter.gt)) return false;
  if (filter.gte !== undefined && !(value >= filter.gte)) return false;
  if (filter.lt !== undefined && !(value < filter.lt)) return false;
  if (filter.lte !== undefined && !(value <= filter.lte)) return false;
  return true;
}

/**
 * The objects of `items` (all of a type, newest first) whose `created` lies in `filter`, found by
 * binary search: a partitioned read over tens of thousands of objects asks for many windows, and
 * a scan of every object per request would make the emulator, not the client, the bottleneck.
 */
export function createdSlice(items: readonly StripeObject[], filter: CreatedFilter): readonly StripeObject[] {
  const range = typeof filter === 'number' ? { gte: filter, lte: filter } : filter;
  // First index whose created is at or below `bound` (strictly below when `strict`).
  const firstAtOrBelow = (bound: number, strict: boolean): number => {
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const created = (items[mid] as StripeObject).created ?? 0;
      if (strict ? created >= bound : created > bound) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const start = Math.max(
    range.lt !== undefined ? firstAtOrBelow(range.lt, true) : 0,
    range.lte !== undefined ? firstAtOrBelow(range.lte, false) : 0,
  );
  const end = Math.min(
    range.gte !== undefined ? firstAtOrBelow(range.gte, true) : items.length,
    range.gt !== undefined ? firstAtOrBelow(range.gt, false) : items.length,
  );
  return start < end ? items.slice(start, end) : [];
}

/** The objects of `items` (sorted newest first) that come after `cursor` in that order: by binary search. */
export function olderThan(items: readonly StripeObject[], cursor: StripeObject): readonly StripeObject[] {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (newestFirst(items[mid] as StripeObject, cursor) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return items.slice(lo);
}

/** Value at a dotted path such as `customer_details.email`. */
export function fieldAt(object: Record<string, unknown>, path: string): unknown {
  let node: unknown = object;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
