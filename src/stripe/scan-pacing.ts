// How wide a partitioned read runs (partition.ts), and how many windows it may open.
//
// Width. A window has one request in flight at a time, so a budget of R requests/s whose
// requests are answered in λ seconds is kept busy by R·λ windows. A margin above that keeps it
// busy while some windows end and others begin; more would only queue for tokens.
//
// Windows opened. Every window ends with one request that is not a full page (its last page:
// partial, or empty when the window held nothing); every other request of a window brings a
// full page. So a read that opens W windows over n objects makes at most n/L + W requests (L the
// page size), and keeping W small is what keeps the request count near the sequential minimum
// ⌈n/L⌉, whatever the spread of `created`. The allowance below opens a window only while
//
//     answered requests + windows still open (one more request each) + the new one
//         ≤ REQUEST_BOUND.perPage · objects read / L + REQUEST_BOUND.extra
//
// Each full page that arrives adds 1 to the left and REQUEST_BOUND.perPage to the right, and a
// window's last page moves one from "open" to "answered", so between openings the left side
// grows by at most the full pages still to come, ≤ (n − objects read)/L. At the end, therefore,
// requests ≤ REQUEST_BOUND.perPage · n/L + REQUEST_BOUND.extra: within 1.25 × the minimum + 16,
// however wrong the density estimates that placed the windows were.

/** What a partitioned read needs to know of the rate budget its requests go through. */
export interface ScanBudget {
  /** Requests per second the budget allows now (the shared budget's rate, lowered after 429s). */
  requestsPerSecond(): number;
  /** How long a request takes to be answered lately, ms, not counting any wait for the budget; undefined before the first answer. */
  latencyMs(): number | undefined;
}

/** Windows beyond rate × latency: the budget stays busy while windows end and new ones start. */
export const BUSY_MARGIN = 1.25;

/** A read costs at most perPage × its pages + extra requests (see above). */
export const REQUEST_BOUND = { perPage: 1.25, extra: 16 } as const;

/**
 * Windows to keep in flight: as many as keep the budget busy, never more than `concurrency` (the
 * client's cap on requests in flight), never fewer than one. Without a budget, `concurrency`.
 */
export function windowsToKeepBusy(budget: ScanBudget | undefined, concurrency: number): number {
  const latencyMs = budget?.latencyMs();
  if (!budget || latencyMs === undefined) return concurrency;
  const busy = Math.ceil(((budget.requestsPerSecond() * latencyMs) / 1000) * BUSY_MARGIN);
  return Math.max(1, Math.min(concurrency, busy));
}

/**
 * Requests in flight when MaxConcurrency is not given. By Little's law a budget of R requests/s
 * answered in λ seconds has R·λ requests in flight when it is busy, so the cap follows the rate
 * in force (lowered after 429s) and the latency observed, with BUSY_MARGIN:
 *
 * - floor: 10, what runs before the first answer, and never fewer (a slow budget still queues
 *   for tokens, not for slots, as it always did);
 * - ceiling: 50, what Stripe's whole live allowance (100/s) needs at the slowest list answers
 *   seen (400 ms), so that a latency estimate gone wild (an endpoint taking seconds) cannot open
 *   hundreds of sockets.
 *
 * Requests reach Stripe no faster than the token bucket lets them, so at Stripe the requests in
 * flight stay about rate × latency whatever the cap: the cap only decides whether the budget
 * can be used.
 */
export const DEFAULT_CONCURRENCY = { floor: 10, ceiling: 50 } as const;

export function defaultConcurrency(budget: ScanBudget): number {
  const latencyMs = budget.latencyMs();
  if (latencyMs === undefined) return DEFAULT_CONCURRENCY.floor;
  const busy = Math.ceil(((budget.requestsPerSecond() * latencyMs) / 1000) * BUSY_MARGIN);
  return Math.min(DEFAULT_CONCURRENCY.ceiling, Math.max(DEFAULT_CONCURRENCY.floor, busy));
}

/** The request accounting of one partitioned read: how many more windows it may open. */
export class RequestAllowance {
  private answered = 0;
  private objects = 0;

  constructor(private readonly pageSize: number) {
    if (!(pageSize >= 1)) throw new RangeError(`page size must be at least 1, got ${pageSize}`);
  }

  /** A request was answered with `objects` objects. */
  answer(objects: number): void {
    this.answered++;
    this.objects += objects;
  }

  /** Requests answered so far. */
  get requests(): number {
    return this.answered;
  }

  /** Windows that may be opened now, while `open` windows are still being read. */
  windowsAvailable(open: number): number {
    const bound = (REQUEST_BOUND.perPage * this.objects) / this.pageSize + REQUEST_BOUND.extra;
    return Math.max(0, Math.floor(bound - this.answered - open));
  }
}

/** Answer times remembered: enough for a median that one slow burst does not move. */
const LATENCY_SAMPLES = 32;

/**
 * The median of the last answer times: the transport's observed latency. A median, not a mean:
 * when many answers arrive together the process is slow to read them all, and those times say
 * more about the process than about Stripe; a mean would take them in, ask for more windows,
 * which arrive together in turn.
 */
export class LatencyEstimate {
  private readonly samples: number[] = [];
  private next = 0;
  private median: number | undefined;

  observe(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) return;
    if (this.samples.length < LATENCY_SAMPLES) this.samples.push(ms);
    else this.samples[this.next] = ms;
    this.next = (this.next + 1) % LATENCY_SAMPLES;
    this.median = undefined;
  }

  /** undefined until the first answer. */
  get ms(): number | undefined {
    if (this.median === undefined && this.samples.length > 0) {
      const sorted = [...this.samples].sort((a, b) => a - b);
      this.median = sorted[Math.floor(sorted.length / 2)];
    }
    return this.median;
  }
}
