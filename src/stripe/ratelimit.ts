// The request budget: a token bucket (requests per second) and a cap on requests in flight.
// Both queues are FIFO, so requests start in the order they asked; waiting costs one timer
// at most (the bucket's), never a poll.

/** Live keys get Stripe's higher live-mode allowance (about 100/s), test keys its test one (about 25/s). */
export function defaultRequestsPerSecond(apiKey: string): number {
  return /^(?:sk|rk)_live_/.test(apiKey) ? 50 : 20;
}

/**
 * A quarter second's worth of requests may go at once after a quiet spell: at 20/s that is 5,
 * so the first second carries at most 25 — Stripe's test-mode allowance.
 */
export function defaultBurst(requestsPerSecond: number): number {
  return Math.max(1, Math.ceil(requestsPerSecond / 4));
}

export type Clock = () => number;
export const monotonicNow: Clock = () => performance.now();

/** Calls `callback` after `ms`; returns what cancels it. Injected in tests, with the clock. */
export type SetTimer = (callback: () => void, ms: number) => () => void;
export const realTimer: SetTimer = (callback, ms) => {
  const timer = setTimeout(callback, ms);
  return () => clearTimeout(timer);
};

interface Waiter {
  resolve: (waitedMs: number) => void;
  reject: (reason: unknown) => void;
  since: number;
  detach: () => void;
}

/** Registers an abort listener for a queued waiter; returns the function that unregisters it. */
function onAbort(signal: AbortSignal | undefined, abandon: () => void): () => void {
  if (!signal) return () => {};
  signal.addEventListener('abort', abandon, { once: true });
  return () => signal.removeEventListener('abort', abandon);
}

export class TokenBucket {
  private tokens: number;
  private refilledAt: number;
  private readonly waiters: Waiter[] = [];
  private cancelTimer: (() => void) | undefined;

  constructor(
    private perSecond: number,
    private capacity: number,
    private readonly now: Clock = monotonicNow,
    private readonly setTimer: SetTimer = realTimer,
  ) {
    checkRate(perSecond, capacity);
    this.tokens = capacity;
    this.refilledAt = now();
  }

  get requestsPerSecond(): number {
    return this.perSecond;
  }

  /** Requests waiting for a token. */
  get queued(): number {
    return this.waiters.length;
  }

  /** A new rate from now on: what accrued so far counts at the old one; waiters are re-timed. */
  setRate(perSecond: number, capacity: number): void {
    checkRate(perSecond, capacity);
    this.refill();
    this.perSecond = perSecond;
    this.capacity = capacity;
    this.tokens = Math.min(this.tokens, capacity);
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.drain();
  }

  /** Resolves with the milliseconds spent waiting once a token is taken; rejects with the signal's reason on abort. */
  take(signal?: AbortSignal): Promise<number> {
    signal?.throwIfAborted();
    if (this.waiters.length === 0 && this.tryTake()) return Promise.resolve(0);
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        since: this.now(),
        detach: onAbort(signal, () => {
          this.remove(waiter);
          reject(signal!.reason);
        }),
      };
      this.waiters.push(waiter);
      this.schedule();
    });
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) * this.perSecond) / 1000);
    this.refilledAt = now;
  }

  private tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private drain(): void {
    while (this.waiters.length > 0 && this.tryTake()) {
      const waiter = this.waiters.shift()!;
      waiter.detach();
      waiter.resolve(this.now() - waiter.since);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.cancelTimer !== undefined || this.waiters.length === 0) return;
    this.refill();
    // At least 1 ms: a timer may fire a hair early, and the re-check then simply waits again.
    const untilNextToken = Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.perSecond));
    this.cancelTimer = this.setTimer(() => {
      this.cancelTimer = undefined;
      this.drain();
    }, untilNextToken);
  }

  private remove(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) this.waiters.splice(index, 1);
    if (this.waiters.length === 0 && this.cancelTimer !== undefined) {
      this.cancelTimer();
      this.cancelTimer = undefined;
    }
  }
}

