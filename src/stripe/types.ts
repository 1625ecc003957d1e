// Shapes shared by the transport's parts and by its one caller (the Stripe tables).

import type { BudgetRegistry, BudgetSnapshot } from './shared-budget.js';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** Parameters as Stripe takes them: nested objects and arrays become bracketed keys. */
export type StripeParams = Record<string, unknown>;

export interface StripeClientOptions {
  /** Secret or restricted key (sk_… / rk_…). Never printed; shown as `sk_test_…abcd` at most. */
  apiKey: string;
  /** Default https://api.stripe.com */
  baseUrl?: string;
  /** Connected account every request acts for (Stripe-Account header) unless a request names another. */
  accountId?: string;
  /** Default 2024-04-10, the version the catalog was generated from. */
  apiVersion?: string;
  /** Request budget per second; default 50 for live keys, 20 for test keys. */
  maxRequestsPerSecond?: number;
  /**
   * Requests in flight at once. Default: as many as keep the rate budget busy at the latency
   * observed (rate × latency, a quarter more), never fewer than 10 nor more than 50
   * (scan-pacing.ts defaultConcurrency).
   */
  maxConcurrency?: number;
  /** Retries after the first attempt; default 5. */
  maxRetries?: number;
  /** Backoff before retry n is min(maxDelay, base·2^n) with full jitter; defaults 500 ms and 8 s. */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Per-attempt timeout; default 80 s, as stripe-node. */
  timeoutMs?: number;
  /** For tests: a fetch to use instead of the global one. */
  fetch?: typeof fetch;
  /**
   * For tests: where the shared (API key, account) budgets live, and the clock the client keeps:
   * its budgets, the latency it observes, retry waits and per-attempt timeouts. Default the process's one.
   */
  budgets?: BudgetRegistry;
}

export interface StripeRequest {
  method: HttpMethod;
  /** Path with leading slash, ids already in it: `/v1/checkout/sessions/cs_123`. */
  path: string;
  params?: StripeParams;
  /** Overrides the client's accountId for this request. */
  accountId?: string;
  /** For POSTs; generated when absent. Kept the same on every retry. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Called once the request is done (answered, failed or given up), if it was sent at all. */
  onRequest?: (cost: RequestCost) => void;
}

/** What one request took beyond its own answer: what EXPLAIN ANALYZE shows per table. */
export interface RequestCost {
  /** Attempts after the first. */
  retries: number;
  /** Of those, retries of a 429 (too many requests). */
  throttled: number;
  /** Time spent waiting for the rate budget (or a free slot) before the attempts went out, ms. */
  waitedMs: number;
}

/** Stripe's list envelope. */
export interface StripeList<T = StripeObject> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

/** Stripe's search envelope. */
export interface StripeSearchResult<T = StripeObject> {
  object: 'search_result';
  data: T[];
  has_more: boolean;
  next_page: string | null;
}

export type StripeObject = Record<string, unknown> & { id?: string; object?: string };

/** Counters a caller can read (benchmarks, EXPLAIN ANALYZE). */
export interface TransportStats {
  /** HTTP attempts made, retries included. */
  requests: number;
  retries: number;
  /** Time spent waiting for the rate budget, ms. */
  throttledMs: number;
  /** The budget this client shares with every other of the same API key and account, in this process. */
  budget: BudgetSnapshot;
}
