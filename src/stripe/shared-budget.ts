// One request budget per (API key, account) per process. Stripe limits an account, not a
// connection: N connections (statements, server sessions) each with its own budget would send
// N times the limit. Every client with the same key and account takes its tokens from one
// SharedBudget here, on top of its own bucket (a connection asking for less still gets no more).
//
// The shared rate is the highest any client asked for, and Stripe's 429s adjust it (AIMD):
// a 429 halves it — once per second, so the 429s of one burst count as one signal — and every
// second without one adds back a tenth of the configured rate, never above it.
//
// Entries are keyed by a SHA-256 of the key, never the key itself.

import { createHash } from 'node:crypto';
import { defaultBurst, monotonicNow, realTimer, TokenBucket, type Clock, type SetTimer, type TokenSource } from './ratelimit.js';

export const AIMD = {
  /** A 429 multiplies the rate by this. */
  decrease: 0.5,
  /** Further 429s within this long of a decrease are the same congestion, not a new one. */
  holdMs: 1000,
  /** Each second without a 429 adds this fraction of the configured rate back. */
  recoveryPerSecond: 0.1,
  /** Never below this many requests per second (nor above the configured rate). */
  floorPerSecond: 1,
} as const;

/** What a budget looks like now: connection.stats.budget, EXPLAIN ANALYZE. */
export interface BudgetSnapshot {
  /** The key as it may be shown (`sk_test_…abcd`). */
  key: string;
  /** The connected account, or null for the key's own account. */
  account: string | null;
  /** The highest rate any client sharing it asked for, requests per second. */
  configuredPerSecond: number;
  /** The rate in force: configured, lowered after Stripe's 429s. */
  currentPerSecond: number;
  /** Requests sent through it by every client, retries included. */
  requests: number;
  /** 429 answers seen. */
  throttled: number;
  /** Requests waiting for a token now. */
  queued: number;
  /** Clients (connections) that share it. */
  clients: number;
}

export class SharedBudget implements TokenSource {
  private configured: number;
  private readonly bucket: TokenBucket;
  private requests = 0;
  private throttled = 0;
  private clients = 0;
  private lastDecreaseAt = -Infinity;
  private lastIncreaseAt: number;

  constructor(
    private readonly keyHint: string,
    private readonly account: string | undefined,
    requestsPerSecond: number,
    private readonly now: Clock,
    setTimer: SetTimer,
  ) {
    this.configured = requestsPerSecond;
    this.bucket = new TokenBucket(requestsPerSecond, defaultBurst(requestsPerSecond), now, setTimer);
    this.lastIncreaseAt = now();
  }

  get requestsPerSecond(): number {
    return this.bucket.requestsPerSecond;
  }

  /** A client joins: the configured rate becomes the highest any client asked for. */
  join(requestsPerSecond: number): void {
    this.clients++;
    if (requestsPerSecond <= this.configured) return;
    const wasFull = this.bucket.requestsPerSecond >= this.configured;
    this.configured = requestsPerSecond;
    // A budget still recovering from 429s keeps recovering; a full one rises at once.
    if (wasFull) this.setRate(requestsPerSecond);
  }

  take(signal?: AbortSignal): Promise<number> {
    this.requests++;
    return this.bucket.take(signal);
  }

  /** Stripe answered 429: halve the rate, unless this is the same congestion as the last halving. */
  onThrottled(): void {
    this.throttled++;
    const now = this.now();
    if (now - this.lastDecreaseAt < AIMD.holdMs) return;
    this.lastDecreaseAt = now;
    this.lastIncreaseAt = now;
    this.setRate(Math.max(this.floor(), this.bucket.requestsPerSecond * AIMD.decrease));
  }

  /** Stripe answered: add back what the time since the last adjustment earned. */
  onAnswered(): void {
    const current = this.bucket.requestsPerSecond;
    if (current >= this.configured) return;
    const now = this.now();
    const earned = this.configured * AIMD.recoveryPerSecond * ((now - this.lastIncreaseAt) / 1000);
    if (earned <= 0) return;
    this.lastIncreaseAt = now;
    this.setRate(Math.min(this.configured, current + earned));
  }

  snapshot(): BudgetSnapshot {
    return {
      key: this.keyHint,
      account: this.account ?? null,
      configuredPerSecond: this.configured,
      currentPerSecond: this.bucket.requestsPerSecond,
      requests: this.requests,
      throttled: this.throttled,
      queued: this.bucket.queued,
      clients: this.clients,
    };
  }

  private floor(): number {
    return Math.min(this.configured, AIMD.floorPerSecond);
  }

  private setRate(perSecond: number): void {
    this.bucket.setRate(perSecond, defaultBurst(perSecond));
  }
}

export interface BudgetRegistryOptions {
  now?: Clock;
  setTimer?: SetTimer;
}

/** The shared budgets of one process (tests make their own, with an injected clock). */
export class BudgetRegistry {
  private readonly budgets = new Map<string, SharedBudget>();
  /** The time its budgets keep, which each client's own budget keeps too (tests inject it). */
  readonly now: Clock;
  readonly setTimer: SetTimer;

  constructor(options: BudgetRegistryOptions = {}) {
    this.now = options.now ?? monotonicNow;
    this.setTimer = options.setTimer ?? realTimer;
  }

  /** The budget of this key and account, made on first use. */
  budgetFor(keyDigest: string, keyHint: string, account: string | undefined, requestsPerSecond: number): SharedBudget {
    const id = `${keyDigest} ${account ?? ''}`;
    let budget = this.budgets.get(id);
    if (!budget) {
      budget = new SharedBudget(keyHint, account, requestsPerSecond, this.now, this.setTimer);
      this.budgets.set(id, budget);
    }
    return budget;
  }
}

/** A key as the registry knows it: a digest, so no map or heap snapshot holds the key in the clear. */
export function keyDigest(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('base64url');
}

/** The process's budgets, shared by every client that is not given another registry. */
export const processBudgets = new BudgetRegistry();
