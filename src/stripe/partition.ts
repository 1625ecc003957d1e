// A long list read in parallel. Stripe's cursors are strictly sequential — one page, then the
// next — so at ~300 ms a page a big account reads about 3 pages/s however high the rate budget.
// Once a list has proven long, what is left of it is cut by `created` into windows read at
// once, each with its own cursor, by a scheduler that adapts to what it reads:
//
// - Exactly once. Windows are half-open and never overlap; a cut leaves a window the seconds
//   next to its cursor, so objects sharing a second with it (any number: a second holding more
//   than a page is paged by cursor) are neither lost nor repeated (created-windows.ts). The
//   sequential walk goes on as the first window.
// - Size. A window is cut when one of its pages arrives, by the density of that page (objects
//   per second of `created` time): the new windows hold about `pagesPerWindow` pages each, and
//   the lowest reaches down to the oldest object, so its first page jumps over empty years: no
//   probes, and a wrong estimate costs one short page, never a walk through empty windows.
// - Width. Windows are cut while fewer are open than keep the rate budget busy at the observed
//   latency (scan-pacing.ts), capped by the client's concurrency; a cut at most doubles them.
// - Cost. A window is opened only while the request allowance has room, so a read makes at
//   most 1.25 × ⌈n/L⌉ + 16 requests, whatever the spread of `created` (scan-pacing.ts).
// - Progress. A window that repeats a cursor, says has_more with nothing in it, or answers an
//   object outside its window is a StalledListError naming the endpoint, never a loop.
// - Streaming. Pages come out as they arrive, not newest first: callers ask for this only when
//   order does not matter and every row will be read. When the reader stops, the requests in
//   flight are aborted and no more are sent.

import { checkList, followCursor, paginateList, StalledListError, type PageFetcher } from './paginate.js';
import { createdFilter, createdOf, cutBelow, densityOf, inRange, type CreatedRange } from './created-windows.js';
import { RequestAllowance, windowsToKeepBusy, type ScanBudget } from './scan-pacing.js';
import type { StripeList, StripeParams } from './types.js';

export interface PartitionOptions {
  /** Pages read one after another, each only when asked for, before the list counts as long. */
  sequentialPages: number;
  /** Windows in flight at most (the client's cap on requests in flight, which may move as the read goes on). */
  concurrency: number | (() => number);
  /** The rate budget the windows share: as many run as keep it busy. Without it, `concurrency` run. */
  budget?: ScanBudget;
  /** Pages each new window should hold at the density where it is cut; default DEFAULT_PAGES_PER_WINDOW. */
  pagesPerWindow?: number;
}

/**
 * Every window ends with a short page, so windows of 8 pages waste about one request in 16; fewer
 * pages would waste more, more pages would leave long windows running alone at the end (though
 * a window still being read is cut again when others finish).
 */
export const DEFAULT_PAGES_PER_WINDOW = 8;

/** A window expected to hold fewer pages than this is left whole: a cut costs a short page. */
const MIN_PAGES_TO_CUT = 2;

export async function* paginatePartitioned(
  fetchPage: PageFetcher<StripeList>,
  params: StripeParams,
  options: PartitionOptions,
  describe = 'list endpoint',
): AsyncGenerator<StripeList> {
  // Only a plain forward walk can be cut, and only when the caller set no created bounds.
  if (params.created !== undefined || params.starting_after !== undefined || params.ending_before !== undefined) {
    yield* paginateList(fetchPage, params, describe);
    return;
  }
  const allowance = new RequestAllowance(Number(params.limit ?? 10));
  const first = new Window({ lo: undefined, hi: undefined }, describe);
  // Were some endpoint not strictly newest first, an object read at the start could sit in a
  // lower window: never yield it twice.
  const start = new Set<unknown>();
  for (;;) {
    const page = await fetchPage(first.params(params));
    const more = first.accept(page);
    allowance.answer(page.data.length);
    for (const object of page.data) start.add(object.id);
    yield page;
    if (!more) return;
    if (first.pages >= options.sequentialPages && first.at !== undefined) break;
  }
  yield* readWindows(fetchPage, params, first, { ...options, allowance, start }, describe);
}

/** One window of the read: its range, and its cursor once a page has come back. */
class Window {
  /** Pages read, for messages. */
  pages = 0;
  cursor: string | undefined;
  /** `created` of the cursor's object. */
  at: number | undefined;
  /** Objects per second in the latest page. */
  density: number | undefined;
  private readonly followed = new Set<string>();

  constructor(
    public range: CreatedRange,
    private readonly describe: string,
  ) {}

