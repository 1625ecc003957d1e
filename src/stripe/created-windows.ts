// `created` windows of a list and how one is cut into several (partition.ts reads them).
//
// A window is half-open, [lo, hi) in whole seconds (Stripe's `created` is a whole number of
// seconds); lo undefined reaches down to the oldest object, hi undefined up to the newest. A
// window being read has a cursor at an object created at `at`: what it has left is [lo, at], and
// the objects sharing the second `at` that are still to come can only be told apart by that
// cursor. So a cut leaves the window the top piece, [keepFrom, at] with keepFrom ≤ at, and hands
// the seconds below to new windows, each below the one before; together they cover [lo, keepFrom)
// exactly once. A second holding more than a page is never cut: its window pages through it.

export interface CreatedRange {
  /** Lowest second in the window; undefined: no lower bound. */
  lo: number | undefined;
  /** First second above the window; undefined: no upper bound. */
  hi: number | undefined;
}

/** No object is older than the epoch: a window below it could only come back empty. */
export const EPOCH = 0;

export interface Cut {
  /** The window's new lower bound: it keeps [keepFrom, at]. */
  keepFrom: number;
  /** New windows for [lo, keepFrom), newest first; the last one reaches down to lo. */
  below: CreatedRange[];
}

/**
 * Cuts [lo, at] into at most `pieces` windows of `width` seconds from the top (the last one takes
 * whatever is left below). undefined when there is nothing to cut: [lo, at] fits in one piece.
 */
export function cutBelow(lo: number | undefined, at: number, width: number, pieces: number): Cut | undefined {
  const seconds = Math.max(1, Math.floor(width));
  const floor = lo ?? EPOCH;
  const keepFrom = at + 1 - seconds;
  if (pieces < 2 || keepFrom <= floor) return undefined;
  const below: CreatedRange[] = [];
  let top = keepFrom;
  for (let piece = 2; piece < pieces && top - seconds > floor; piece++) {
    below.push({ lo: top - seconds, hi: top });
    top -= seconds;
  }
  below.push({ lo, hi: top });
  return { keepFrom, below };
}

/** Whether `created` lies in the range. */
export function inRange(range: CreatedRange, created: number): boolean {
  return (range.lo === undefined || created >= range.lo) && (range.hi === undefined || created < range.hi);
}

/** The `created` filter that asks for the range; undefined when it is unbounded both ways. */
export function createdFilter(range: CreatedRange): { gte?: number; lt?: number } | undefined {
  if (range.lo === undefined && range.hi === undefined) return undefined;
  return { ...(range.lo !== undefined ? { gte: range.lo } : {}), ...(range.hi !== undefined ? { lt: range.hi } : {}) };
}

export function createdOf(object: Record<string, unknown> | undefined): number | undefined {
  const created = object?.created;
  return typeof created === 'number' && Number.isFinite(created) ? created : undefined;
}

/**
 * Objects per second of `created` time in a page: its objects over the seconds they span (a page
 * within one second counts as one second). undefined when its objects carry no `created`.
 */
export function densityOf(objects: readonly Record<string, unknown>[]): number | undefined {
  let newest = -Infinity;
  let oldest = Infinity;
  for (const object of objects) {
    const created = createdOf(object);
    if (created === undefined) return undefined;
    if (created > newest) newest = created;
    if (created < oldest) oldest = created;
  }
  if (objects.length === 0) return undefined;
  return objects.length / (newest - oldest + 1);
}