function checkRate(perSecond: number, capacity: number): void {
  if (!(perSecond > 0)) throw new RangeError(`requests per second must be positive, got ${perSecond}`);
  if (!(capacity >= 1)) throw new RangeError(`bucket capacity must be at least 1, got ${capacity}`);
}

/**
 * A cap on requests in flight. The cap may move (a function: the transport's default follows
 * the rate budget and the latency it observes, scan-pacing.ts): a lower one takes effect as
 * slots are released, a higher one as soon as a slot is released or asked for.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiters: Waiter[] = [];
  private readonly max: () => number;

  constructor(
    max: number | (() => number),
    private readonly now: Clock = monotonicNow,
  ) {
    if (typeof max === 'number') {
      if (!(max >= 1)) throw new RangeError(`concurrency must be at least 1, got ${max}`);
      this.max = () => max;
    } else {
      this.max = () => Math.max(1, max());
    }
  }

  get inFlight(): number {
    return this.active;
  }

  /** The cap as it stands now. */
  get limit(): number {
    return this.max();
  }

  /** Resolves with the milliseconds spent waiting once a slot is held; pair every success with release(). */
  acquire(signal?: AbortSignal): Promise<number> {
    signal?.throwIfAborted();
    if (this.active < this.max() && this.waiters.length === 0) {
      this.active++;
      return Promise.resolve(0);
    }
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        since: this.now(),
        detach: onAbort(signal, () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(signal!.reason);
        }),
      };
      this.waiters.push(waiter);
    });
  }

  release(): void {
    this.active--;
    // The freed slot, and any the cap has gained since, go to the waiters in order.
    while (this.waiters.length > 0 && this.active < this.max()) {
      const next = this.waiters.shift()!;
      this.active++;
      next.detach();
      next.resolve(this.now() - next.since);
    }
  }
}

export interface RateBudgetOptions {
  requestsPerSecond: number;
  /** Requests in flight at most: a number, or what the cap is at each moment. */
  maxConcurrency: number | (() => number);
  /** Tokens available at once; default defaultBurst(requestsPerSecond). */
  burst?: number;
  now?: Clock;
  setTimer?: SetTimer;
}

export interface Permit {
  /** Time spent waiting for the slot and the token, ms. */
  waitedMs: number;
  release(): void;
}

/** Where a request takes its token: a connection's own bucket, or a budget shared by several. */
export interface TokenSource {
  /** Resolves with the milliseconds spent waiting once a token is taken. */
  take(signal?: AbortSignal): Promise<number>;
}

/**
 * Every HTTP attempt, retries included, holds a slot and spends a token — from this budget's
 * own bucket and from each shared source given (the process-wide budget of the API key and
 * account: shared-budget.ts).
 */
export class RateBudget {
  private readonly slots: ConcurrencyLimit;
  private readonly bucket: TokenBucket;

  constructor(options: RateBudgetOptions) {
    const now = options.now ?? monotonicNow;
    this.slots = new ConcurrencyLimit(options.maxConcurrency, now);
    this.bucket = new TokenBucket(options.requestsPerSecond, options.burst ?? defaultBurst(options.requestsPerSecond), now, options.setTimer);
  }

  get inFlight(): number {
    return this.slots.inFlight;
  }

  // The slot comes first: a request holding a slot while it waits for a token blocks nobody
  // who could go sooner, and taking the token first would let tokens pile up unused.
  async acquire(signal?: AbortSignal, shared?: TokenSource): Promise<Permit> {
    const slotWait = await this.slots.acquire(signal);
    let tokenWait: number;
    try {
      tokenWait = await this.bucket.take(signal);
      if (shared) tokenWait += await shared.take(signal);
    } catch (error) {
      this.slots.release();
      throw error;
    }
    let released = false;
    return {
      waitedMs: slotWait + tokenWait,
      release: () => {
        if (released) return;
        released = true;
        this.slots.release();
      },
    };
  }
}