  params(base: StripeParams): StripeParams {
    const created = createdFilter(this.range);
    return { ...base, ...(created ? { created } : {}), ...(this.cursor !== undefined ? { starting_after: this.cursor } : {}) };
  }

  /** Takes in the answer to params(); whether the window has more to read. */
  accept(page: StripeList): boolean {
    checkList(page, this.describe);
    this.pages++;
    for (const object of page.data) {
      const created = createdOf(object);
      // An endpoint that ignores `created` would hand every window the same objects.
      if (created !== undefined && !inRange(this.range, created)) {
        throw new StalledListError(this.describe, `asked for objects created ${showRange(this.range)}, it answered an object created at ${created}`);
      }
    }
    if (!page.has_more) return false;
    this.cursor = followCursor(page, this.pages, this.followed, this.describe);
    this.at = createdOf(page.data[page.data.length - 1]);
    this.density = densityOf(page.data);
    return true;
  }
}

type Arrival = { window: Window; page: StripeList } | { window: Window; error: unknown };

interface Scheduling extends PartitionOptions {
  allowance: RequestAllowance;
  /** Ids yielded before the windows began. */
  start: Set<unknown>;
}

async function* readWindows(
  fetchPage: PageFetcher<StripeList>,
  base: StripeParams,
  first: Window,
  options: Scheduling,
  describe: string,
): AsyncGenerator<StripeList> {
  const { allowance, start } = options;
  const pageSize = Number(base.limit ?? 10);
  const pagesPerWindow = options.pagesPerWindow ?? DEFAULT_PAGES_PER_WINDOW;
  const stop = new AbortController();
  const open = new Set<Window>();
  const arrivals: Arrival[] = [];
  let wake: (() => void) | undefined;

  const send = (window: Window): void => {
    open.add(window);
    // Settled into an arrival, never left rejected: a window still in flight when the reader
    // stops cannot crash the process with an unhandled rejection.
    void fetchPage(window.params(base), stop.signal)
      .then(
        (page): Arrival => ({ window, page }),
        (error: unknown): Arrival => ({ window, error }),
      )
      .then((arrival) => {
        arrivals.push(arrival);
        wake?.();
      });
  };

  /** Hands the seconds below what `window` should keep to new windows, when more are wanted and allowed. */
  const cut = (window: Window): void => {
    const cap = typeof options.concurrency === 'number' ? options.concurrency : options.concurrency();
    const wanted = windowsToKeepBusy(options.budget, cap) - open.size;
    const available = allowance.windowsAvailable(open.size);
    const { at, density } = window;
    if (wanted <= 0 || available <= 0 || at === undefined || density === undefined) return;
    const { lo } = window.range;
    const secondsLeft = lo === undefined ? Infinity : at - lo + 1;
    const pagesLeft = (secondsLeft * density) / pageSize;
    // While the lowest window is open, new windows come from it: cutting the windows it made
    // would only make them smaller, and every window costs a short page. Once it is done, the
    // windows left are cut to finish together.
    const frontierOpen = [...open].some((other) => other.range.lo === undefined);
    if (pagesLeft < (frontierOpen ? 2 * pagesPerWindow : MIN_PAGES_TO_CUT)) return;
    // A cut at most doubles the windows open: a list only a little longer than its first pages
    // costs a window or two beyond its end, not a dozen empty ones; a long one is at full width
    // after a few round trips.
    const pieces = 1 + Math.min(wanted, available, open.size, Math.floor(pagesLeft) - 1);
    const width = Math.min((pagesPerWindow * pageSize) / density, secondsLeft / pieces);
    const cutting = cutBelow(lo, at, width, pieces);
    if (!cutting) return;
    window.range = { lo: cutting.keepFrom, hi: window.range.hi };
    for (const range of cutting.below) send(new Window(range, describe));
  };

  try {
    open.add(first);
    cut(first);
    send(first);
    while (open.size > 0) {
      if (arrivals.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const arrival = arrivals.shift()!;
      if ('error' in arrival) throw arrival.error;
      const { window, page } = arrival;
      const more = window.accept(page);
      const fresh = page.data.filter((object) => !start.has(object.id));
      allowance.answer(fresh.length);
      if (more) {
        cut(window);
        send(window);
      } else {
        open.delete(window);
      }
      yield fresh.length === page.data.length ? page : { ...page, data: fresh };
    }
  } finally {
    stop.abort();
  }
}

function showRange({ lo, hi }: CreatedRange): string {
  if (lo === undefined) return `before ${hi}`;
  return hi === undefined ? `at or after ${lo}` : `in [${lo}, ${hi})`;
}
